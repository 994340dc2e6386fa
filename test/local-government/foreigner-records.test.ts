/**
 * A foreigner's residences, employment and community reports as the local-government subgraph
 * reads them (by `foreignerId`): in order per foreigner, every one of concurrent writes, only
 * those in the caller's jurisdiction, nothing of a failed write, and a database written by the
 * earlier design (with its record index) starting and answering.
 */
import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import type { Database } from '../../common/db/connection.js';
import { PLAIN_MODEL_MIGRATION } from '../../common/db/migrations.js';
import { regionAncestryFields } from '../../common/regions.js';
import { startSubgraph } from '../../common/server/subgraph-server.js';
import { localGovernmentSubgraph } from '../../subgraphs/local-government/src/index.js';
import { RECORD_REGION_FIELDS } from '../../subgraphs/local-government/src/models/region.js';
import { testSubgraphConfig } from '../helpers/env.js';
import { NATIONAL_WRITERS } from '../helpers/fixtures.js';
import { expectNoErrors, graphql, LOCALGOV_OKU, tokenFor } from '../helpers/graphql.js';
import { startTestSubgraph, type TestSubgraph } from '../helpers/subgraph.js';

let subgraph: TestSubgraph;
let writer: string;
let oku: string;

beforeAll(async () => {
  subgraph = await startTestSubgraph(localGovernmentSubgraph, 'lg_records');
  writer = await tokenFor(NATIONAL_WRITERS.localgov);
  oku = await tokenFor(LOCALGOV_OKU);
}, 120_000);
afterAll(() => subgraph?.stop());

const OKU_VILLAGE = '16.01.14.1001';
const OKU_TIMUR_VILLAGE = '16.08.01.1007';

const RECORDS = /* GraphQL */ `
  query ($r: [_Any!]!) {
    _entities(representations: $r) {
      ... on Foreigner {
        residence {
          number
        }
        employment {
          employer
        }
        communityReports {
          id
        }
      }
    }
  }
`;

interface Records {
  residence: { number: string } | null;
  employment: { employer: string }[];
  communityReports: { id: string }[];
}

async function recordsOf(url: string, foreignerIds: string[], token = writer): Promise<Records[]> {
  const data = expectNoErrors(
    await graphql(url, RECORDS, {
      token,
      variables: { r: foreignerIds.map((id) => ({ __typename: 'Foreigner', id })) },
      asGateway: 'local-government',
    }),
  );
  return data._entities;
}

async function mutate(mutation: string, input: Record<string, unknown>) {
  return graphql(subgraph.url, mutation, { token: writer, variables: { input } });
}

const REGISTER_RESIDENCE = `mutation($input: RegisterResidenceInput!) { registerResidence(input: $input) { residence { number } } }`;
const RECORD_EMPLOYMENT = `mutation($input: RecordEmploymentInput!) { recordEmployment(input: $input) { employment { id } } }`;
const SUBMIT_REPORT = `mutation($input: SubmitCommunityReportInput!) { submitCommunityReport(input: $input) { communityReport { id } } }`;

function residence(foreignerId: string, fields: Record<string, unknown> = {}) {
  return {
    foreignerId,
    number: `SKTT/${randomUUID().slice(0, 8).toUpperCase()}`,
    address: 'Jl. Dr. Moh. Hatta 12, Baturaja',
    regionCode: OKU_VILLAGE,
    registeredAt: '2025-01-20',
    validUntil: '2099-12-31',
    ...fields,
  };
}

function employment(foreignerId: string, fields: Record<string, unknown> = {}) {
  return {
    foreignerId,
    employer: 'PT Semen Baturaja Fiktif',
    employerSector: 'MANUFACTURING',
    position: 'Kiln engineer',
    workPermitNumber: `RPTKA/${randomUUID().slice(0, 8).toUpperCase()}`,
    regionCode: OKU_VILLAGE,
    startedOn: '2025-01-05',
    ...fields,
  };
}

function report(fields: Record<string, unknown> = {}) {
  return {
    category: 'SUSPICIOUS_ACTIVITY',
    regionCode: OKU_VILLAGE,
    reportedAt: '2025-04-04T08:00:00Z',
    description: 'Neighbours report frequent night-time visitors.',
    reportedBy: 'Kepala Desa',
    ...fields,
  };
}

/** A collection of documents keyed by a string `_id`, read and written without the models. */
function raw(db: Database, name: string) {
  return db.connection.collection<{ _id: string } & Record<string, unknown>>(name);
}

it('reads each written record back under its foreigner, in order, per foreigner', async () => {
  const [a, b] = [`WNA-${randomUUID()}`, `WNA-${randomUUID()}`];
  const older = residence(a, { registeredAt: '2024-01-20', validUntil: '2099-01-01' });
  const newer = residence(a, { registeredAt: '2025-06-01' });
  expectNoErrors(await mutate(REGISTER_RESIDENCE, older));
  expectNoErrors(await mutate(REGISTER_RESIDENCE, newer));
  expectNoErrors(await mutate(RECORD_EMPLOYMENT, employment(a, { employer: 'First', startedOn: '2024-02-01' })));
  expectNoErrors(await mutate(RECORD_EMPLOYMENT, employment(a, { employer: 'Second', startedOn: '2025-02-01' })));
  expectNoErrors(await mutate(RECORD_EMPLOYMENT, employment(b, { employer: 'Of b' })));
  const reported = expectNoErrors(await mutate(SUBMIT_REPORT, report({ foreignerId: b })));
  // a report about nobody identified yet is under no foreigner
  expectNoErrors(await mutate(SUBMIT_REPORT, report()));

  expect(await recordsOf(subgraph.url, [a, b, `WNA-${randomUUID()}`])).toEqual([
    {
      residence: { number: newer.number },
      employment: [{ employer: 'Second' }, { employer: 'First' }],
      communityReports: [],
    },
    {
      residence: null,
      employment: [{ employer: 'Of b' }],
      communityReports: [{ id: reported.submitCommunityReport.communityReport.id }],
    },
    { residence: null, employment: [], communityReports: [] },
  ]);
});

it('shows every one of concurrent writes about a new foreigner', async () => {
  const foreignerId = `WNA-${randomUUID()}`;
  const results = await Promise.all([
    ...Array.from({ length: 3 }, () => mutate(REGISTER_RESIDENCE, residence(foreignerId))),
    ...Array.from({ length: 3 }, () => mutate(RECORD_EMPLOYMENT, employment(foreignerId))),
    ...Array.from({ length: 3 }, () => mutate(SUBMIT_REPORT, report({ foreignerId }))),
  ]);
  for (const result of results) expectNoErrors(result);
  const national = await tokenFor({ agencyType: 'LOCAL_GOVERNMENT', agency: 'KEMENDAGRI', jurisdiction: ['*'] });
  const data = expectNoErrors(
    await graphql(
      subgraph.url,
      `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on Foreigner {
              employment {
                id
              }
              communityReports {
                id
              }
            }
          }
        }
      `,
      {
        token: national,
        variables: { r: [{ __typename: 'Foreigner', id: foreignerId }] },
        asGateway: 'local-government',
      },
    ),
  );
  expect([data._entities[0].employment.length, data._entities[0].communityReports.length]).toEqual([3, 3]);
  expect(await raw(subgraph.db, 'residences').countDocuments({ foreignerId })).toBe(3);
});

it('applies the caller’s jurisdiction to the records it reads', async () => {
  const foreignerId = `WNA-${randomUUID()}`;
  const inOku = residence(foreignerId, { registeredAt: '2024-01-20' });
  expectNoErrors(await mutate(REGISTER_RESIDENCE, inOku));
  expectNoErrors(await mutate(REGISTER_RESIDENCE, residence(foreignerId, { regionCode: OKU_TIMUR_VILLAGE })));
  expectNoErrors(await mutate(RECORD_EMPLOYMENT, employment(foreignerId, { regionCode: OKU_TIMUR_VILLAGE })));
  expectNoErrors(await mutate(SUBMIT_REPORT, report({ foreignerId, regionCode: OKU_TIMUR_VILLAGE })));

  const [national] = await recordsOf(subgraph.url, [foreignerId]);
  expect(national!.employment).toHaveLength(1);
  expect(national!.communityReports).toHaveLength(1);
  // the 16.01 caller sees neither the newer SKTT of 16.08 nor the 16.08 job and report
  expect(await recordsOf(subgraph.url, [foreignerId], oku)).toEqual([
    { residence: { number: inOku.number }, employment: [], communityReports: [] },
  ]);
});

it('shows nothing of a record whose create failed', async () => {
  const foreignerId = `WNA-${randomUUID()}`;
  const kept = residence(foreignerId);
  expectNoErrors(await mutate(REGISTER_RESIDENCE, kept));
  const { Residence, Employment, CommunityReport } = subgraph.db.connection.models;
  const failures = [Residence, Employment, CommunityReport].map((model) =>
    jest.spyOn(model!, 'create').mockRejectedValueOnce(new Error('disk full')),
  );
  try {
    for (const [mutation, input] of [
      [REGISTER_RESIDENCE, residence(foreignerId, { registeredAt: '2025-06-01' })],
      [RECORD_EMPLOYMENT, employment(foreignerId)],
      [SUBMIT_REPORT, report({ foreignerId })],
    ] as const) {
      expect((await mutate(mutation, input)).errors).toHaveLength(1);
    }
  } finally {
    for (const failure of failures) failure.mockRestore();
  }
  expect(await recordsOf(subgraph.url, [foreignerId])).toEqual([
    { residence: { number: kept.number }, employment: [], communityReports: [] },
  ]);
});

it('starts over a database the earlier design wrote, with its record index, and drops the index', async () => {
  // the database as the earlier design left it: records, their record index (stale: one entry
  // misses a record), its migration marker, and not yet this design's migration
  const db = subgraph.db;
  const written = `WNA-${randomUUID()}`;
  const kept = residence(written);
  expectNoErrors(await mutate(REGISTER_RESIDENCE, kept));
  await raw(db, 'migrations').deleteOne({ _id: PLAIN_MODEL_MIGRATION });
  await raw(db, 'migrations').insertOne({ _id: 'foreigner-record-index', completedAt: new Date(), result: 1 });
  await raw(db, 'foreigner_records').insertOne({ _id: written, residences: [] });
  const region = regionAncestryFields(OKU_VILLAGE, RECORD_REGION_FIELDS);
  const foreignerId = `WNA-${randomUUID()}`;
  const now = new Date();
  await raw(db, 'residences').insertOne({
    _id: `r-${foreignerId}`,
    foreignerId,
    number: `SKTT/OLD-${randomUUID().slice(0, 8).toUpperCase()}`,
    address: 'Jl. Lama 1',
    ...region,
    registeredAt: new Date('2024-01-01'),
    validUntil: new Date('2099-01-01'),
    createdAt: now,
  });
  await raw(db, 'employments').insertOne({
    _id: `e-${foreignerId}`,
    foreignerId,
    employer: 'PT Lama',
    employerSector: 'OTHER',
    position: 'Clerk',
    workPermitNumber: 'RPTKA/OLD-1',
    ...region,
    startedOn: new Date('2024-01-01'),
    endedOn: null,
    createdAt: now,
  });
  const report = {
    category: 'OTHER',
    ...region,
    reportedAt: now,
    description: 'x',
    reportedBy: 'y',
    status: 'RECEIVED',
    createdAt: now,
  };
  await raw(db, 'community_reports').insertMany([
    { _id: `c-${foreignerId}`, ...report, foreignerId },
    { _id: `c-anonymous-${foreignerId}`, ...report, foreignerId: null },
  ]);

  // a new start over that database (the region tree is loaded already)
  const restarted = await startSubgraph(
    localGovernmentSubgraph,
    testSubgraphConfig('local-government', subgraph.dbName),
  );
  try {
    expect(await recordsOf(restarted.url, [foreignerId, written])).toEqual([
      {
        residence: { number: expect.stringMatching(/^SKTT\/OLD-/) },
        employment: [{ employer: 'PT Lama' }],
        communityReports: [{ id: `c-${foreignerId}` }],
      },
      { residence: { number: kept.number }, employment: [], communityReports: [] },
    ]);
    const collections = (await db.connection.db!.listCollections().toArray()).map((c) => c.name);
    expect(collections).not.toContain('foreigner_records');
    expect(await raw(db, 'migrations').findOne({ _id: PLAIN_MODEL_MIGRATION })).toEqual(
      expect.objectContaining({ result: expect.objectContaining({ droppedCollections: ['foreigner_records'] }) }),
    );
  } finally {
    await restarted.stop();
  }
});
