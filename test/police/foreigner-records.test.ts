/**
 * A foreigner's SKLDs and incidents as the police subgraph reads them (by `foreignerId`, and by
 * `foreignerIds` for an incident's parties): in the schema's order, every one of concurrent
 * filings, only those in the caller's jurisdiction, nothing of a failed filing, and a database
 * written by the earlier design (with its record index) starting and answering.
 */
import mongoose, { type Connection } from 'mongoose';
import { PLAIN_MODEL_MIGRATION } from '../../common/db/migrations.js';
import { startSubgraph, type RunningSubgraph } from '../../common/server/subgraph-server.js';
import { policeSubgraph } from '../../subgraphs/police/src/index.js';
import { testMongoUri, testSubgraphConfig, uniqueDbName } from '../helpers/env.js';
import { expectError, expectNoErrors, graphql, POLICE_OKU, tokenFor } from '../helpers/graphql.js';
import { startTestSubgraph, type TestSubgraph } from '../helpers/subgraph.js';

const OKU_VILLAGE = '16.01.14.1001';
const OKU_TIMUR_VILLAGE = '16.08.01.1007';

let subgraph: TestSubgraph;
let national: string;
let oku: string;

beforeAll(async () => {
  subgraph = await startTestSubgraph(policeSubgraph, 'police_records');
  national = await tokenFor({ agencyType: 'POLICE', agency: 'MABES-POLRI', jurisdiction: ['*'] });
  oku = await tokenFor(POLICE_OKU);
});
afterAll(() => subgraph?.stop());

const ISSUE = /* GraphQL */ `
  mutation ($input: IssueSelfReportCertificateInput!) {
    issueSelfReportCertificate(input: $input) {
      selfReportCertificate {
        number
      }
    }
  }
`;
const FILE = /* GraphQL */ `
  mutation ($input: FileIncidentInput!) {
    fileIncident(input: $input) {
      incident {
        id
      }
    }
  }
`;
const RECORDS = /* GraphQL */ `
  query ($r: [_Any!]!) {
    _entities(representations: $r) {
      ... on Foreigner {
        id
        selfReports {
          number
        }
        incidents {
          reportNumber
          involvement
        }
      }
    }
  }
`;

let seq = 0;
const unique = (prefix: string) => `${prefix}${process.pid}-${++seq}`;

function skld(foreignerId: string, overrides: Record<string, unknown> = {}) {
  return {
    foreignerId,
    number: unique('SKLD/IDX/'),
    issuedAt: '2025-01-10',
    validUntil: '2099-01-09',
    issuingUnit: 'Polres Ogan Komering Ulu',
    address: 'Jl. Dr. Moh. Hatta 12, Baturaja',
    regionCode: OKU_VILLAGE,
    ...overrides,
  };
}

function incident(parties: { foreignerId: string; involvement: string }[], overrides: Record<string, unknown> = {}) {
  return {
    reportNumber: unique('LP/B/IDX/'),
    category: 'THEFT',
    occurredAt: '2025-03-03T10:00:00Z',
    regionCode: OKU_VILLAGE,
    summary: 'Mobile phone stolen at the market; the foreigner reported it.',
    parties,
    ...overrides,
  };
}

async function write(url: string, query: string, input: unknown, token = national) {
  return expectNoErrors(await graphql(url, query, { token, variables: { input } }));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the shape of RECORDS
async function recordsOf(url: string, foreignerIds: string[], token = national): Promise<any[]> {
  const data = expectNoErrors(
    await graphql(url, RECORDS, {
      token,
      variables: { r: foreignerIds.map((id) => ({ __typename: 'Foreigner', id })) },
      asGateway: 'police',
    }),
  );
  return data._entities;
}

describe('filing', () => {
  it("reads each SKLD and incident back under its foreigners, in the schema's order", async () => {
    const [a, b] = [unique('WNA-IDX-A-'), unique('WNA-IDX-B-')];
    const older = skld(a, { issuedAt: '2024-01-10' });
    const newer = skld(a, { issuedAt: '2025-06-01' });
    await write(subgraph.url, ISSUE, older);
    await write(subgraph.url, ISSUE, newer);
    const early = incident([{ foreignerId: a, involvement: 'VICTIM' }], { occurredAt: '2024-02-02T08:00:00Z' });
    const shared = incident([
      { foreignerId: a, involvement: 'SUSPECT' },
      { foreignerId: b, involvement: 'WITNESS' },
    ]);
    await write(subgraph.url, FILE, early);
    await write(subgraph.url, FILE, shared);

    expect(await recordsOf(subgraph.url, [a, b, unique('WNA-IDX-NONE-')])).toEqual([
      {
        id: a,
        selfReports: [{ number: newer.number }, { number: older.number }],
        incidents: [
          { reportNumber: shared.reportNumber, involvement: 'SUSPECT' },
          { reportNumber: early.reportNumber, involvement: 'VICTIM' },
        ],
      },
      { id: b, selfReports: [], incidents: [{ reportNumber: shared.reportNumber, involvement: 'WITNESS' }] },
      expect.objectContaining({ selfReports: [], incidents: [] }),
    ]);
  });

  it('shows every one of concurrent filings about new foreigners', async () => {
    const [a, b] = [unique('WNA-IDX-CC-'), unique('WNA-IDX-CC-')];
    const sklds = Array.from({ length: 4 }, () => skld(a));
    const incidents = Array.from({ length: 4 }, () =>
      incident([
        { foreignerId: a, involvement: 'VICTIM' },
        { foreignerId: b, involvement: 'SUSPECT' },
      ]),
    );
    await Promise.all([
      ...sklds.map((input) => write(subgraph.url, ISSUE, input)),
      ...incidents.map((input) => write(subgraph.url, FILE, input)),
    ]);
    const [recordsA, recordsB] = await recordsOf(subgraph.url, [a, b]);
    expect(recordsA.selfReports).toHaveLength(4);
    expect(recordsA.incidents).toHaveLength(4);
    expect(recordsB.incidents).toHaveLength(4);
  });

  it('applies the jurisdiction to the records it reads', async () => {
    const foreignerId = unique('WNA-IDX-J-');
    const inOku = skld(foreignerId);
    await write(subgraph.url, ISSUE, inOku);
    await write(subgraph.url, ISSUE, skld(foreignerId, { regionCode: OKU_TIMUR_VILLAGE }));
    const okuIncident = incident([{ foreignerId, involvement: 'VICTIM' }]);
    await write(subgraph.url, FILE, okuIncident);
    await write(
      subgraph.url,
      FILE,
      incident([{ foreignerId, involvement: 'VICTIM' }], { regionCode: OKU_TIMUR_VILLAGE }),
    );

    const [all] = await recordsOf(subgraph.url, [foreignerId]);
    expect(all.selfReports).toHaveLength(2);
    expect(all.incidents).toHaveLength(2);
    expect(await recordsOf(subgraph.url, [foreignerId], oku)).toEqual([
      {
        id: foreignerId,
        selfReports: [{ number: inOku.number }],
        incidents: [{ reportNumber: okuIncident.reportNumber, involvement: 'VICTIM' }],
      },
    ]);
  });
});

describe('a filing that fails', () => {
  /** Makes the next `create` of a model fail as a lost connection would. */
  async function withFailingCreate<T>(modelName: string, run: () => Promise<T>): Promise<T> {
    const model = subgraph.db.connection.models[modelName] as unknown as Record<string, unknown>;
    model.create = async () => {
      throw new Error('connection lost');
    };
    try {
      return await run();
    } finally {
      delete model.create;
    }
  }

  it('leaves no SKLD visible', async () => {
    const foreignerId = unique('WNA-IDX-F-');
    const kept = skld(foreignerId);
    await write(subgraph.url, ISSUE, kept);
    const lost = skld(foreignerId);
    const response = await withFailingCreate('SelfReportCertificate', () =>
      graphql(subgraph.url, ISSUE, { token: national, variables: { input: lost } }),
    );
    expectError(response, 'INTERNAL_SERVER_ERROR');
    expect((await recordsOf(subgraph.url, [foreignerId]))[0].selfReports).toEqual([{ number: kept.number }]);
    // the number is still free: the failed filing wrote no certificate
    await write(subgraph.url, ISSUE, lost);
  });

  it('leaves no incident visible under any of its parties', async () => {
    const [a, b] = [unique('WNA-IDX-F-'), unique('WNA-IDX-F-')];
    const response = await withFailingCreate('Incident', () =>
      graphql(subgraph.url, FILE, {
        token: national,
        variables: {
          input: incident([
            { foreignerId: a, involvement: 'VICTIM' },
            { foreignerId: b, involvement: 'SUSPECT' },
          ]),
        },
      }),
    );
    expectError(response, 'INTERNAL_SERVER_ERROR');
    expect(await recordsOf(subgraph.url, [a, b])).toEqual([
      { id: a, selfReports: [], incidents: [] },
      { id: b, selfReports: [], incidents: [] },
    ]);
  });
});

describe('a database written by the earlier design, with a record index', () => {
  const dbName = uniqueDbName('police_record_index');
  let legacy: Connection;
  let started: RunningSubgraph | undefined;

  beforeAll(async () => {
    legacy = await mongoose.createConnection(testMongoUri(), { dbName }).asPromise();
  });
  afterAll(async () => {
    await started?.stop();
    await legacy.dropDatabase().catch(() => {});
    await legacy.close();
  });

  it('starts, answers from the records, and loses the record index once', async () => {
    const region = {
      regionCode: OKU_VILLAGE,
      regionProvince: '16',
      regionRegency: '16.01',
      regionDistrict: '16.01.14',
    };
    await legacy.collection('self_report_certificates').insertMany([
      {
        _id: 'skld-legacy-1',
        number: 'SKLD/LEGACY/1',
        foreignerId: 'WNA-LEGACY-1',
        issuedAt: new Date('2024-01-10T00:00:00Z'),
        validUntil: new Date('2099-01-09T00:00:00Z'),
        issuingUnit: 'Polres Ogan Komering Ulu',
        address: 'Jl. Lama 1, Baturaja',
        ...region,
        createdAt: new Date(),
      },
    ] as never[]);
    await legacy.collection('incidents').insertMany([
      {
        _id: 'lp-legacy-1',
        reportNumber: 'LP/B/LEGACY/1',
        category: 'FRAUD',
        occurredAt: new Date('2024-05-05T00:00:00Z'),
        ...region,
        status: 'REPORTED',
        summary: 'A legacy incident written before the record index existed.',
        parties: [
          { foreignerId: 'WNA-LEGACY-1', involvement: 'VICTIM' },
          { foreignerId: 'WNA-LEGACY-2', involvement: 'SUSPECT' },
        ],
        foreignerIds: ['WNA-LEGACY-1', 'WNA-LEGACY-2'],
        createdAt: new Date(),
      },
    ] as never[]);
    // the record index as that design kept it, stale (one id missing), and its migration marker
    await legacy
      .collection('foreigner_records')
      .insertMany([{ _id: 'WNA-LEGACY-1', selfReports: ['skld-legacy-1'], incidents: [] }] as never[]);
    await legacy
      .collection('migrations')
      .insertOne({ _id: 'foreigner-record-index', completedAt: new Date(), result: 1 } as never);
    // and its single-field index, replaced by `{ foreignerId: 1, issuedAt: -1, _id: 1 }`
    await legacy.collection('self_report_certificates').createIndex({ foreignerId: 1 });

    started = await startSubgraph(policeSubgraph, testSubgraphConfig('police', dbName));
    expect(await recordsOf(started.url, ['WNA-LEGACY-1', 'WNA-LEGACY-2'])).toEqual([
      {
        id: 'WNA-LEGACY-1',
        selfReports: [{ number: 'SKLD/LEGACY/1' }],
        incidents: [{ reportNumber: 'LP/B/LEGACY/1', involvement: 'VICTIM' }],
      },
      { id: 'WNA-LEGACY-2', selfReports: [], incidents: [{ reportNumber: 'LP/B/LEGACY/1', involvement: 'SUSPECT' }] },
    ]);
    const collections = async () => (await legacy.db!.listCollections().toArray()).map((c) => c.name);
    expect(await collections()).not.toContain('foreigner_records');
    const indexes = async () => (await legacy.collection('self_report_certificates').indexes()).map((i) => i.key);
    expect(await indexes()).toContainEqual({ foreignerId: 1, issuedAt: -1, _id: 1 });
    expect(await indexes()).not.toContainEqual({ foreignerId: 1 });
    const migration = () => legacy.collection('migrations').findOne({ _id: PLAIN_MODEL_MIGRATION as never });
    const done = await migration();
    expect(done).toMatchObject({
      result: { droppedCollections: ['foreigner_records'], droppedIndexes: expect.arrayContaining(['foreignerId_1']) },
    });

    // a second start finds the migration done and keeps what was written since
    await write(started.url, ISSUE, skld('WNA-LEGACY-2', { number: 'SKLD/LEGACY/2' }));
    await started.stop();
    started = await startSubgraph(policeSubgraph, testSubgraphConfig('police', dbName));
    expect(await migration()).toEqual(done);
    expect((await recordsOf(started.url, ['WNA-LEGACY-2']))[0].selfReports).toEqual([{ number: 'SKLD/LEGACY/2' }]);
  });
});
