/**
 * A person's immigration records: their stay (stays.ts) or visits (visits.ts) planned, then the
 * foreigner document with its passport and summaries, permits, crossings, TAK and cekal.
 */
import { nameFields } from '../../common/name-trigrams.js';
import { regionAncestryFields } from '../../common/regions.js';
import type {
  ForeignerDoc,
  ImmigrationActionDoc,
  WatchlistEntryDoc,
} from '../../subgraphs/immigration/src/models/foreigner.js';
import { DOMICILE_FIELDS } from '../../subgraphs/immigration/src/services/foreigner-filters.js';
import { summarizeCrossings } from '../../subgraphs/immigration/src/services/overstay.js';
import { addDays, addMonths, daysBetween } from './dates.js';
import { summarize } from './immigration-records.js';
import { nationality as nationalityOf } from './nationalities.js';
import { pad, type Category, type Person, type SeedDocs, type SeedWorld } from './person.js';
import type { Rng } from './random.js';
import { planStay } from './stays.js';
import { planVisits } from './visits.js';

/** A unique 7-digit serial per index (multiplication by a unit modulo 10^7 is a bijection). */
function passportSerial(index: number): string {
  return pad((index * 4_381_159 + 5_839_271) % 10_000_000, 7);
}

const AGE_RANGE: Record<Category, readonly [number, number]> = {
  WORK: [23, 58],
  INVESTMENT: [30, 66],
  FAMILY: [22, 62],
  RETIREMENT: [60, 78],
  VISIT: [20, 70],
  SERVICE: [28, 60],
  DIPLOMATIC: [28, 60],
};

/** Writes each person's immigration records; remembers passport numbers to keep them unique. */
export class ImmigrationGenerator {
  private readonly passports = new Set<string>();

  constructor(private readonly world: SeedWorld) {}

  emit(rng: Rng, person: Person, out: SeedDocs): void {
    const nat = nationalityOf(person.nationality);
    const actions: ImmigrationActionDoc[] = [];
    const watchlist: WatchlistEntryDoc[] = [];
    if (person.category === 'VISIT') planVisits(this.world, rng, person, nat);
    else planStay(this.world, rng, person, nat, actions, watchlist);

    const age = this.ageFor(rng, person);
    const dateOfBirth = addDays(addMonths(this.world.today, -12 * age), -rng.int(0, 364));
    const passportNumber = nat.passport(rng, passportSerial(person.index));
    if (this.passports.has(passportNumber))
      throw new Error(`seed produced a duplicate passport number ${passportNumber}`);
    this.passports.add(passportNumber);

    person.crossings.sort((a, b) => a.crossedAt.getTime() - b.crossedAt.getTime());
    person.crossings.forEach((c, i) => (c._id = `${person.id}-BC${pad(i + 1, 2)}`));
    const firstEvent = person.crossings[0]?.crossedAt ?? person.permits[0]!.issuedAt;

    const foreigner = {
      _id: person.id,
      ...nameFields(person.fullName),
      nationality: person.nationality,
      sex: person.sex,
      dateOfBirth,
      passportNumber,
      ...regionAncestryFields(person.village.code, DOMICILE_FIELDS),
      currentPermit: summarize(person.permits),
      // the latest crossing, as `ForeignerWrites.refreshCrossingSummary` stores it
      lastCrossing: summarizeCrossings(person.crossings),
      createdAt: firstEvent,
    } as ForeignerDoc;
    out.foreigners.push(foreigner);
    out.stayPermits.push(...person.permits);
    out.borderCrossings.push(...person.crossings);
    actions.sort((a, b) => a.decidedAt.getTime() - b.decidedAt.getTime());
    actions.forEach((a, i) => (a._id = `${person.id}-TAK${i + 1}`));
    out.immigrationActions.push(...actions);
    watchlist.forEach((w, i) => (w._id = `${person.id}-CEKAL${i + 1}`));
    out.watchlistEntries.push(...watchlist);
  }

  private ageFor(rng: Rng, person: Person): number {
    const [min, max] = AGE_RANGE[person.category];
    const yearsHere = Math.ceil(daysBetween(person.arrival, this.world.today) / 365);
    return Math.max(rng.int(min, max), yearsHere + (person.category === 'RETIREMENT' ? 60 : 21));
  }
}
