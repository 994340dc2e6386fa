/**
 * Idempotent writes through the gateway: a mutation retried with the same `Idempotency-Key`
 * runs once and every retry gets the first answer; the key reused for another request is
 * refused; concurrent requests with one key write one record.
 */
import { randomUUID } from 'node:crypto';
import { IDEMPOTENCY_COLLECTION } from '../../common/server/idempotency.js';
import { graphql, tokenFor, type GraphQLResponse } from '../helpers/graphql.js';
import { NATIONAL_WRITERS } from '../helpers/fixtures.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

let hub: TestHub;
let localgov: string;
let otherLocalgov: string;
let immigration: string;

beforeAll(async () => {
  hub = await startTestHub('faults_idem');
  localgov = await tokenFor(NATIONAL_WRITERS.localgov);
  otherLocalgov = await tokenFor({ agencyType: 'LOCAL_GOVERNMENT', agency: 'DUKCAPIL-OKU', jurisdiction: ['16.01'] });
  immigration = await tokenFor(NATIONAL_WRITERS.immigration);
}, 120_000);
afterAll(() => hub?.stop());

const REPORT = `mutation Report($input: SubmitCommunityReportInput!) {
  submitCommunityReport(input: $input) { communityReport { id category description } }
}`;

function report(description: string, category = 'OTHER') {
  return {
    category,
    regionCode: '16.01.14.1001',
    reportedAt: '2026-03-04T05:06:07Z',
    description,
    reportedBy: 'Kepala Desa Baturaja Lama',
  };
}

type Submitted = { submitCommunityReport: { communityReport: { id: string } } };

async function submit(
  input: Record<string, unknown>,
  key: string | null,
  token = localgov,
): Promise<GraphQLResponse<Submitted>> {
  return graphql(hub.gatewayUrl, REPORT, {
    token,
    variables: { input },
    headers: key === null ? {} : { 'idempotency-key': key },
  });
}

/** Community reports stored with this description. */
async function reportsWith(description: string): Promise<number> {
  return hub.subgraphs['local-government'].db.connection
    .collection('community_reports')
    .countDocuments({ description });
}

it('without a key, a retried mutation writes twice (what the key prevents)', async () => {
  const description = `no key ${randomUUID()}`;
  const first = await submit(report(description), null);
  const second = await submit(report(description), null);
  expect(first.errors).toBeUndefined();
  expect(second.data?.submitCommunityReport.communityReport.id).not.toBe(
    first.data?.submitCommunityReport.communityReport.id,
  );
  expect(await reportsWith(description)).toBe(2);
});

it('with a key, a retry writes nothing and gets the first answer', async () => {
  const description = `keyed ${randomUUID()}`;
  const key = randomUUID();
  const first = await submit(report(description), key);
  expect(first.errors).toBeUndefined();
  const retries = [await submit(report(description), key), await submit(report(description), key)];
  for (const retry of retries) expect(retry).toEqual(first);
  expect(await reportsWith(description)).toBe(1);
});

it('refuses the key reused for a different request, with 409 IDEMPOTENCY_KEY_REUSED, and writes nothing', async () => {
  const description = `first ${randomUUID()}`;
  const key = randomUUID();
  expect((await submit(report(description), key)).errors).toBeUndefined();
  const other = `second ${randomUUID()}`;
  const refused = await submit(report(other), key);
  expect(refused.status).toBe(409);
  expect(refused.data).toBeNull();
  expect(refused.errors).toEqual([
    {
      message: 'Idempotency-Key ini sudah dipakai untuk permintaan lain; gunakan kunci baru untuk permintaan baru',
      path: ['submitCommunityReport'],
      extensions: { code: 'IDEMPOTENCY_KEY_REUSED', serviceName: 'local-government' },
    },
  ]);
  // another mutation altogether under the same key is refused too
  const registration = await graphql(
    hub.gatewayUrl,
    `
      mutation ($input: RegisterForeignerInput!) {
        registerForeigner(input: $input) {
          foreigner {
            id
          }
        }
      }
    `,
    {
      token: localgov,
      headers: { 'idempotency-key': key },
      variables: {
        input: {
          fullName: 'X',
          nationality: 'CHN',
          sex: 'MALE',
          dateOfBirth: '1990-01-01',
          passportNumber: 'E0000001',
          domicileRegionCode: '16.01',
        },
      },
    },
  );
  expect(registration.errors?.[0]?.extensions?.code).toBe('FORBIDDEN'); // local government may not register
  expect(await reportsWith(other)).toBe(0);
  expect(await reportsWith(description)).toBe(1);
});

it('keeps the keys of different agencies apart', async () => {
  const key = randomUUID();
  const a = `agency a ${randomUUID()}`;
  const b = `agency b ${randomUUID()}`;
  expect((await submit(report(a), key)).errors).toBeUndefined();
  expect((await submit(report(b), key, otherLocalgov)).errors).toBeUndefined();
  expect(await reportsWith(a)).toBe(1);
  expect(await reportsWith(b)).toBe(1);
});

it('writes one record for concurrent requests with one key, and answers them all alike', async () => {
  const description = `concurrent ${randomUUID()}`;
  const key = randomUUID();
  const answers = await Promise.all(Array.from({ length: 6 }, () => submit(report(description), key)));
  for (const answer of answers) {
    expect(answer.status).toBe(200);
    expect(answer).toEqual(answers[0]);
  }
  expect(answers[0]!.errors).toBeUndefined();
  expect(await reportsWith(description)).toBe(1);
});

it('registers a foreigner once however often the registration is retried', async () => {
  const passportNumber = `K${String(Date.now()).slice(-7)}`;
  const key = randomUUID();
  const register = () =>
    graphql(
      hub.gatewayUrl,
      `
        mutation ($input: RegisterForeignerInput!) {
          registerForeigner(input: $input) {
            foreigner {
              id
              fullName
            }
          }
        }
      `,
      {
        token: immigration,
        headers: { 'idempotency-key': key },
        variables: {
          input: {
            fullName: 'Park Ji-woo',
            nationality: 'KOR',
            sex: 'FEMALE',
            dateOfBirth: '1991-07-08',
            passportNumber,
            domicileRegionCode: '16.01.14.1001',
          },
        },
      },
    );
  const first = await register();
  expect(first.errors).toBeUndefined();
  expect(await register()).toEqual(first);
  const foreigners = hub.subgraphs.immigration.db.connection.collection('foreigners');
  expect(await foreigners.countDocuments({ passportNumber })).toBe(1);
});

it('keeps nothing for a refused write: a retry runs again, and may correct the input under the same key', async () => {
  const key = randomUUID();
  const description = `corrected ${randomUUID()}`;
  const bad = { ...report(description), regionCode: '99.99' };
  const first = await submit(bad, key);
  expect(first.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(await submit(bad, key)).toEqual(first);
  expect(await reportsWith(description)).toBe(0);
  const corrected = await submit(report(description), key);
  expect(corrected.errors).toBeUndefined();
  expect(await submit(report(description), key)).toEqual(corrected);
  expect(await reportsWith(description)).toBe(1);
});

it('refuses a malformed key before anything reaches a subgraph', async () => {
  const description = `malformed key ${randomUUID()}`;
  const response = await submit(report(description), 'not a valid key: it has spaces');
  expect(response.status).toBe(400);
  expect(response.errors).toEqual([
    {
      message: 'Idempotency-Key: harus 1 sampai 255 karakter ASCII yang terlihat',
      extensions: { code: 'BAD_USER_INPUT', field: 'Idempotency-Key' },
    },
  ]);
  expect(await reportsWith(description)).toBe(0);
});

it('ignores the key on queries', async () => {
  const response = await graphql(hub.gatewayUrl, '{ region(code: "16.01") { name } }', {
    token: localgov,
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(response.errors).toBeUndefined();
});

it('works on a subgraph reached directly, keyed by the request itself', async () => {
  const description = `direct ${randomUUID()}`;
  const key = randomUUID();
  const send = () =>
    graphql(hub.subgraphs['local-government'].url, REPORT, {
      token: localgov,
      variables: { input: report(description) },
      headers: { 'idempotency-key': key },
    });
  const first = await send();
  expect(first.errors).toBeUndefined();
  expect(await send()).toEqual(first);
  expect(await reportsWith(description)).toBe(1);
});

it('writes a replayed answer to the access log again: it discloses again', async () => {
  const accessLog = hub.subgraphs['local-government'].db.connection.collection('access_log');
  const key = randomUUID();
  const input = report(`logged ${randomUUID()}`);
  const before = await accessLog.countDocuments({});
  await submit(input, key);
  const afterFirst = await accessLog.countDocuments({});
  await submit(input, key);
  expect(afterFirst).toBe(before + 1);
  expect(await accessLog.countDocuments({})).toBe(afterFirst + 1);
});

it('keeps its records under string ids, the lookups FerretDB pushes down', async () => {
  const records = await hub.subgraphs['local-government'].db.connection
    .collection(IDEMPOTENCY_COLLECTION)
    .find({})
    .toArray();
  expect(records.length).toBeGreaterThan(0);
  for (const record of records) expect(String(record._id)).toMatch(/^[kr]:[0-9a-f]{64}$/);
  expect(records.filter((r) => String(r._id).startsWith('r:')).every((r) => r.state === 'done')).toBe(true);
});
