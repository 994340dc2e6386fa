/**
 * The local-government subgraph's per-request DataLoaders: one `$in` query per kind of record
 * per request, however many foreigners a page or an `_entities` batch holds. Regions are read
 * from the in-memory directory (see `services/region-service.ts`) through loaders too, so
 * resolvers look them up the same way and cost no database command.
 */
import DataLoader from 'dataloader';
import { jurisdictionCondition } from '../../../common/auth/jurisdiction.js';
import type { Caller } from '../../../common/auth/tokens.js';
import { groupedLoader } from '../../../common/db/loaders.js';
import type { RegionRecord } from '../../../common/regions.js';
import type { CommunityReportModels } from './models/community-report.js';
import type { ForeignerModels } from './models/foreigner.js';
import { RECORD_REGION_FIELDS } from './models/region.js';
import type { RegionService } from './services/region-service.js';

/** A loader answered synchronously from memory, batched like the database loaders. */
function memoryLoader<V>(lookup: (key: string) => V): DataLoader<string, V> {
  return new DataLoader(async (keys) => keys.map(lookup));
}

/**
 * Residences, employment and community reports outside the caller's jurisdiction (by their
 * region) do not load; regions are reference data, visible to every caller.
 */
export function createLoaders(models: ForeignerModels & CommunityReportModels, regions: RegionService, caller: Caller) {
  const scope = jurisdictionCondition(caller, RECORD_REGION_FIELDS);
  return {
    regionByCode: memoryLoader<RegionRecord | null>((code) => regions.get(code)),
    regionChildren: memoryLoader<readonly RegionRecord[]>((code) => regions.childrenOf(code)),
    residencesByForeigner: groupedLoader(models.Residence, 'foreignerId', { registeredAt: -1, _id: 1 }, { scope }),
    employmentByForeigner: groupedLoader(models.Employment, 'foreignerId', { startedOn: -1, _id: 1 }, { scope }),
    communityReportsByForeigner: groupedLoader(
      models.CommunityReport,
      'foreignerId',
      { reportedAt: -1, _id: 1 },
      { scope },
    ),
  };
}

export type LocalGovernmentLoaders = ReturnType<typeof createLoaders>;
