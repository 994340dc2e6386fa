/**
 * Single requests to the benchmark's targets, and their answers compared: the hub and Hive
 * Gateway byte for byte, the raw reads on ids and counts.
 */
import { isDeepStrictEqual } from 'node:util';
import { TARGETS, type Target } from './results.js';
import type { Workload } from './workloads.js';

/**
 * Seconds a request may take before it counts as failed (autocannon, and the gateways' subgraph
 * timeout, which allows at most 120 s): long enough for the last request of a burst on a busy machine.
 */
export const REQUEST_TIMEOUT_SECONDS = 120;

export async function postJson(url: string, headers: Record<string, string>, body: string) {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_SECONDS * 1000),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  let json: { data?: Record<string, unknown> | null; errors?: unknown[] } = {};
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    // reported below as a failed answer
  }
  return { status: response.status, json, bytes: Buffer.byteLength(text), ms };
}

export type Answer = Awaited<ReturnType<typeof postJson>>;

/** The database commands the raw-read endpoint has sent so far. */
export async function rawCommands(rawUrl: string): Promise<number> {
  const response = await fetch(new URL('/commands', rawUrl));
  return ((await response.json()) as { commands: number }).commands;
}

/** Compares the first answers of the three targets to a workload; the problems found. */
export function compareAnswers(w: Workload, answers: Record<Target, Answer>): string[] {
  const problems: string[] = [];
  for (const target of TARGETS) {
    const answer = answers[target];
    if (answer.status !== 200 || answer.json.errors || !answer.json.data) {
      problems.push(
        `${w.name}: ${target} answered HTTP ${answer.status}${answer.json.errors ? ` with errors ${JSON.stringify(answer.json.errors).slice(0, 300)}` : ''}`,
      );
    }
  }
  const { hub, hive, raw } = answers;
  if (!isDeepStrictEqual(hub.json.data, hive.json.data)) {
    problems.push(`${w.name}: the hub and Hive Gateway answered differently`);
  }
  return [...problems, ...compareRawAnswer(w, hub.json.data ?? {}, (raw.json.data ?? {}) as Record<string, unknown>)];
}

/** Whether the raw reads found what the hub found: the same foreigners, or the same counts. */
function compareRawAnswer(w: Workload, hubData: Record<string, unknown>, rawData: Record<string, unknown>): string[] {
  if (w.name === 'page' || w.name === 'gaps' || w.name === 'name') {
    const page = hubData.foreigners as { totalCount: number; nodes: { id: string }[] } | undefined;
    const rawNodes = (rawData.nodes as { _id: string }[] | undefined)?.map((n) => n._id);
    if (
      page?.totalCount !== rawData.totalCount ||
      !isDeepStrictEqual(
        page?.nodes.map((n) => n.id),
        rawNodes,
      )
    ) {
      return [`${w.name}: the raw reads found other foreigners than the hub`];
    }
  } else if (w.name === 'profile') {
    const id = (hubData.foreigner as { id: string } | undefined)?.id;
    if (id !== (rawData.foreigner as { _id: string } | undefined)?._id) {
      return ['profile: the raw reads found another foreigner than the hub'];
    }
  } else {
    const stats = hubData.foreignerStatistics as { total: number; groups: unknown[] } | undefined;
    const rawGroups = rawData.groups as unknown[] | undefined;
    if (stats?.total !== rawData.total || stats?.groups.length !== rawGroups?.length) {
      return [
        `${w.name}: the hub counted ${stats?.total} in ${stats?.groups.length} groups, the raw reads ` +
          `${String(rawData.total)} in ${rawGroups?.length}`,
      ];
    }
  }
  return [];
}
