/**
 * The local-government subgraph's per-request DataLoaders. A foreigner's residences, employment
 * and community reports are read by `foreignerId`, one `$in` query per kind per request (see
 * `common/db/loaders.ts`). Regions are read from the in-memory directory (see
 * `services/region-service.ts`) through loaders too, so resolvers look them up the same way and
 * cost no database command.
 */
import DataLoader from 'dataloader';
import type { Caller } from '../../../common/auth/tokens.js';
import type { RegionRecord } from '../../../common/regions.js';
import type { LocalGovernmentData } from './data.js';
import type { RegionService } from './services/region-service.js';

/** A loader answered synchronously from memory, batched like the database loaders. */
function memoryLoader<V>(lookup: (key: string) => V): DataLoader<string, V> {
  return new DataLoader(async (keys) => keys.map(lookup));
}

/**
 * Residences, employment and community reports outside the caller's jurisdiction (by their
 * region) do not load; regions are reference data, visible to every caller.
 */
export function createLoaders(data: LocalGovernmentData, regions: RegionService, caller: Caller) {
  return {
    regionByCode: memoryLoader<RegionRecord | null>((code) => regions.get(code)),
    regionChildren: memoryLoader<readonly RegionRecord[]>((code) => regions.childrenOf(code)),
    residencesByForeigner: data.residences.for(caller).byKey('foreignerId', { registeredAt: -1, _id: 1 }),
    employmentByForeigner: data.employment.for(caller).byKey('foreignerId', { startedOn: -1, _id: 1 }),
    communityReportsByForeigner: data.communityReports.for(caller).byKey('foreignerId', { reportedAt: -1, _id: 1 }),
  };
}

export type LocalGovernmentLoaders = ReturnType<typeof createLoaders>;
