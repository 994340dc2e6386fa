/**
 * What the capacity attack tests (test/security/operation-limits-*.test.ts) share: a hub with a
 * full foreigner and a national member token of every scope, the targets (the gateway, each
 * subgraph unsigned and signed as the gateway), an `attack` that checks no resolver ran and the
 * gateway fetched nothing, the refusal every limit answers with, the region bomb, and heap figures.
 */
import { SCOPE_NAMES } from '../../common/auth/policy.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../common/config/services.js';
import { recordFullForeigner, type FullForeigner } from './fixtures.js';
import { graphql, tokenFor, type GraphQLResponse, type RequestOptions } from './graphql.js';
import { startTestHub, type TestHub } from './hub.js';
import { scrapeMetrics, sumOf } from './metrics.js';

interface LimitsHub {
  hub: TestHub;
  fixture: FullForeigner;
  /** A national member with every scope: requests get past the policy to the limits. */
  member: string;
}

async function startLimitsHub(label: string): Promise<LimitsHub> {
  const hub = await startTestHub(label);
  return {
    hub,
    fixture: await recordFullForeigner(hub),
    member: await tokenFor({
      agencyType: 'IMMIGRATION',
      agency: 'DITJENIM-PUSAT',
      jurisdiction: ['*'],
      scopes: [...SCOPE_NAMES],
    }),
  };
}

/** Runs `work` while sampling the heap every 5 ms; the highest sample, in MB. */
export async function peakHeapMB<T>(work: () => Promise<T>): Promise<{ result: T; peakMB: number }> {
  let peak = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 5);
  try {
    const result = await work();
    return { result, peakMB: Math.round(Math.max(peak, process.memoryUsage().heapUsed) / 2 ** 20) };
  } finally {
    clearInterval(sampler);
  }
}

/** Whether this run can collect garbage on demand (`node --expose-gc`): heap figures after a request mean something. */
export const canCollect = typeof (globalThis as { gc?: unknown }).gc === 'function';

/** The heap in use, in MB, after a full collection when the run allows one. */
export function heapMB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round(process.memoryUsage().heapUsed / 2 ** 20);
}

/** Where an attack is sent: the gateway, or one subgraph, unsigned or signed as the gateway. */
export interface Target {
  label: string;
  url: () => string;
  /** The subgraph that serves the document, or null for the gateway (which serves them all). */
  subgraph: SubgraphName | null;
  asGateway?: SubgraphName;
}

/**
 * Starts a hub for capacity attacks before the file's tests and stops it after them, printing the
 * attempts per attack class and the figures measured under `label`; returns it (`current()`, once
 * started), the targets, and `attack`.
 */
export function useLimitsHub(label: string) {
  let current: LimitsHub | undefined;
  const limits = () => current!;
  beforeAll(async () => {
    current = await startLimitsHub(label);
  }, 120_000);
  afterAll(async () => {
    await current?.hub.stop();
    report();
  });
  const attempts: Record<string, number> = {};
  const figures: Record<string, unknown> = {};

  const TARGETS: Target[] = [
    { label: 'gateway', url: () => limits().hub.gatewayUrl, subgraph: null },
    ...SUBGRAPH_NAMES.flatMap((name): Target[] => [
      { label: `${name} (direct)`, url: () => limits().hub.subgraphs[name].url, subgraph: name },
      { label: `${name} (signed)`, url: () => limits().hub.subgraphs[name].url, subgraph: name, asGateway: name },
    ]),
  ];

  /** Resolver calls of every subgraph, as their `/metrics` report them. */
  async function resolverCalls(): Promise<Record<SubgraphName, number>> {
    const entries = await Promise.all(
      SUBGRAPH_NAMES.map(
        async (name) =>
          [name, sumOf(await scrapeMetrics(limits().hub.subgraphs[name].url), 'timpora_resolver_calls_total')] as const,
      ),
    );
    return Object.fromEntries(entries) as Record<SubgraphName, number>;
  }

  const subgraphFetches = async () =>
    sumOf(await scrapeMetrics(limits().hub.gatewayUrl), 'timpora_subgraph_fetches_total');

  /** Sends an attack of class `kind`, and checks that no resolver ran anywhere and the gateway fetched nothing. */
  async function attack(
    kind: string,
    target: Target,
    query: string,
    options: RequestOptions = {},
  ): Promise<GraphQLResponse & { ms: number }> {
    attempts[kind] = (attempts[kind] ?? 0) + 1;
    const [callsBefore, fetchesBefore] = await Promise.all([resolverCalls(), subgraphFetches()]);
    const started = performance.now();
    const response = await graphql(target.url(), query, {
      token: limits().member,
      asGateway: target.asGateway,
      ...options,
    });
    const ms = performance.now() - started;
    expect(await resolverCalls()).toEqual(callsBefore);
    expect(await subgraphFetches()).toBe(fetchesBefore);
    return { ...response, ms };
  }

  function report(): void {
    process.stdout.write(
      `${label} attempts by class: ${JSON.stringify(attempts)}\nfigures: ${JSON.stringify(figures)}\n`,
    );
  }

  return { current: limits, TARGETS, attack, attempts, figures };
}

export function expectRefused(response: GraphQLResponse, limit: string, max: number) {
  expect({ status: response.status, data: response.data ?? null }).toEqual({ status: 400, data: null });
  const refusals = response.errors?.filter((e) => e.extensions?.code === 'QUERY_TOO_COMPLEX') ?? [];
  expect(refusals.length).toBeGreaterThan(0);
  expect(refusals[0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit, max });
  expect(refusals[0]!.message).toMatch(/melebihi batas [\d.]+/);
  expect(JSON.stringify(response)).not.toMatch(/Syntax Error|stacktrace|\n\s+at /);
}

/** `aliases` aliases of `regions { nodes { parent { children { parent { children … } } } } }`, `depth` fields deep. */
export function regionBomb(aliases: number, depth: number): string {
  let inner = 'code';
  for (let level = depth - 2; level > 1; level--)
    inner = `code ${level % 2 === 0 ? 'children' : 'parent'} { ${inner} }`;
  const one = `regions(level: PROVINCE, first: 38) { nodes { ${inner} } }`;
  return `{ ${Array.from({ length: aliases }, (_, i) => `r${i}: ${one}`).join(' ')} }`;
}

/** A query every schema answers, `levels` fields deep: the introspection chain of `ofType`. */
export function ofTypeChain(levels: number): string {
  let inner = 'name';
  for (let i = 0; i < levels - 3; i++) inner = `ofType { ${inner} }`;
  return `{ __type(name: "Query") { fields { type { ${inner} } } } }`;
}
