/**
 * Structured logs: one JSON line per operation in the gateway and in every subgraph it
 * called, all carrying the same request id (which the access log records too), and never a
 * token, a variable or a foreigner's data.
 */
import { createLogger } from '../../common/logger.js';
import { recordFullForeigner, type FullForeigner } from '../helpers/fixtures.js';
import { expectNoErrors, graphql, IMMIGRATION_OKU, tokenFor } from '../helpers/graphql.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { LogCapture } from '../helpers/logs.js';

const logs = new LogCapture();
let hub: TestHub;
let token: string;
let foreigner: FullForeigner;

const FOREIGNER_FILE = /* GraphQL */ `
  query OpsLoggedFile($id: ID!) {
    foreigner(id: $id) {
      fullName
      passportNumber
      selfReports {
        number
      }
      residence {
        address
      }
    }
  }
`;

beforeAll(async () => {
  const env = { LOG_LEVEL: 'info' };
  hub = await startTestHub('ops_logs', { gatewayEnv: env, subgraphEnv: env, logDestination: logs });
  token = await tokenFor(IMMIGRATION_OKU);
  foreigner = await recordFullForeigner(hub);
}, 120_000);
afterAll(() => hub?.stop());

describe('operation logs', () => {
  it('carries the request id from the gateway to every subgraph it called, and into the access log', async () => {
    const requestId = 'ops-log-request-0001';
    expectNoErrors(
      await graphql(hub.gatewayUrl, FOREIGNER_FILE, {
        token,
        variables: { id: foreigner.foreignerId },
        headers: { 'x-request-id': requestId },
      }),
    );
    const lines = logs.find({ requestId, msg: 'operation' });
    expect(lines.map((l) => l.service).sort()).toEqual(['gateway', 'immigration', 'local-government', 'police']);

    const gateway = lines.find((l) => l.service === 'gateway')!;
    expect(gateway).toMatchObject({
      level: 30,
      operationName: 'OpsLoggedFile',
      agency: IMMIGRATION_OKU.agency,
      errorCodes: [],
      durationMs: expect.any(Number),
    });
    for (const line of lines.filter((l) => l.service !== 'gateway')) {
      expect(line).toMatchObject({
        // the planner's name of the fetch: <client operation>__<subgraph, "-" as "_">__<step>
        operationName: expect.stringMatching(new RegExp(`^OpsLoggedFile__${line.service.replace('-', '_')}__\\d+$`)),
        operationType: 'query',
        clientOperationName: 'OpsLoggedFile',
        agency: IMMIGRATION_OKU.agency,
        durationMs: expect.any(Number),
        errorCodes: [],
      });
      expect(typeof line.time).toBe('string');
    }

    const record = await hub.subgraphs.police.db.connection
      .collection('access_log')
      .findOne({ requestId }, { projection: { requestId: 1, operationName: 1 } });
    expect(record).toMatchObject({ requestId, operationName: 'OpsLoggedFile' });
  });

  it('gives a request without an id one, the same in every service', async () => {
    expectNoErrors(await graphql(hub.gatewayUrl, FOREIGNER_FILE, { token, variables: { id: foreigner.foreignerId } }));
    const gateway = logs.find({ service: 'gateway', msg: 'operation', operationName: 'OpsLoggedFile' }).at(-1)!;
    expect(gateway.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(logs.find({ requestId: gateway.requestId, msg: 'operation' })).toHaveLength(4);
  });

  it('logs error codes', async () => {
    const response = await graphql(hub.gatewayUrl, 'query OpsBadPage { foreigners(first: -1) { totalCount } }', {
      token,
      headers: { 'x-request-id': 'ops-log-request-0002' },
    });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const lines = logs.find({ requestId: 'ops-log-request-0002', msg: 'operation' });
    expect(lines.map((l) => [l.service, l.errorCodes])).toEqual(
      expect.arrayContaining([
        ['gateway', ['BAD_USER_INPUT']],
        ['immigration', ['BAD_USER_INPUT']],
      ]),
    );
  });

  it('never logs a token, a variable or personal data', () => {
    expect(logs.raw.length).toBeGreaterThan(20);
    const text = logs.text;
    expect(text).not.toContain(token);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./); // no JWT at all
    // written by the fixture's mutations (as variables) and read back by the queries above
    for (const value of [
      foreigner.passportNumber,
      foreigner.permitNumber,
      'Chen Jing',
      'Jl. Dr. Moh. Hatta 12',
      'Neighbours report frequent night-time visitors',
      '1988-06-01',
    ]) {
      expect(text).not.toContain(value);
    }
    expect(logs.lines.some((l) => 'variables' in l)).toBe(false);
  });
});

describe('the logger', () => {
  it('drops the values a database error quotes, variables and authorization headers', () => {
    const capture = new LogCapture();
    const log = createLogger('test', 'info', capture);
    const duplicate = Object.assign(
      new Error(
        'E11000 duplicate key error collection: t.foreigners index: passportNumber_1 dup key: { passportNumber: "X1234567" }',
      ),
      { code: 11000, keyValue: { passportNumber: 'X1234567' }, errorResponse: { errmsg: 'dup key X1234567' } },
    );
    log.error(
      { err: duplicate, variables: { passportNumber: 'X1234567' }, headers: { authorization: 'Bearer abc' } },
      'x',
    );
    expect(capture.text).not.toContain('X1234567');
    expect(capture.text).not.toContain('Bearer abc');
    expect(capture.lines[0]).toMatchObject({
      err: { code: 11000, message: expect.stringContaining('dup key: { [redacted] }') },
    });
  });
});
