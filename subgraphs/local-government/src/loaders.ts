/**
 * The local-government subgraph's per-request DataLoaders: one `$in` query per kind of record
 * per request, however many foreigners a page or an `_entities` batch holds. Regions are read
 * from the in-memory directory (see `services/region-service.ts`) through loaders too, so
 * resolvers look them up the same way and cost no database command.
 */
import DataLoader from 'dataloader';
import { groupedLoader } from '../../../common/db/loaders.js';
import type { RegionRecord } from '../../../common/regions.js';
import type { CommunityReportModels } from './models/community-report.js';
import type { ForeignerModels } from './models/foreigner.js';
import type { RegionService } from './services/region-service.js';

/** A loader answered synchronously from memory, batched like the database loaders. */
function memoryLoader<V>(lookup: (key: string) => V): DataLoader<string, V> {
  return new DataLoader(async (keys) => keys.map(lookup));
}

export function createLoaders(models: ForeignerModels & CommunityReportModels, regions: RegionService) {
  return {
    regionByCode: memoryLoader<RegionRecord | null>((code) => regions.get(code)),
    regionChildren: memoryLoader<readonly RegionRecord[]>((code) => regions.childrenOf(code)),
    residencesByForeigner: groupedLoader(models.Residence, 'foreignerId', { registeredAt: -1, _id: 1 }),
    employmentByForeigner: groupedLoader(models.Employment, 'foreignerId', { startedOn: -1, _id: 1 }),
    communityReportsByForeigner: groupedLoader(models.CommunityReport, 'foreignerId', { reportedAt: -1, _id: 1 }),
  };
}

export type LocalGovernmentLoaders = ReturnType<typeof createLoaders>;
