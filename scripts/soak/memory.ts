/**
 * Heap and resident memory of the gateway and each subgraph, from their `/metrics`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SUBGRAPH_NAMES } from '../../common/config/services.js';

export const SERVICES = ['gateway', ...SUBGRAPH_NAMES] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface Memory {
  heapUsed: number;
  rss: number;
}

function sample(text: string, name: string): number {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
  return match ? Number(match[1]) : Number.NaN;
}

/** A service's `/metrics`, tried again once: a kept-alive connection may close just as it is reused. */
async function metricsText(graphqlUrl: string): Promise<string> {
  const get = async () =>
    (await fetch(new URL('/metrics', graphqlUrl), { signal: AbortSignal.timeout(10_000) })).text();
  try {
    return await get();
  } catch {
    await sleep(500);
    return get();
  }
}

export async function memoryOf(urls: Record<ServiceName, string>): Promise<Record<ServiceName, Memory>> {
  const entries = await Promise.all(
    SERVICES.map(async (service) => {
      const text = await metricsText(urls[service]);
      const memory: Memory = {
        heapUsed: sample(text, 'nodejs_heap_size_used_bytes'),
        rss: sample(text, 'process_resident_memory_bytes'),
      };
      return [service, memory] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<ServiceName, Memory>;
}
