/**
 * A subgraph's connection lost before it answered — a replica restarting, a keep-alive connection
 * closed by the peer just as the gateway reuses it: the gateway sends the fetch once more, on a
 * new connection, when that cannot write twice (a query, or a mutation with an Idempotency-Key),
 * so the user gets the whole answer; a mutation without a key is not resent, and its error says
 * so. The local-government subgraph is reached through a TCP stand-in (`startResettingLine`,
 * test/helpers/faults.ts) that resets, or closes, connections on a request's arrival or instead of
 * passing its answer on.
 */
import { randomUUID } from 'node:crypto';
import type { RunningService } from '../../common/server/http-service.js';
import { startGateway } from '../../gateway/src/server.js';
import { testGatewayConfig } from '../helpers/env.js';
import {
  startDelayingProxy,
  startResettingLine,
  waitFor,
  type DelayingProxy,
  type ResettingLine,
} from '../helpers/faults.js';
import {
  communityReportInput,
  NATIONAL_READER,
  NATIONAL_WRITERS,
  recordFullForeigner,
  type FullForeigner,
} from '../helpers/fixtures.js';
import { graphql, tokenFor, type GraphQLResponse } from '../helpers/graphql.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { LogCapture } from '../helpers/logs.js';
import { scrapeMetrics, sumOf } from '../helpers/metrics.js';

let hub: TestHub;
let line: ResettingLine;
let gateway: RunningService;
const logs = new LogCapture();
let fixture: FullForeigner;
let token: string;
let writer: string;

/** A gateway over the hub's subgraphs, local government reached through `localGovernmentUrl`, logging warnings. */
function startGatewayThrough(localGovernmentUrl: string, env: Record<string, string> = {}): Promise<RunningService> {
  return startGateway(
    testGatewayConfig(
      {
        immigration: hub.subgraphs.immigration.url,
        police: hub.subgraphs.police.url,
        'local-government': localGovernmentUrl,
      },
      { LOG_LEVEL: 'warn', ...env },
    ),
    { logDestination: logs },
  );
}

beforeAll(async () => {
  hub = await startTestHub('faults_reset');
  fixture = await recordFullForeigner(hub);
  token = await tokenFor(NATIONAL_READER);
  writer = await tokenFor(NATIONAL_WRITERS.localgov);
  line = await startResettingLine(hub.subgraphs['local-government'].url);
  gateway = await startGatewayThrough(line.url);
}, 300_000);

afterAll(async () => {
  await gateway?.stop();
  await line?.stop();
  await hub?.stop();
}, 60_000);

afterEach(() => {
  line.breakNext = 0;
  line.staleConnections = false;
});

const PROFILE = `query Profile($id: ID!) {
  foreigner(id: $id) { fullName currentPermit { number } residence { number address region { code name } } }
}`;

const profile = (requestId: string) =>
  graphql(gateway.url, PROFILE, {
    token,
    variables: { id: fixture.foreignerId },
    headers: { 'x-request-id': requestId },
  });

/** The gateway's retries of local-government fetches so far. */
async function retries(): Promise<number> {
  return sumOf(await scrapeMetrics(gateway.url), 'timpora_subgraph_fetch_retries_total', {
    subgraph: 'local-government',
  });
}

/** The gateway's warnings about a lost local-government connection for one request. */
const lostConnectionWarnings = (requestId: string) =>
  logs.find({ subgraph: 'local-government', requestId }).filter((l) => l.level === 40);

/** What an access-log record says was disclosed (without who asked, when, and the chain). */
const described = ({ recordIds, foreignerIds, fieldGroups, outcome }: Record<string, unknown>) => ({
  recordIds,
  foreignerIds,
  fieldGroups,
  outcome,
});

/** Access-log records the local-government subgraph wrote for one request. */
const accessRecords = (requestId: string) =>
  hub.subgraphs['local-government'].db.connection.collection('access_log').find({ requestId }).toArray();

const REPORT = `mutation Report($input: SubmitCommunityReportInput!) {
  submitCommunityReport(input: $input) { communityReport { id category description } }
}`;

function submit(description: string, headers: Record<string, string>): Promise<GraphQLResponse> {
  return graphql(gateway.url, REPORT, {
    token: writer,
    headers,
    variables: { input: communityReportInput(description) },
  });
}

/** Community reports stored with this description. */
const reportsWith = (description: string) =>
  hub.subgraphs['local-government'].db.connection.collection('community_reports').countDocuments({ description });

let undisturbed: GraphQLResponse;
let undisturbedId: string;

it('answers the whole profile through the stand-in while it breaks nothing', async () => {
  undisturbedId = `undisturbed-${randomUUID()}`;
  undisturbed = await profile(undisturbedId);
  expect(undisturbed.errors).toBeUndefined();
  expect(undisturbed.data?.foreigner).toMatchObject({
    fullName: 'Chen Jing',
    residence: { number: expect.any(String) },
  });
});

describe.each([
  ['reset', 'ECONNRESET'],
  ['close', 'UND_ERR_SOCKET'],
] as const)('with the first attempt of a fetch %s as it arrives', (breakage, code) => {
  it('answers the whole profile, as an undisturbed one, after one retry on a new connection', async () => {
    const requestId = `${breakage}-${randomUUID()}`;
    const [before, requestsBefore, newBefore] = [await retries(), line.requests, line.firstOnConnection];
    line.breakage = breakage;
    line.breakNext = 1;
    const response = await profile(requestId);
    expect(response).toEqual(undisturbed);
    // the first attempt went on the pool's warm connection; the retry on a new one
    expect(line.requests - requestsBefore).toBe(2);
    expect(line.firstOnConnection - newBefore).toBeGreaterThanOrEqual(1);
    expect((await retries()) - before).toBe(1);
    const warnings = lostConnectionWarnings(requestId);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ subgraph: 'local-government', code, requestId, retried: true });
  });
});

it('sends the retry on a new connection, not on another of the pool’s, which may be as stale', async () => {
  // several connections in the gateway's pool, idle, each having carried a request
  const requestsBefore = line.requests;
  const warm = await Promise.all(Array.from({ length: 4 }, (_, i) => profile(`warm-${i}-${randomUUID()}`)));
  for (const response of warm) expect(response).toEqual(undisturbed);
  expect(line.requests - requestsBefore).toBe(4);
  const [before, requests, fresh] = [await retries(), line.requests, line.firstOnConnection];
  line.breakage = 'reset';
  line.staleConnections = true;
  const response = await profile(`stale-${randomUUID()}`);
  expect(response).toEqual(undisturbed);
  expect((await retries()) - before).toBe(1);
  // two attempts: the first on a pooled connection (broken), the retry as the first of a new one
  // (undici's pool often reconnects the client that just broke anyway; the retry's own agent makes it certain)
  expect(line.requests - requests).toBe(2);
  expect(line.firstOnConnection - fresh).toBe(1);
});

it('records a retried query in the access log once when the first attempt never reached the subgraph', async () => {
  const requestId = `logged-once-${randomUUID()}`;
  line.breakage = 'reset';
  line.breakNext = 1;
  expect((await profile(requestId)).errors).toBeUndefined();
  // as many records as for the undisturbed request, saying the same
  const [records, unretried] = [await accessRecords(requestId), await accessRecords(undisturbedId)];
  expect(records).toHaveLength(1);
  expect(unretried).toHaveLength(1);
  expect(described(records[0]!)).toEqual(described(unretried[0]!));
});

it('records it twice when the subgraph answered and the answer was lost: each record is an answer it sent', async () => {
  const requestId = `logged-twice-${randomUUID()}`;
  const before = await retries();
  line.breakage = 'resetAnswer';
  line.breakNext = 1;
  const response = await profile(requestId);
  expect(response).toEqual(undisturbed);
  expect((await retries()) - before).toBe(1);
  const records = await accessRecords(requestId);
  expect(records).toHaveLength(2);
  expect(described(records[1]!)).toEqual(described(records[0]!));
  expect(described(records[0]!)).toEqual(described((await accessRecords(undisturbedId))[0]!));
});

describe('with every connection reset as its request arrives', () => {
  beforeEach(() => {
    line.breakage = 'reset';
    line.breakNext = Infinity;
  });

  it('answers the other agencies’ fields and the same SUBGRAPH_UNAVAILABLE as without a retry, after exactly one', async () => {
    const requestId = `down-${randomUUID()}`;
    const [before, requestsBefore] = [await retries(), line.requests];
    const response = await profile(requestId);
    expect(response.status).toBe(200);
    expect(response.data?.foreigner).toEqual({
      fullName: 'Chen Jing',
      currentPermit: { number: fixture.permitNumber },
      residence: null,
    });
    expect(response.errors).toEqual([
      {
        message: 'Subgraph local-government tidak dapat dihubungi; datanya tidak ada dalam jawaban ini',
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'local-government' },
      },
    ]);
    expect(line.requests - requestsBefore).toBe(2);
    expect((await retries()) - before).toBe(1);
    expect(lostConnectionWarnings(requestId)).toHaveLength(1);
  });
});

describe('a mutation whose connection is reset as it arrives', () => {
  beforeEach(() => {
    line.breakage = 'reset';
    line.breakNext = 1; // a retry would get through
  });

  it('without an Idempotency-Key is not sent again, and its error says so', async () => {
    const description = `not resent ${randomUUID()}`;
    const requestId = `write-${randomUUID()}`;
    const [before, requestsBefore] = [await retries(), line.requests];
    const response = await submit(description, { 'x-request-id': requestId });
    expect(response.data).toBeNull();
    expect(response.errors).toEqual([
      {
        message:
          'Koneksi ke subgraph local-government terputus sebelum subgraph menjawab, jadi perubahan ini mungkin sudah ' +
          'tersimpan atau belum; hub tidak mengirimnya ulang karena permintaan tidak memuat Idempotency-Key. Kirim ' +
          'mutation dengan Idempotency-Key: pengiriman ulang dengan kunci yang sama menyimpannya paling banyak sekali',
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'local-government', field: 'Idempotency-Key' },
      },
    ]);
    expect(line.requests - requestsBefore).toBe(1);
    expect((await retries()) - before).toBe(0);
    expect(lostConnectionWarnings(requestId)).toEqual([
      expect.objectContaining({ code: 'ECONNRESET', retried: false }),
    ]);
    expect(await reportsWith(description)).toBe(0);
  });

  it('with an Idempotency-Key is sent again and written once', async () => {
    const description = `resent ${randomUUID()}`;
    const before = await retries();
    const response = await submit(description, { 'idempotency-key': randomUUID() });
    expect(response.errors).toBeUndefined();
    expect((await retries()) - before).toBe(1);
    expect(await reportsWith(description)).toBe(1);
  });

  it('with an Idempotency-Key, whose answer was lost after it ran, is answered from the first answer: written once', async () => {
    line.breakage = 'resetAnswer';
    const description = `ran, answer lost ${randomUUID()}`;
    const before = await retries();
    const response = await submit(description, { 'idempotency-key': randomUUID() });
    expect(response.errors).toBeUndefined();
    expect((await retries()) - before).toBe(1);
    expect(await reportsWith(description)).toBe(1);
    const stored = await hub.subgraphs['local-government'].db.connection
      .collection('community_reports')
      .findOne({ description });
    expect(response.data).toMatchObject({
      submitCommunityReport: { communityReport: { id: String(stored?._id), description } },
    });
  });
});

describe('a slow subgraph (SUBGRAPH_TIMEOUT_MS of 2 s)', () => {
  const TIMEOUT_MS = 2000;
  let slow: DelayingProxy;
  let slowLine: ResettingLine;
  let impatient: RunningService;
  const REGION = '{ region(code: "16.01") { name } }';
  const TIMED_OUT = {
    message: `Subgraph local-government tidak menjawab dalam ${TIMEOUT_MS.toLocaleString('id-ID')} md; datanya tidak ada dalam jawaban ini`,
    extensions: { code: 'SUBGRAPH_TIMEOUT', serviceName: 'local-government' },
  };

  beforeAll(async () => {
    // the gateway → the resetting stand-in → a stand-in holding every request → local government
    slow = await startDelayingProxy(hub.subgraphs['local-government'].url, 6 * TIMEOUT_MS);
    slowLine = await startResettingLine(slow.url);
    impatient = await startGatewayThrough(slowLine.url, { SUBGRAPH_TIMEOUT_MS: String(TIMEOUT_MS) });
  }, 60_000);
  afterAll(async () => {
    slow?.release();
    await impatient?.stop();
    await slowLine?.stop();
    await slow?.stop();
  }, 60_000);

  const impatientRetries = async () =>
    sumOf(await scrapeMetrics(impatient.url), 'timpora_subgraph_fetch_retries_total', {
      subgraph: 'local-government',
    });

  it('is not retried when it times out', async () => {
    const requestId = `timeout-${randomUUID()}`;
    const [requestsBefore, abandoned] = [slowLine.requests, slow.abandoned];
    const response = await graphql(impatient.url, REGION, { token, headers: { 'x-request-id': requestId } });
    expect(response.errors).toEqual([TIMED_OUT]);
    expect(slowLine.requests - requestsBefore).toBe(1);
    await waitFor('the gateway hangs up on the held fetch', () => slow.abandoned === abandoned + 1);
    expect(await impatientRetries()).toBe(0);
    expect(lostConnectionWarnings(requestId)).toHaveLength(0);
  });

  it('keeps a reset attempt and its retry within SUBGRAPH_TIMEOUT_MS together', async () => {
    const requestId = `reset-then-slow-${randomUUID()}`;
    const [requestsBefore, abandoned] = [slowLine.requests, slow.abandoned];
    slowLine.breakNext = 1;
    const started = performance.now();
    const response = await graphql(impatient.url, REGION, { token, headers: { 'x-request-id': requestId } });
    const ms = performance.now() - started;
    expect(response.errors).toEqual([TIMED_OUT]);
    // the retry was sent and held until the one timeout ran out: not a second SUBGRAPH_TIMEOUT_MS
    expect(slowLine.requests - requestsBefore).toBe(2);
    expect(await impatientRetries()).toBe(1);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(2 * TIMEOUT_MS);
    // the retry was the only request that reached the holding stand-in, and the gateway hung up on it
    await waitFor('the gateway hangs up on the held retry', () => slow.abandoned === abandoned + 1);
  });
});
