/**
 * The example agency client (clients/typescript/example.ts) against a test hub: it writes
 * through the immigration subgraph and reads through the gateway with the operations typed by
 * graphql-codegen. It compiles on its own as an agency project would build it, and the
 * generated types are current.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { registerArrival } from '../../clients/typescript/example.js';
import {
  ForeignerRegistrationDocument,
  RegisterForeignerDocument,
} from '../../clients/typescript/generated/graphql.js';
import { HubRequestError, createHubClient, type HubClient } from '../../clients/typescript/hub-client.js';
import { dayFromToday } from '../helpers/fixtures.js';
import { IMMIGRATION_OKU, POLICE_OKU, tokenFor } from '../helpers/graphql.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

const run = promisify(execFile);

it('the generated client types are current (run `npm run codegen` after changing the schema or an operation)', async () => {
  // in a process of its own: graphql-codegen loads its plugins in ways Jest's module system does not
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/codegen.ts', '--check'], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  expect(stdout).toContain('clients/typescript/generated/graphql.ts is current.');
}, 60_000);

it('the example client compiles on its own with strict TypeScript', async () => {
  const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
  await expect(
    promisify(execFile)(process.execPath, [tsc, '-p', 'clients/typescript'], { cwd: ROOT }),
  ).resolves.toMatchObject({ stderr: '' });
}, 60_000);

describe('against a hub', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub('client');
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
  });

  it('registers an arrival through immigration and reads its SKLD/SKTT compliance through the gateway', async () => {
    const report = await registerArrival({
      gatewayUrl: hub.gatewayUrl,
      immigrationUrl: hub.subgraphs.immigration.url,
      token: await tokenFor(IMMIGRATION_OKU),
      arrival: {
        fullName: 'Li Na',
        nationality: 'CHN',
        sex: 'FEMALE',
        dateOfBirth: '1991-07-08',
        passportNumber: 'EC1234567',
        domicileRegionCode: '16.01.14.1001',
      },
      permit: { number: 'ITAS-EX-000001', issuedAt: dayFromToday(-1), expiresAt: dayFromToday(365), sponsor: 'PT X' },
    });
    expect(report.registration).toEqual({
      id: report.foreignerId,
      fullName: 'Li Na',
      domicileRegionCode: '16.01.14.1001',
      currentPermit: { number: 'ITAS-EX-000001', type: 'LIMITED_STAY', expiresAt: dayFromToday(365) },
      selfReportCompliance: 'MISSING',
      residenceCompliance: 'MISSING',
    });
    expect(report.todo).toEqual([
      'report to the Polres for an SKLD',
      'register the residence with Dukcapil for an SKTT',
    ]);
  });

  it('raises the hub’s error code when a write is refused', async () => {
    const police: HubClient = createHubClient({
      url: hub.subgraphs.immigration.url,
      token: await tokenFor(POLICE_OKU),
      purpose: 'test',
    });
    const input = {
      fullName: 'X',
      nationality: 'CHN',
      sex: 'MALE' as const,
      dateOfBirth: '1990-01-01',
      passportNumber: 'EC7654321',
      domicileRegionCode: '16.01.14.1001',
    };
    const refused = police.request(RegisterForeignerDocument, { input });
    await expect(refused).rejects.toBeInstanceOf(HubRequestError);
    await expect(refused).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('raises every error code, also when the answer carries data beside it, unless the caller accepts it as partial', async () => {
    const immigration = await tokenFor(IMMIGRATION_OKU);
    const { foreignerId } = await registerArrival({
      gatewayUrl: hub.gatewayUrl,
      immigrationUrl: hub.subgraphs.immigration.url,
      token: immigration,
      arrival: {
        fullName: 'Nguyen Van An',
        nationality: 'VNM',
        sex: 'MALE',
        dateOfBirth: '1988-02-03',
        passportNumber: 'C1234567',
        domicileRegionCode: '16.01.14.1001',
      },
      permit: { number: 'ITAS-EX-000002', issuedAt: dayFromToday(-1), expiresAt: dayFromToday(365), sponsor: 'PT X' },
    });

    // no purpose: the hub answers `foreigner: null` with PURPOSE_REQUIRED, which is raised
    const noPurpose = createHubClient({ url: hub.gatewayUrl, token: immigration });
    const withoutPurpose = noPurpose.request(ForeignerRegistrationDocument, { id: foreignerId });
    await expect(withoutPurpose).rejects.toBeInstanceOf(HubRequestError);
    await expect(withoutPurpose).rejects.toMatchObject({ code: 'PURPOSE_REQUIRED', data: { foreigner: null } });

    // prosecutors hold no residence:read: the SKTT compliance is refused beside the served fields
    const prosecutor = createHubClient({
      url: hub.gatewayUrl,
      token: await tokenFor({ agencyType: 'PROSECUTOR', agency: 'KEJARI-OKU', jurisdiction: ['16.01'] }),
      purpose: 'case preparation',
    });
    const refused = prosecutor.request(ForeignerRegistrationDocument, { id: foreignerId });
    await expect(refused).rejects.toMatchObject({ code: 'FORBIDDEN', status: 200 });
    const partial = await prosecutor.request(
      ForeignerRegistrationDocument,
      { id: foreignerId },
      { partial: ['FORBIDDEN'] },
    );
    expect(partial.data.foreigner).toMatchObject({ id: foreignerId, residenceCompliance: null });
    expect(partial.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);

    // an unreachable hub is an error with status 0, not a crash
    const nowhere = createHubClient({ url: 'http://127.0.0.1:9/graphql', token: immigration });
    await expect(nowhere.request(ForeignerRegistrationDocument, { id: foreignerId })).rejects.toMatchObject({
      status: 0,
    });
  });
});

/** Never called: it only has to compile, and proves that the generated types reject mistakes. */
export function typeErrorsTheGeneratedTypesCatch(client: HubClient): void {
  // @ts-expect-error -- a misspelt variable does not compile
  void client.request(RegisterForeignerDocument, { inptu: {} });
  void client
    .request(RegisterForeignerDocument, {
      input: {
        fullName: 'X',
        nationality: 'CHN',
        // @ts-expect-error -- not a value of the schema's Sex enum
        sex: 'UNKNOWN',
        dateOfBirth: '1990-01-01',
        passportNumber: 'X',
        domicileRegionCode: '16',
      },
    })
    // @ts-expect-error -- the answer has no such field
    .then((r) => r.data.registerForeigner.foreigner.passport);
}
