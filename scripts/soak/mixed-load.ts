/**
 * The soak's mixed load: pages, cross-agency profiles, statistics and community reports
 * submitted with an `Idempotency-Key`, one in three of them retried with the same key and body;
 * what was sent and answered is counted on the client side.
 */
import { randomUUID } from 'node:crypto';
import type { AutocannonRequest } from 'autocannon';

const PAGE = `query SoakPage($regionCode: String!, $first: Int!) {
  foreigners(filter: { regionCode: $regionCode }, first: $first) {
    totalCount
    nodes { id fullName nationality currentPermit { number expiresAt } selfReports { number } residence { region { name } } }
  }
}`;
const PROFILE = `query SoakProfile($id: ID!) {
  foreigner(id: $id) {
    fullName nationality passportNumber stayPermits { number status } incidents { category } residence { address } employment { employer }
  }
}`;
const STATISTICS = `query SoakStatistics($regionCode: String!) {
  foreignerStatistics(regionCode: $regionCode, groupBy: [NATIONALITY]) { total groups { nationality count } }
}`;
const REPORT = `mutation SoakReport($input: SubmitCommunityReportInput!) {
  submitCommunityReport(input: $input) { communityReport { id } }
}`;

/** What the load sent and got back, counted on the client side. */
export interface Tally {
  byOperation: Record<string, number>;
  statuses: Record<string, number>;
  errorCodes: Record<string, number>;
}

interface NextRequest {
  operation: string;
  body: string;
  token: string;
  key?: string;
}

/** The requests in turn: of every 20, 6 pages, 7 profiles, 4 statistics and 3 mutations (one a retry). */
function requestSequence(tokens: { reader: string; writer: string }, runId: string, seedCount: number) {
  let n = 0;
  let lastMutation: { key: string; body: string } | null = null;
  return (): NextRequest => {
    n += 1;
    const slot = n % 20;
    if (slot < 6) {
      return {
        operation: 'page',
        token: tokens.reader,
        body: JSON.stringify({ query: PAGE, variables: { regionCode: '16.01', first: 20 } }),
      };
    }
    if (slot < 13) {
      const id = `WNA-${String(((n * 7919) % seedCount) + 1).padStart(6, '0')}`;
      return {
        operation: 'profile',
        token: tokens.reader,
        body: JSON.stringify({ query: PROFILE, variables: { id } }),
      };
    }
    if (slot < 17) {
      return {
        operation: 'statistics',
        token: tokens.reader,
        body: JSON.stringify({ query: STATISTICS, variables: { regionCode: '16' } }),
      };
    }
    // a mutation with a new key, or (one in three) a retry of the previous one
    if (slot === 19 && lastMutation) return { operation: 'retry', token: tokens.writer, ...lastMutation };
    const key = randomUUID();
    const body = JSON.stringify({
      query: REPORT,
      variables: {
        input: {
          category: 'OTHER',
          regionCode: '16.01.14.1001',
          reportedAt: new Date().toISOString(),
          description: `soak ${runId} ${key}`,
          reportedBy: 'Soak test',
        },
      },
    });
    lastMutation = { key, body };
    return { operation: 'mutation', token: tokens.writer, body, key };
  };
}

/** The GraphQL error codes of an answer (`NONE` for an error without one, `NOT_JSON` for an answer that is no JSON). */
function errorCodesOf(body: string): string[] {
  try {
    const parsed = JSON.parse(body) as { errors?: { extensions?: { code?: string } }[] };
    return [...new Set((parsed.errors ?? []).map((e) => e.extensions?.code ?? 'NONE'))];
  } catch {
    return ['NOT_JSON'];
  }
}

/** autocannon's requests of the mixed load; `runId` marks the community reports it writes. */
export function mixedLoad(
  tokens: { reader: string; writer: string },
  tally: Tally,
  runId: string,
  seedCount: number,
): AutocannonRequest[] {
  const next = requestSequence(tokens, runId, seedCount);
  return [
    {
      method: 'POST',
      path: '/graphql',
      setupRequest(request) {
        const { operation, body, token, key } = next();
        tally.byOperation[operation] = (tally.byOperation[operation] ?? 0) + 1;
        return {
          ...request,
          body,
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'x-purpose': 'soak test',
            ...(key ? { 'idempotency-key': key } : {}),
          },
        };
      },
      onResponse(status, body) {
        tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
        for (const code of errorCodesOf(body)) tally.errorCodes[code] = (tally.errorCodes[code] ?? 0) + 1;
      },
    },
  ];
}
