/**
 * Jurisdiction is applied once, by each subgraph's data-access layer (common/db/jurisdiction-scope.ts):
 * during real requests to every subgraph through the gateway — every saved operation, a foreigner's
 * whole profile, incidents, statistics, a permit check, a subject-access report, the writes —
 * every read of a record collection comes through that layer, scoped to the caller (the condition in
 * the query, or the loaders' predicate) or under a named reason; and the database sees no read
 * of those collections that the layer did not build.
 */
import { UNSCOPED_READS } from '../../common/db/jurisdiction-scope.js';
import { listSavedOperations } from '../../scripts/export/saved-operations.js';
import { recordFullForeigner, type FullForeigner } from '../helpers/fixtures.js';
import {
  expectNoErrors,
  graphql,
  IMMIGRATION_OKU,
  LOCALGOV_OKU,
  POLICE_OKU,
  SUBJECT_ACCESS_OKU,
  tokenFor,
} from '../helpers/graphql.js';
import { countCommands, startTestHub, type TestHub } from '../helpers/hub.js';
import {
  auditReads,
  READ_COMMANDS,
  REGIONAL_COLLECTIONS,
  SCOPED_COLLECTIONS,
  strayReads,
  type AuditedRead,
} from '../helpers/read-audit.js';

const audit = auditReads();
let hub: TestHub;
let inOku: FullForeigner;
let outside: FullForeigner;
let audited: AuditedRead[];
let commands: Record<string, number>;

const PROFILE = /* GraphQL */ `
  query ($id: ID!) {
    foreigner(id: $id) {
      id
      fullName
      currentPermit {
        number
        status
      }
      stayPermits {
        number
        status
      }
      borderCrossings {
        direction
      }
      watchlist {
        type
      }
      immigrationActions {
        type
      }
      overstay {
        overstaying
      }
      selfReports {
        number
      }
      selfReportCompliance {
        status
      }
      incidents {
        reportNumber
        involvement
      }
      residence {
        number
      }
      residenceCompliance {
        status
      }
      employment {
        employer
      }
      communityReports {
        category
      }
    }
  }
`;

async function ask(query: string, token: string, variables: Record<string, unknown> = {}) {
  return graphql(hub.gatewayUrl, query, { token, variables });
}

beforeAll(async () => {
  hub = await startTestHub('scoped_reads');
  countCommands(hub);
  audit.reset();
  // the writes read too (a number not taken anywhere, the foreigner a write names)
  inOku = await recordFullForeigner(hub, '16.01.14.1001');
  outside = await recordFullForeigner(hub, '16.08.01.1007');
  const roles = [IMMIGRATION_OKU, POLICE_OKU, LOCALGOV_OKU];
  const tokens = await Promise.all(roles.map((role) => tokenFor(role)));
  const national = await tokenFor({ agencyType: 'IMMIGRATION', agency: 'DITJENIM-PUSAT', jurisdiction: ['*'] });
  const military = await tokenFor({ agencyType: 'MILITARY', agency: 'KODIM-0403-OKU', jurisdiction: ['16.01'] });
  const dpo = await tokenFor(SUBJECT_ACCESS_OKU);
  for (const token of [...tokens, national, military]) {
    for (const id of [inOku.foreignerId, outside.foreignerId]) await ask(PROFILE, token, { id });
    for (const operation of listSavedOperations()) {
      if (operation.file.includes('/partner/')) continue;
      await ask(operation.text, token, {
        ...operation.exampleVariables,
        id: inOku.foreignerId,
        foreignerId: inOku.foreignerId,
      });
    }
    await ask(`query ($id: ID!) { incident(id: $id) { reportNumber } }`, token, { id: inOku.incidentId });
    await ask(`{ incidents(first: 5) { totalCount nodes { reportNumber } } }`, token);
    await ask(`{ communityReports(first: 5) { totalCount nodes { category } } }`, token);
    await ask(`{ foreigners(first: 5) { totalCount nodes { id } } }`, token);
    await ask(`{ foreignerStatistics(groupBy: [NATIONALITY, PERMIT_TYPE, REGION]) { total } }`, token);
  }
  await ask(
    `query ($p: String!, $n: String!) { verifyStayPermit(permitNumber: $p, passportNumber: $n) { valid } }`,
    tokens[0]!,
    { p: outside.permitNumber, n: outside.passportNumber },
  );
  expectNoErrors(
    await ask(`query ($id: ID!) { subjectAccessReport(foreignerId: $id) { foreignerId } }`, dpo, {
      id: inOku.foreignerId,
    }),
  );
  audited = audit.reads();
  commands = Object.values(hub.subgraphs).reduce<Record<string, number>>((all, s) => {
    for (const [key, count] of Object.entries(s.db.commands.snapshot())) all[key] = (all[key] ?? 0) + count;
    return all;
  }, {});
}, 240_000);
afterAll(() => hub?.stop());

describe('reads of the record collections', () => {
  it('all come through the data-access layer, within the caller’s jurisdiction or for a named reason', () => {
    expect(strayReads(audited)).toEqual([]);
  });

  it('read every record collection, in the jurisdiction and by its loaders', () => {
    for (const collection of SCOPED_COLLECTIONS) {
      expect(audited.filter((r) => r.collection === collection).length).toBeGreaterThan(0);
    }
    for (const collection of REGIONAL_COLLECTIONS) {
      const kinds = new Set(audited.filter((r) => r.collection === collection).map((r) => r.scope?.kind));
      expect([collection, kinds.has('jurisdiction') || kinds.has('jurisdiction-predicate')]).toEqual([
        collection,
        true,
      ]);
    }
  });

  it('are unscoped only for the reasons the layer names, on the collections each concerns', () => {
    const unscoped = [
      ...new Set(audited.flatMap((r) => (r.scope?.kind === 'unscoped' ? [`${r.scope.reason} ${r.collection}`] : []))),
    ].sort();
    expect(unscoped).toEqual([
      'named-target foreigners',
      'permit-check foreigners',
      'permit-check stay_permits',
      'tallies foreigners',
      'uniqueness foreigners',
      'uniqueness incidents',
      'uniqueness residences',
      'uniqueness self_report_certificates',
      'uniqueness stay_permits',
    ]);
    for (const reason of unscoped.map((u) => u.split(' ')[0]!)) expect(Object.keys(UNSCOPED_READS)).toContain(reason);
  });

  it('are every read the database received of those collections (nothing read around mongoose)', () => {
    for (const collection of SCOPED_COLLECTIONS) {
      const received = READ_COMMANDS.reduce((sum, command) => sum + (commands[`${command}:${collection}`] ?? 0), 0);
      const built = audited.filter((r) => r.collection === collection).length;
      expect({ collection, received }).toEqual({ collection, received: built });
    }
  });
});
