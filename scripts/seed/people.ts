/**
 * The demo foreigners: for each index, a life in OKU Raya (or elsewhere) planned from the
 * foreigner's own seeded generator — who they are, why they came, their employer and where they
 * live — and from that plan the records each agency keeps, written by the generator of each
 * domain (immigration.ts, police.ts, local-government.ts) in that order.
 */
import type { RegionRecord } from '../../common/regions.js';
import { addDays } from './dates.js';
import { ImmigrationGenerator } from './immigration.js';
import { emitLocalGovernment } from './local-government.js';
import { NATIONALITIES, type Sex } from './nationalities.js';
import { foreignerId, type Category, type Person, type SeedDocs, type SeedWorld } from './person.js';
import { POSITIONS, type Company, type Places } from './places.js';
import { PoliceGenerator } from './police.js';
import { Rng, SEED, WeightedTable, type Weighted } from './random.js';

// prettier-ignore
const CATEGORY_WEIGHTS: Record<string, Weighted<Category>> = {
  CHN: [['WORK', 80], ['INVESTMENT', 4], ['FAMILY', 2], ['RETIREMENT', 0.2], ['VISIT', 13], ['SERVICE', 0.5], ['DIPLOMATIC', 0.1]],
  WEST: [['WORK', 45], ['INVESTMENT', 5], ['FAMILY', 15], ['RETIREMENT', 12], ['VISIT', 20], ['SERVICE', 2], ['DIPLOMATIC', 1]],
  NORTHEAST: [['WORK', 64], ['INVESTMENT', 6], ['FAMILY', 5], ['RETIREMENT', 2], ['VISIT', 15], ['SERVICE', 7], ['DIPLOMATIC', 1]],
  OTHER: [['WORK', 63], ['INVESTMENT', 5], ['FAMILY', 9], ['RETIREMENT', 1], ['VISIT', 20], ['SERVICE', 1.5], ['DIPLOMATIC', 0.5]],
};
const WEST = new Set(['AUS', 'GBR', 'USA', 'NLD', 'DEU', 'FRA', 'CAN', 'ITA']);

function categoryGroup(code: string): string {
  if (code === 'CHN') return 'CHN';
  if (WEST.has(code)) return 'WEST';
  if (code === 'JPN' || code === 'KOR') return 'NORTHEAST';
  return 'OTHER';
}

const MALE_SHARE: Record<Category, number> = {
  WORK: 0.9,
  INVESTMENT: 0.85,
  FAMILY: 0.3,
  RETIREMENT: 0.65,
  VISIT: 0.65,
  SERVICE: 0.7,
  DIPLOMATIC: 0.65,
};

/** Places where tourists stay: Danau Ranau (OKU Selatan) and Baturaja. */
const TOURIST_DISTRICTS: Weighted<string> = [
  ['16.09.03', 35],
  ['16.09.13', 15],
  ['16.09.12', 10],
  ['16.01.14', 30],
  ['16.08.01', 10],
];

export class PeopleGenerator implements SeedWorld {
  private readonly nationalityTable = new WeightedTable(NATIONALITIES.map((n) => [n, n.weight] as const));
  private readonly categoryTables = new Map<string, WeightedTable<Category>>();
  private readonly counters = new Map<string, number>();
  private readonly immigration = new ImmigrationGenerator(this);
  private readonly police = new PoliceGenerator(this);
  /** Last day on which timed events happen: the day before the reference date. */
  readonly lastDay: Date;

  constructor(
    readonly places: Places,
    /** "Today" of the demo data, midnight UTC. */
    readonly today: Date,
  ) {
    this.lastDay = addDays(today, -1);
  }

  /** The next number of a per-unit, per-year document series. */
  nextSerial(series: string): number {
    const n = (this.counters.get(series) ?? 0) + 1;
    this.counters.set(series, n);
    return n;
  }

  generate(index: number, out: SeedDocs): void {
    const rng = new Rng(SEED, index);
    const person = this.plan(rng, index);
    this.immigration.emit(rng, person, out);
    this.police.emit(rng, person, out);
    emitLocalGovernment(this, rng, person, out);
  }

  private plan(rng: Rng, index: number): Person {
    const nat = this.nationalityTable.draw(rng);
    const group = categoryGroup(nat.code);
    let table = this.categoryTables.get(group);
    if (!table) {
      table = new WeightedTable(CATEGORY_WEIGHTS[group]!);
      this.categoryTables.set(group, table);
    }
    const category = table.draw(rng);
    const sex: Sex = rng.chance(MALE_SHARE[category]) ? 'MALE' : 'FEMALE';
    const fullName = nat.name(rng, sex);

    let company: Company | null = null;
    let position: string | null = null;
    let village: RegionRecord;
    if (category === 'WORK' || category === 'INVESTMENT') {
      company = this.places.employer(rng, nat.code);
      position =
        category === 'INVESTMENT'
          ? rng.pick(['Direktur Utama', 'Direktur', 'Komisaris', 'Direktur Keuangan'])
          : rng.pick(POSITIONS[company.sector]);
      village = this.places.workerVillage(rng, company);
    } else if (category === 'VISIT') {
      if (rng.chance(0.45)) {
        company = this.places.employer(rng, nat.code);
        village = rng.pick(this.places.villagesOf(company.district.code));
      } else {
        village = rng.pick(this.places.villagesOf(rng.weighted(TOURIST_DISTRICTS)));
      }
    } else if (category === 'DIPLOMATIC') {
      village = this.places.residentVillage(rng, rng.chance(0.8) ? '31.74' : '16.71');
    } else if (category === 'SERVICE') {
      village = this.places.residentVillage(
        rng,
        rng.weighted([
          ['16.08', 40],
          ['16.01', 30],
          ['16.09', 15],
          ['16.71', 15],
        ]),
      );
    } else {
      village = this.places.residentVillage(rng);
    }

    const person: Person = {
      index,
      id: foreignerId(index),
      nationality: nat.code,
      sex,
      fullName,
      category,
      fate: 'STAYING',
      village,
      address: '',
      company,
      position,
      permits: [],
      crossings: [],
      arrival: this.today,
      departed: null,
      revokedOn: null,
      withoutSkld: rng.chance(0.1),
      withoutSktt: rng.chance(0.1),
    };
    person.address =
      company && company.mess && village.parentCode === company.district.code && category !== 'VISIT' && rng.chance(0.7)
        ? this.places.messAddress(rng, company)
        : this.places.streetAddress(rng, village);
    return person;
  }

  /** Days the foreigner was in Indonesia, from first arrival to departure (or yesterday). */
  stayEnd(person: Person): Date {
    return person.departed ?? this.lastDay;
  }
}
