/**
 * Reading the hub's Prometheus `/metrics` (see common/observability/metrics.ts) before and
 * after a run: database commands by collection, and GraphQL requests a subgraph served.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format as prom-client writes it. */
export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key!] = value!;
    }
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

export async function scrape(graphqlUrl: string): Promise<Sample[]> {
  const response = await fetch(new URL('/metrics', graphqlUrl));
  if (!response.ok) throw new Error(`GET ${new URL('/metrics', graphqlUrl).href}: HTTP ${response.status}`);
  return parseMetrics(await response.text());
}

/** What the subgraphs counted between two scrapes. */
export interface SubgraphCounts {
  /** Database commands, all subgraphs. */
  commands: number;
  /** Database commands by `subgraph/collection command`. */
  byCollection: Record<string, number>;
  /** Database commands that belong to the access log (its records and head). */
  accessLogCommands: number;
  /** GraphQL requests the subgraphs served. */
  subgraphRequests: number;
}

export type Snapshot = Sample[];

/** Scrapes every subgraph at once. */
export async function snapshot(subgraphUrls: string[]): Promise<Snapshot> {
  return (await Promise.all(subgraphUrls.map(scrape))).flat();
}

export function difference(before: Snapshot, after: Snapshot): SubgraphCounts {
  const sum = (samples: Snapshot, name: string) => {
    const totals = new Map<string, number>();
    for (const s of samples) {
      if (s.name !== name) continue;
      const key =
        name === 'timpora_db_commands_total'
          ? `${s.labels.subgraph}/${s.labels.collection} ${s.labels.command}`
          : `${s.labels.service}/${s.labels.operation}`;
      totals.set(key, (totals.get(key) ?? 0) + s.value);
    }
    return totals;
  };
  const delta = (name: string) => {
    const a = sum(before, name);
    const result: Record<string, number> = {};
    for (const [key, value] of sum(after, name)) {
      const d = value - (a.get(key) ?? 0);
      if (d > 0) result[key] = d;
    }
    return result;
  };
  const byCollection = delta('timpora_db_commands_total');
  const requests = delta('timpora_graphql_requests_total');
  const total = (record: Record<string, number>) => Object.values(record).reduce((s, v) => s + v, 0);
  return {
    commands: total(byCollection),
    byCollection,
    accessLogCommands: total(
      Object.fromEntries(Object.entries(byCollection).filter(([key]) => /\/access_log(_head)? /.test(key))),
    ),
    subgraphRequests: total(requests),
  };
}
