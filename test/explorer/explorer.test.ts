/**
 * The explorer in a real browser: headless Chromium (Debian's `chromium`, driven by
 * playwright-core) opens `/explorer` on a hub started for this test, gets a development token
 * from the role picker, runs a saved operation and sees the seeded foreigner in the answer.
 * Every request the page makes goes to the hub's own origin. The screenshot is written to
 * `test-output/explorer.png`. Without development tokens, a token pasted into the headers
 * loads the docs.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startGateway } from '../../gateway/src/server.js';
import { testGatewayConfig } from '../helpers/env.js';
import { recordFullForeigner, type FullForeigner } from '../helpers/fixtures.js';
import { IMMIGRATION_OKU, tokenFor } from '../helpers/graphql.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
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
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does`);
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

it('runs a saved operation with a development token, and loads nothing from another origin', async () => {
  const origin = new URL(hub.gatewayUrl).origin;
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
  });

  try {
    const response = await page.goto(`${origin}/explorer`);
    expect(response?.status()).toBe(200);

    // the role picker: a development token for the immigration office of OKU Raya
    await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Immigration office Baturaja' });
    await page.getByLabel('Purpose').fill('Preparing the TIMPORA coordination meeting');
    await page.getByRole('button', { name: 'Get development token' }).click();
    await page.getByRole('status').filter({ hasText: 'Token for KANIM-BATURAJA' }).waitFor();

    // the schema docs come from introspection through the gateway, which needs the token
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).first().waitFor();

    // the saved operation's tab: the credential follows into its headers; the variables point at the seeded foreigner
    const tools = page.locator('.graphiql-editor-tools');
    const visibleEditor = page.locator('.graphiql-editor-tool .CodeMirror:visible');
    await page.locator('.graphiql-tab', { hasText: 'ForeignerProfile' }).click();
    await tools.getByRole('button', { name: 'Headers' }).click();
    await visibleEditor.filter({ hasText: 'Preparing the TIMPORA coordination meeting' }).waitFor();
    expect(await visibleEditor.innerText()).toMatch(/"Authorization": "Bearer ey/);
    await tools.getByRole('button', { name: 'Variables' }).click();
    await fillEditor(page, '.graphiql-editor-tool', JSON.stringify({ id: fixture.foreignerId }));

    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.result-window');
    await result.filter({ hasText: fixture.permitNumber }).waitFor();
    const answer = await result.innerText();
    expect(answer).toContain('Chen Jing');
    expect(answer).toContain(fixture.foreignerId);
    expect(answer).toContain('Kantor Imigrasi Kelas III Baturaja');

    await fs.mkdir(OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'explorer.png') });
  } finally {
    await context.close();
  }

  expect(problems).toEqual([]);
  // the page, its bundle, introspection, the token and the operation: all from the hub itself
  expect(requests.length).toBeGreaterThanOrEqual(5);
  expect(requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'))).toEqual([]);
  expect(requests).toEqual(
    expect.arrayContaining([
      `${origin}/explorer`,
      `${origin}/explorer/assets/main.js`,
      `${origin}/explorer/assets/main.css`,
      `${origin}/explorer/dev-token`,
      `${origin}/graphql`,
    ]),
  );
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
    await page.getByText('Put your token and the purpose of your request into the Headers editor').waitFor();
    expect(await page.getByRole('button', { name: 'Get development token' }).count()).toBe(0);
    // with the placeholder still there, the page says where a token comes from and sends nothing
    await page.locator('.graphiql-execute-button').click();
    await page.locator('.result-window').filter({ hasText: 'No token yet' }).waitFor();
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
