/**
 * What the statistical disclosure tests (test/security/statistical-disclosure-*.test.ts) set up: a
 * hub seeded with the OKU Raya demo data (1000 foreigners), a partner's, a stats:read-only
 * analyst's and a member's tokens, and the statistics query several groupings at once.
 */
import { SUBGRAPH_NAMES, type SubgraphName } from '../../common/config/services.js';
import type { TokenRequest } from '../../common/auth/tokens.js';
import { seedDemoData } from '../../scripts/seed/index.js';
import { expectNoErrors, graphql, IMMIGRATION_OKU, tokenFor } from './graphql.js';
import { startTestHub, type TestHub } from './hub.js';

/** The smallest count published to a caller without the personal-data scope of the rows. */
export const MIN = 5;

export const ANALYST: TokenRequest = {
  agencyType: 'LOCAL_GOVERNMENT',
  agency: 'BAPPEDA-OKU',
  jurisdiction: ['16.01', '16.08', '16.09'],
  scopes: ['stats:read'],
};

export interface Group {
  nationality: string | null;
  permitType: string | null;
  regionCode: string | null;
  count: number;
}
export interface Statistics {
  total: number | null;
  suppressed: boolean;
  unlisted: number | null;
  minimumCellSize: number | null;
  groups: Group[];
}

const STATISTICS_FIELDS =
  'total suppressed unlisted minimumCellSize groups { nationality permitType regionCode count }';

export const key = (g: Group) => `${g.regionCode ?? null}|${g.nationality ?? null}|${g.permitType ?? null}`;

interface SeededStatisticsHub {
  hub: TestHub;
  /** A partner running its registered operation (`permit:read`, `stats:read`) in 16.01. */
  partner: string;
  /** {@link ANALYST}: `stats:read` only. */
  analyst: string;
  /** A member who may read the records (immigration of OKU): exact counts. */
  member: string;
}

async function startSeededStatisticsHub(label: string): Promise<SeededStatisticsHub> {
  const hub = await startTestHub(label);
  const connections = Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [name, hub.subgraphs[name].db.connection]),
  ) as Record<SubgraphName, TestHub['subgraphs'][SubgraphName]['db']['connection']>;
  await seedDemoData({ connections, count: 1000 });
  return {
    hub,
    partner: await tokenFor({
      agencyType: 'PARTNER',
      agency: 'PT-SAWIT-OGAN-LESTARI',
      jurisdiction: ['16.01'],
      scopes: ['permit:read', 'stats:read'],
    }),
    analyst: await tokenFor(ANALYST),
    member: await tokenFor(IMMIGRATION_OKU),
  };
}

/** Statistics queries on the hub `hubOf` returns; `childrenOf` asks as the member `memberOf` returns. */
function statisticsQueries(hubOf: () => TestHub, memberOf: () => string) {
  /** One region's statistics by several groupings in one request (aliases `g0`, `g1`, …), of one population. */
  async function statistics(
    token: string,
    regionCode: string | null,
    groupings: string[][],
    population: 'REGISTERED' | 'PRESENT' = 'REGISTERED',
  ): Promise<Statistics[]> {
    const fields = groupings
      .map(
        (g, i) =>
          `g${i}: foreignerStatistics(regionCode: $regionCode, groupBy: [${g.join(', ')}], population: ${population}) { ${STATISTICS_FIELDS} }`,
      )
      .join('\n');
    const data = expectNoErrors(
      await graphql<Record<string, Statistics>>(hubOf().gatewayUrl, `query($regionCode: String) { ${fields} }`, {
        token,
        purpose: null,
        variables: { regionCode },
      }),
    );
    return groupings.map((_, i) => data[`g${i}`]!);
  }

  async function childrenOf(regionCode: string): Promise<string[]> {
    const [byRegion] = await statistics(memberOf(), regionCode, [['REGION']]);
    return byRegion!.groups.map((g) => g.regionCode).filter((c): c is string => c !== null && c !== regionCode);
  }

  return { statistics, childrenOf };
}

/**
 * Starts a seeded hub before the file's tests and stops it after them; returns it (`current()`,
 * once started) and the statistics queries on it.
 */
export function useSeededStatisticsHub(label: string) {
  let current: SeededStatisticsHub | undefined;
  beforeAll(async () => {
    current = await startSeededStatisticsHub(label);
  }, 300_000);
  afterAll(() => current?.hub.stop());
  return {
    current: () => current!,
    ...statisticsQueries(
      () => current!.hub,
      () => current!.member,
    ),
  };
}
