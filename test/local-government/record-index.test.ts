/**
 * The local-government subgraph reads a foreigner's residences, employment and community
 * reports through the per-foreigner record index (`common/db/record-index.ts`): writes list a
 * record before creating it, a record whose create failed is never visible, readers apply the
 * caller's jurisdiction to the rows they read, and a database written before the index existed
 * gets it built when the subgraph starts.
 */
import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import type { Database } from '../../common/db/connection.js';
import { RECORD_INDEX_COLLECTION, RECORD_INDEX_MIGRATION } from '../../common/db/record-index.js';
import { regionAncestryFields } from '../../common/regions.js';
import { startSubgraph } from '../../common/server/subgraph-server.js';
import { localGovernmentSubgraph } from '../../subgraphs/local-government/src/index.js';
import { localGovernmentRecordIndex } from '../../subgraphs/local-government/src/models/record-index.js';
import { RECORD_REGION_FIELDS } from '../../subgraphs/local-government/src/models/region.js';
import { testSubgraphConfig } from '../helpers/env.js';
import { NATIONAL_WRITERS } from '../helpers/fixtures.js';
import { expectNoErrors, graphql, LOCALGOV_OKU, tokenFor } from '../helpers/graphql.js';
import { startTestSubgraph, type TestSubgraph } from '../helpers/subgraph.js';

let subgraph: TestSubgraph;
let writer: string;
let oku: string;

beforeAll(async () => {
  subgraph = await startTestSubgraph(localGovernmentSubgraph, 'lg_index');
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

/** The foreigner's index entry, as stored. */
async function entryOf(db: Database, foreignerId: string) {
  return raw(db, RECORD_INDEX_COLLECTION).findOne({ _id: foreignerId });
}

it('lists each written record under its foreigner and reads them back in order, per foreigner', async () => {
  const [a, b] = [`WNA-${randomUUID()}`, `WNA-${randomUUID()}`];
  const older = residence(a, { registeredAt: '2024-01-20', validUntil: '2099-01-01' });
  const newer = residence(a, { registeredAt: '2025-06-01' });
  expectNoErrors(await mutate(REGISTER_RESIDENCE, older));
  expectNoErrors(await mutate(REGISTER_RESIDENCE, newer));
  expectNoErrors(await mutate(RECORD_EMPLOYMENT, employment(a, { employer: 'First', startedOn: '2024-02-01' })));
  expectNoErrors(await mutate(RECORD_EMPLOYMENT, employment(a, { employer: 'Second', startedOn: '2025-02-01' })));
  expectNoErrors(await mutate(RECORD_EMPLOYMENT, employment(b, { employer: 'Of b' })));
  const reported = expectNoErrors(await mutate(SUBMIT_REPORT, report({ foreignerId: b })));
  // a report about nobody identified yet is listed under no foreigner
  const anonymous = expectNoErrors(await mutate(SUBMIT_REPORT, report()));

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
  expect(await entryOf(subgraph.db, b)).toEqual({
    _id: b,
    employment: [expect.any(String)],
    communityReports: [reported.submitCommunityReport.communityReport.id],
  });
  const entries = await subgraph.db.connection
    .collection(RECORD_INDEX_COLLECTION)
    .countDocuments({ communityReports: anonymous.submitCommunityReport.communityReport.id });
  expect(entries).toBe(0);
});

it('lists every one of concurrent writes about a foreigner not indexed yet', async () => {
  const foreignerId = `WNA-${randomUUID()}`;
  const results = await Promise.all([
    ...Array.from({ length: 3 }, () => mutate(REGISTER_RESIDENCE, residence(foreignerId))),
    ...Array.from({ length: 3 }, () => mutate(RECORD_EMPLOYMENT, employment(foreignerId))),
    ...Array.from({ length: 3 }, () => mutate(SUBMIT_REPORT, report({ foreignerId }))),
  ]);
  for (const result of results) expectNoErrors(result);
  const entry = await entryOf(subgraph.db, foreignerId);
  expect(
    [entry?.residences, entry?.employment, entry?.communityReports].map((ids) => (ids as string[]).length),
  ).toEqual([3, 3, 3]);
});

it('applies the caller’s jurisdiction to the records it reads by id', async () => {
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

it('shows nothing of a record whose create failed after its index entry was written', async () => {
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
  // the failed writes took their ids off the entry again
  expect(await entryOf(subgraph.db, foreignerId)).toEqual({
    _id: foreignerId,
    residences: [expect.any(String)],
    employment: [],
    communityReports: [],
  });
  // and an id left behind (the removal failed too) points at nothing: readers skip it
  const index = localGovernmentRecordIndex(subgraph.db.connection);
  await index.add('residences', randomUUID(), [foreignerId]);
  await index.add('employment', randomUUID(), [foreignerId]);
  expect(await recordsOf(subgraph.url, [foreignerId])).toEqual([
    { residence: { number: kept.number }, employment: [], communityReports: [] },
  ]);
});

it('builds the index of a database written before it existed when the subgraph starts', async () => {
  // the database as an earlier release left it: records, no index and no migration marker
  const db = subgraph.db;
  const written = `WNA-${randomUUID()}`;
  const kept = residence(written);
  expectNoErrors(await mutate(REGISTER_RESIDENCE, kept));
  await raw(db, RECORD_INDEX_COLLECTION).drop();
  await raw(db, 'migrations').deleteOne({ _id: RECORD_INDEX_MIGRATION });
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
    expect(await entryOf(db, foreignerId)).toEqual({
      _id: foreignerId,
      residences: [`r-${foreignerId}`],
      employment: [`e-${foreignerId}`],
      communityReports: [`c-${foreignerId}`],
    });
    expect(await raw(db, 'migrations').findOne({ _id: RECORD_INDEX_MIGRATION })).toEqual(
      expect.objectContaining({ result: expect.any(Number) }),
    );
  } finally {
    await restarted.stop();
  }
});
