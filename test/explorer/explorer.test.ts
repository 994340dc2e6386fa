/**
 * The explorer in a real browser, in Bahasa Indonesia as officers use it: headless Chromium
 * (Debian's `chromium`, driven by playwright-core) opens `/explorer` on a hub started for this
 * test — one welcome tab, no error before anything is done — gets a development token from the
 * role picker, opens a saved operation in its own tab, runs it, reads the answer in the table
 * view (ITAS, not LIMITED_STAY) and downloads it as CSV; switches to English; and, as a
 * partner, is offered exactly its registered operations. Every request the page makes goes to
 * the hub's own origin. The screenshot is written to `test-output/explorer.png` (the README's
 * `docs/images/explorer.png` is a copy of it). Without development tokens, a token pasted into
 * the headers loads the docs.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startGateway } from '../../gateway/src/server.js';
import { testGatewayConfig } from '../helpers/env.js';
import { documentsForPartner } from '../../common/auth/trusted-documents.js';
import { recordFullForeigner, records, type FullForeigner } from '../helpers/fixtures.js';
import { IMMIGRATION_OKU, tokenFor } from '../helpers/graphql.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { CHROMIUM_INSTALL, CHROMIUM_PATH as CHROMIUM } from '../helpers/machine.js';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const OUTPUT_DIR = path.resolve('test-output');

let hub: TestHub;
let browser: Browser;
let fixture: FullForeigner;

beforeAll(async () => {
  await fs.access(CHROMIUM).catch(() => {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (${CHROMIUM_INSTALL}), as .ci/run does`);
  });
  [hub, browser] = await Promise.all([
    startTestHub('explorer', { gatewayEnv: { EXPLORER: 'enabled', EXPLORER_DEV_TOKENS: 'true' } }),
    chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS }),
  ]);
  fixture = await recordFullForeigner(hub);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

/** Replaces the text of the visible CodeMirror editor inside `container` as a user would. */
async function fillEditor(page: Page, container: string, text: string): Promise<void> {
  await page.locator(`${container} .CodeMirror:visible`).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(text);
}

/** Waits for the answer to show `text`; on timeout, the error says what the answer was. */
async function waitForAnswer(page: Page, text: string): Promise<void> {
  const result = page.locator('.result-window');
  await result
    .filter({ hasText: text })
    .waitFor({ timeout: 20_000 })
    .catch(async (e: Error) => {
      throw new Error(`${e.message}\nthe answer: ${await result.innerText()}`);
    });
}

/** Days after today (UTC) as a calendar date. */
const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Opens the explorer with the problems (page errors, CSP refusals) and requests it causes recorded. */
async function openExplorer(origin: string, options: { earlierTabs?: number } = {}) {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    colorScheme: 'light',
    acceptDownloads: true,
  });
  if (options.earlierTabs) {
    // what GraphiQL kept in the browser from the earlier explorer, which opened every saved operation at once
    const tabs = Array.from({ length: options.earlierTabs }, (_, i) => ({
      id: `earlier-${i}`,
      hash: null,
      title: `Earlier${i}`,
      query: `query Earlier${i} { __typename }`,
      variables: null,
      headers: null,
      operationName: `Earlier${i}`,
      response: null,
    }));
    await context.addInitScript(
      ({ origin: at, state }) => {
        if (window.location.origin === at && !window.localStorage.getItem('timpora-explorer:layout')) {
          window.localStorage.setItem('graphiql:tabState', state);
        }
      },
      { origin, state: JSON.stringify({ tabs, activeTabIndex: 0 }) },
    );
  }
  const page = await context.newPage();
  const requests: { url: string; language: string | undefined }[] = [];
  const problems: string[] = [];
  page.on('request', (request) =>
    requests.push({ url: request.url(), language: request.headers()['accept-language'] }),
  );
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
  });
  const response = await page.goto(`${origin}/explorer`);
  expect(response?.status()).toBe(200);
  return { context, page, requests, problems };
}

/** The role picker's token for one of the typical roles, by its Indonesian label. */
async function takeRole(page: Page, role: string, purpose: string): Promise<void> {
  await page.getByLabel('Peran', { exact: true }).selectOption({ label: role });
  await page.getByLabel('Tujuan').fill(purpose);
  await page.getByRole('button', { name: 'Ambil token pengembangan' }).click();
  await page.getByRole('status').filter({ hasText: 'Token untuk' }).waitFor();
}

it('in Bahasa Indonesia: starts clean, runs a saved operation, shows it as a table with ITAS and downloads the CSV', async () => {
  const origin = new URL(hub.gatewayUrl).origin;
  // two more WNA in OKU whose ITAS expires within three months
  for (const [fullName, nationality, days] of [
    ['Li Wei', 'CHN', 30],
    ['Kim Min-jun', 'KOR', 60],
  ] as const) {
    const id = await records.foreigner(hub, { fullName, nationality, domicileRegionCode: '16.01.14.1001' });
    await records.permit(hub, id, {
      type: 'LIMITED_STAY',
      issuedAt: daysFromNow(-300),
      expiresAt: daysFromNow(days),
      sponsor: { name: 'PT Semen Baturaja Fiktif', type: 'COMPANY', address: 'Jl. Raya Baturaja' },
    });
  }
  const { context, page, requests, problems } = await openExplorer(origin, { earlierTabs: 9 });
  try {
    // first load (after a visit to the earlier explorer, which left nine tabs): Indonesian, one tab, no error and nothing asked of /graphql before there is a token
    await page.getByRole('note').filter({ hasText: 'Belum ada token' }).waitFor();
    await page.getByText('Penjelajah TIMPORA Hub').first().waitFor(); // the welcome tab's text
    await page.waitForTimeout(500); // let anything that would run on load run
    expect(await page.locator('.graphiql-tab').count()).toBeLessThanOrEqual(1);
    expect(await page.locator('.result-window').innerText()).not.toMatch(/UNAUTHENTICATED|error/i);
    expect(await page.locator('[role="alert"]').count()).toBe(0);
    expect(requests.filter((r) => r.url.endsWith('/graphql'))).toEqual([]);
    await page.locator('.timpora-saved').getByText('Operasi tersimpan tampil setelah ada token').waitFor();

    // the role picker: a development token for the immigration office of OKU Raya
    await takeRole(page, 'Kantor Imigrasi Muara Enim, unit kerja Baturaja', 'Persiapan rapat koordinasi TIMPORA');
    await page.getByRole('note').filter({ hasText: 'Belum ada token' }).waitFor({ state: 'detached' });

    // the schema docs come from introspection through the gateway, which needs the token
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).first().waitFor();
    await page.getByRole('button', { name: 'Show Saved operations' }).click();

    // the saved operation opens its own tab (choosing it again only switches back to it)
    const saved = page.locator('.timpora-saved');
    await saved.getByRole('button', { name: 'ForeignersWithExpiringPermits' }).click();
    await page.locator('.graphiql-tab', { hasText: 'ForeignersWithExpiringPermits' }).waitFor();
    expect(await page.locator('.graphiql-tab').count()).toBe(2);
    await saved.getByRole('button', { name: 'ForeignersWithExpiringPermits' }).click();
    expect(await page.locator('.graphiql-tab').count()).toBe(2);

    const tools = page.locator('.graphiql-editor-tools');
    const visibleEditor = page.locator('.graphiql-editor-tool .CodeMirror:visible');
    await tools.getByRole('button', { name: 'Headers' }).click();
    await visibleEditor.filter({ hasText: 'Persiapan rapat koordinasi TIMPORA' }).waitFor();
    expect(await visibleEditor.innerText()).toMatch(/"Authorization": "Bearer ey/);
    await tools.getByRole('button', { name: 'Variables' }).click();
    await fillEditor(
      page,
      '.graphiql-editor-tool',
      JSON.stringify({ regionCode: '16.01', expiresBefore: daysFromNow(90), first: 50 }),
    );

    await page.locator('.graphiql-execute-button').click();
    await waitForAnswer(page, '"totalCount": 2');

    // the table: one row per WNA, ITAS where the JSON says LIMITED_STAY, names beside codes
    const table = page.locator('.timpora-table');
    await table.getByText('foreigners.nodes').waitFor();
    const header = await table.locator('thead th').allInnerTexts();
    expect(header).toEqual(
      expect.arrayContaining(['fullName', 'nationality', 'nationalityName', 'currentPermit.type']),
    );
    const rows = table.locator('tbody tr');
    const rowTexts = await rows.allInnerTexts();
    expect(rowTexts.length).toBe(2);
    const typeColumn = header.indexOf('currentPermit.type');
    for (let r = 0; r < rowTexts.length; r += 1) {
      expect(await rows.nth(r).locator('td').nth(typeColumn).innerText()).toBe('ITAS');
    }
    expect(header).toContain('nationalityName');
    expect(rowTexts.join('\n')).toContain('Korea Selatan');
    expect(rowTexts.join('\n')).not.toContain('LIMITED_STAY');
    await table.getByText('2 baris').waitFor();

    await fs.mkdir(OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'explorer.png') });

    // the CSV holds exactly the table
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      table.getByRole('button', { name: 'Unduh CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('ForeignersWithExpiringPermits-foreigners.nodes.csv');
    const csv = (await fs.readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '');
    const lines = csv.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(header.join(','));
    expect(lines.length - 1).toBe(rowTexts.length);
    expect(lines.slice(1).every((line) => line.includes(',ITAS,'))).toBe(true);

    // every operation went with the interface's language
    const sent = requests.filter((r) => r.url.endsWith('/graphql'));
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((r) => r.language === 'id')).toBe(true);

    // English: the interface and the table's labels change, and the choice is remembered
    await page.getByRole('button', { name: 'English' }).click();
    await table.getByRole('button', { name: 'Download CSV' }).waitFor();
    expect(await rows.first().locator('td').nth(typeColumn).innerText()).toBe('Limited stay permit (ITAS)');
    await page.getByLabel('Role', { exact: true }).waitFor();
    await page.locator('.graphiql-execute-button').click();
    await page.waitForTimeout(300);
    expect(requests.filter((r) => r.url.endsWith('/graphql')).at(-1)?.language).toBe('en');
    await page.reload();
    await page.getByLabel('Role', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Indonesia' }).click();
    await page.getByLabel('Peran', { exact: true }).waitFor();
  } finally {
    await context.close();
  }

  expect(problems).toEqual([]);
  // the page, its bundle, introspection, the token and the operation: all from the hub itself
  const urls = requests.map((r) => r.url);
  expect(
    urls.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:') && !url.startsWith('blob:')),
  ).toEqual([]);
  expect(urls).toEqual(
    expect.arrayContaining([
      `${origin}/explorer`,
      `${origin}/explorer/assets/main.js`,
      `${origin}/explorer/assets/main.css`,
      `${origin}/explorer/dev-token`,
      `${origin}/explorer/saved-operations`,
      `${origin}/graphql`,
    ]),
  );
}, 180_000);

it('offers a partner exactly its registered operations, and runs one', async () => {
  const origin = new URL(hub.gatewayUrl).origin;
  const { context, page, problems } = await openExplorer(origin);
  try {
    await takeRole(page, 'Mitra (pemberi kerja; hanya operasi terdaftarnya)', 'Memeriksa izin tinggal pekerja');
    const saved = page.locator('.timpora-saved');
    await saved.getByText('Operasi yang terdaftar untuk mitra PT-SAWIT-OGAN-LESTARI').waitFor();
    const offered = await saved.locator('li > button').allInnerTexts();
    expect(offered.sort()).toEqual(
      documentsForPartner('PT-SAWIT-OGAN-LESTARI')
        .map((d) => d.name)
        .sort(),
    );
    expect(offered).not.toContain('ForeignersWithExpiringPermits');

    await saved.getByRole('button', { name: 'VerifyStayPermit', exact: true }).click();
    await page.locator('.graphiql-tab', { hasText: 'VerifyStayPermit' }).waitFor();
    await page.locator('.graphiql-editor-tools').getByRole('button', { name: 'Variables' }).click();
    await fillEditor(
      page,
      '.graphiql-editor-tool',
      JSON.stringify({ permitNumber: fixture.permitNumber, passportNumber: fixture.passportNumber }),
    );
    await page.locator('.graphiql-execute-button').click();
    await waitForAnswer(page, '"valid": true');
    await page.locator('.timpora-table').getByText('Hasil ini tidak memuat daftar objek').waitFor();
  } finally {
    await context.close();
  }
  expect(problems).toEqual([]);
}, 120_000);

it('without the role picker, loads the docs once a token is pasted into the headers', async () => {
  // introspection is answered by the gateway alone: no subgraph is needed
  const unreachable = 'http://127.0.0.1:9/graphql';
  const gateway = await startGateway(
    testGatewayConfig(
      { immigration: unreachable, police: unreachable, 'local-government': unreachable },
      { EXPLORER: 'enabled', EXPLORER_DEV_TOKENS: 'false' },
    ),
  );
  const origin = new URL(gateway.url).origin;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  try {
    await page.goto(`${origin}/explorer`);
    await page.getByText('Isi token Anda dan tujuan permintaan di editor Headers').waitFor();
    expect(await page.getByRole('button', { name: 'Ambil token pengembangan' }).count()).toBe(0);
    // with the placeholder still there, the page says where a token comes from and sends nothing
    await page.locator('.graphiql-execute-button').click();
    await page.locator('.result-window').filter({ hasText: 'Belum ada token' }).waitFor();
    expect(requests.filter((url) => url.endsWith('/graphql'))).toEqual([]);

    await page.locator('.graphiql-editor-tools').getByRole('button', { name: 'Headers' }).click();
    const token = await tokenFor(IMMIGRATION_OKU);
    await fillEditor(
      page,
      '.graphiql-editor-tool',
      JSON.stringify({ Authorization: `Bearer ${token}`, 'X-Purpose': 'test' }),
    );
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).first().waitFor();
  } finally {
    await context.close();
    await gateway.stop();
  }
  expect(requests).toContain(`${origin}/graphql`);
  expect(requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'))).toEqual([]);
}, 60_000);
