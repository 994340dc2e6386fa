/**
 * The police subgraph reads a foreigner's SKLDs and incidents through the per-foreigner record
 * index (`foreigner_records`): what a filing lists there, what a failed filing leaves behind
 * (nothing visible), and a database written before the index existed (indexed at start).
 */
import mongoose, { type Connection } from 'mongoose';
import { RECORD_INDEX_COLLECTION, RECORD_INDEX_MIGRATION } from '../../common/db/record-index.js';
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
  subgraph = await startTestSubgraph(policeSubgraph, 'police_index');
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
    }),
  );
  return data._entities;
}

function indexEntry(connection: Connection, foreignerId: string) {
  return connection.collection(RECORD_INDEX_COLLECTION).findOne({ _id: foreignerId as never });
}

describe('filing', () => {
  it("lists each SKLD and incident under its foreigners and reads them back in the schema's order", async () => {
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
    const filed = await write(subgraph.url, FILE, shared);

    const entryB = await indexEntry(subgraph.db.connection, b);
    expect(entryB).toEqual({ _id: b, incidents: [filed.fileIncident.incident.id] });

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

  it('lists every one of concurrent filings about foreigners not indexed yet', async () => {
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

  it('applies the jurisdiction to the records read through the index', async () => {
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
  /** Makes the next `create` of a model fail as a lost connection would, after the index write. */
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

  it('leaves no SKLD visible and takes its id off the index', async () => {
    const foreignerId = unique('WNA-IDX-F-');
    const kept = skld(foreignerId);
    await write(subgraph.url, ISSUE, kept);
    const lost = skld(foreignerId);
    const response = await withFailingCreate('SelfReportCertificate', () =>
      graphql(subgraph.url, ISSUE, { token: national, variables: { input: lost } }),
    );
    expectError(response, 'INTERNAL_SERVER_ERROR');
    const entry = await indexEntry(subgraph.db.connection, foreignerId);
    expect(entry?.selfReports).toHaveLength(1);
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
    for (const foreignerId of [a, b]) {
      expect((await indexEntry(subgraph.db.connection, foreignerId))?.incidents ?? []).toEqual([]);
    }
    expect(await recordsOf(subgraph.url, [a, b])).toEqual([
      { id: a, selfReports: [], incidents: [] },
      { id: b, selfReports: [], incidents: [] },
    ]);
  });

  it('shows nothing for an index id whose record was never written (a crash between the writes)', async () => {
    const foreignerId = unique('WNA-IDX-C-');
    const kept = skld(foreignerId);
    await write(subgraph.url, ISSUE, kept);
    await subgraph.db.connection
      .collection(RECORD_INDEX_COLLECTION)
      .updateOne(
        { _id: foreignerId as never },
        { $push: { selfReports: 'never-written', incidents: 'never-written-either' } as never },
      );
    expect(await recordsOf(subgraph.url, [foreignerId])).toEqual([
      { id: foreignerId, selfReports: [{ number: kept.number }], incidents: [] },
    ]);
  });
});

describe('a database written before the record index existed', () => {
  const dbName = uniqueDbName('police_legacy');
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

  it('gets its index built when the subgraph starts, once', async () => {
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

    started = await startSubgraph(policeSubgraph, testSubgraphConfig('police', dbName));
    expect(await recordsOf(started.url, ['WNA-LEGACY-1', 'WNA-LEGACY-2'])).toEqual([
      {
        id: 'WNA-LEGACY-1',
        selfReports: [{ number: 'SKLD/LEGACY/1' }],
        incidents: [{ reportNumber: 'LP/B/LEGACY/1', involvement: 'VICTIM' }],
      },
      { id: 'WNA-LEGACY-2', selfReports: [], incidents: [{ reportNumber: 'LP/B/LEGACY/1', involvement: 'SUSPECT' }] },
    ]);
    const migration = () => legacy.collection('migrations').findOne({ _id: RECORD_INDEX_MIGRATION as never });
    const built = await migration();
    expect(built).toMatchObject({ result: 2 });

    // a second start finds the migration done (no rebuild) and keeps the index written since
    await write(started.url, ISSUE, skld('WNA-LEGACY-2', { number: 'SKLD/LEGACY/2' }));
    await started.stop();
    started = await startSubgraph(policeSubgraph, testSubgraphConfig('police', dbName));
    expect(await migration()).toEqual(built);
    expect((await recordsOf(started.url, ['WNA-LEGACY-2']))[0].selfReports).toEqual([{ number: 'SKLD/LEGACY/2' }]);
  });
});
