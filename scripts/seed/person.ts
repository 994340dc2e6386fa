/**
 * One demo foreigner's planned life (`Person`), the records of a batch by collection
 * (`SeedDocs`), and what every domain's generator shares (`SeedWorld`): the generators per
 * agency (immigration.ts, police.ts, local-government.ts) write their records from a person.
 */
import type { RegionRecord } from '../../common/regions.js';
import type {
  BorderCrossingDoc,
  ForeignerDoc,
  ImmigrationActionDoc,
  StayPermitDoc,
  WatchlistEntryDoc,
} from '../../subgraphs/immigration/src/models/foreigner.js';
import type { IncidentDoc } from '../../subgraphs/police/src/models/incident.js';
import type { SelfReportCertificateDoc } from '../../subgraphs/police/src/models/self-report.js';
import type { CommunityReportDoc } from '../../subgraphs/local-government/src/models/community-report.js';
import type { EmploymentDoc, ResidenceDoc } from '../../subgraphs/local-government/src/models/foreigner.js';
import type { Sex } from './nationalities.js';
import type { Company, Places } from './places.js';

export const CATEGORIES = ['WORK', 'INVESTMENT', 'FAMILY', 'RETIREMENT', 'VISIT', 'SERVICE', 'DIPLOMATIC'] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * How a stay went: still here; left for good; overstaying now; left after an overstay fine;
 * permit revoked; deported.
 */
export type Fate = 'STAYING' | 'LEFT' | 'OVERSTAY' | 'OVERSTAY_FINED' | 'REVOKED' | 'DEPORTED';

/** One foreigner's planned life, from which every agency's records are written. */
export interface Person {
  index: number;
  id: string;
  nationality: string;
  sex: Sex;
  fullName: string;
  category: Category;
  fate: Fate;
  village: RegionRecord;
  address: string;
  company: Company | null;
  position: string | null;
  permits: StayPermitDoc[];
  crossings: BorderCrossingDoc[];
  /** First arrival. */
  arrival: Date;
  /** Last day in Indonesia when the foreigner has left for good; null while still here. */
  departed: Date | null;
  /** Day the stay permit was revoked (TAK), if it was. */
  revokedOn: Date | null;
  /** Skipped on purpose: ~10% of ITAS/ITAP holders have no SKLD, ~10% no SKTT. */
  withoutSkld: boolean;
  withoutSktt: boolean;
}

/** Records of one batch, by subgraph and collection. */
export interface SeedDocs {
  foreigners: ForeignerDoc[];
  stayPermits: StayPermitDoc[];
  borderCrossings: BorderCrossingDoc[];
  watchlistEntries: WatchlistEntryDoc[];
  immigrationActions: ImmigrationActionDoc[];
  selfReports: SelfReportCertificateDoc[];
  incidents: IncidentDoc[];
  residences: ResidenceDoc[];
  employments: EmploymentDoc[];
  communityReports: CommunityReportDoc[];
}

export function emptyDocs(): SeedDocs {
  return {
    foreigners: [],
    stayPermits: [],
    borderCrossings: [],
    watchlistEntries: [],
    immigrationActions: [],
    selfReports: [],
    incidents: [],
    residences: [],
    employments: [],
    communityReports: [],
  };
}

/** What every domain's generator reads beside the person: the places, the demo's days, the document series. */
export interface SeedWorld {
  readonly places: Places;
  /** "Today" of the demo data, midnight UTC. */
  readonly today: Date;
  /** Last day on which timed events happen: the day before the reference date. */
  readonly lastDay: Date;
  /** The next number of a per-unit, per-year document series. */
  nextSerial(series: string): number;
  /** Days the foreigner was in Indonesia, from first arrival to departure (or yesterday). */
  stayEnd(person: Person): Date;
}

export const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function foreignerId(index: number): string {
  return `WNA-${pad(index + 1, 6)}`;
}
