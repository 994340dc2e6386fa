/**
 * The local-government subgraph's per-request DataLoaders. A foreigner's residences, employment
 * and community reports are read by `foreignerId`, one `$in` query per kind per request (see
 * `common/db/loaders.ts`). Regions are read from the in-memory directory (see
 * `services/region-service.ts`) through loaders too, so resolvers look them up the same way and
 * cost no database command.
 */
import DataLoader from 'dataloader';
import { jurisdictionPredicate } from '../../../common/auth/jurisdiction.js';
import type { Caller } from '../../../common/auth/tokens.js';
import { byKeyLoader } from '../../../common/db/loaders.js';
import type { RegionRecord } from '../../../common/regions.js';
import type { CommunityReportDoc, CommunityReportModels } from './models/community-report.js';
import type { EmploymentDoc, ForeignerModels, ResidenceDoc } from './models/foreigner.js';
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
  const allow = jurisdictionPredicate(caller, RECORD_REGION_FIELDS);
  return {
    regionByCode: memoryLoader<RegionRecord | null>((code) => regions.get(code)),
    regionChildren: memoryLoader<readonly RegionRecord[]>((code) => regions.childrenOf(code)),
    residencesByForeigner: byKeyLoader<ResidenceDoc>(models.Residence, 'foreignerId', {
      sort: { registeredAt: -1, _id: 1 },
      allow,
    }),
    employmentByForeigner: byKeyLoader<EmploymentDoc>(models.Employment, 'foreignerId', {
      sort: { startedOn: -1, _id: 1 },
      allow,
    }),
    communityReportsByForeigner: byKeyLoader<CommunityReportDoc>(models.CommunityReport, 'foreignerId', {
      sort: { reportedAt: -1, _id: 1 },
      allow,
    }),
  };
}

export type LocalGovernmentLoaders = ReturnType<typeof createLoaders>;
