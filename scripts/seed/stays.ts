/**
 * ITAS/ITAP (and diplomatic/service) holders: how the stay goes (its fate), when it began and
 * must reach, the chain of permits, how it ended, and trips home meanwhile — one step each, in
 * the order they draw from the person's generator.
 */
import type {
  ImmigrationActionDoc,
  PermitType,
  SponsorDoc,
  StayPermitDoc,
  WatchlistEntryDoc,
} from '../../subgraphs/immigration/src/models/foreigner.js';
import { addDays, addMonths, daysBetween, maxDate, minDate, startOfDay } from './dates.js';
import { addCrossing, addPermit, immigrationAction, revokeActive, sponsorFor } from './immigration-records.js';
import type { Nationality } from './nationalities.js';
import type { Fate, Person, SeedWorld } from './person.js';
import { CHECKPOINT_OFFICES, immigrationOfficeFor } from './places.js';
import type { Rng, Weighted } from './random.js';
import { DEPORTATION_REASONS, REVOCATION_REASONS } from './texts.js';

const FATES: Record<'WORK' | 'RESIDENT' | 'OFFICIAL', Weighted<Fate>> = {
  WORK: [
    ['STAYING', 76],
    ['LEFT', 13],
    ['OVERSTAY', 4],
    ['OVERSTAY_FINED', 3],
    ['REVOKED', 2],
    ['DEPORTED', 2],
  ],
  RESIDENT: [
    ['STAYING', 86],
    ['LEFT', 6],
    ['OVERSTAY', 4],
    ['OVERSTAY_FINED', 2.5],
    ['REVOKED', 0.8],
    ['DEPORTED', 0.7],
  ],
  OFFICIAL: [
    ['STAYING', 80],
    ['LEFT', 20],
  ],
};

/** The day a stay's permits must reach, its overstay, and the day of its decisive event. */
interface StayTiming {
  target: Date;
  overstayDays: number;
  /** Revocation, detention or fine day. */
  eventDay: Date;
}

/**
 * ITAS/ITAP (and diplomatic/service) holders: an entry, a first permit, renewals, trips
 * home, and an ending by fate.
 */
export function planStay(
  world: SeedWorld,
  rng: Rng,
  person: Person,
  nat: Nationality,
  actions: ImmigrationActionDoc[],
  watchlist: WatchlistEntryDoc[],
): void {
  const official = person.category === 'SERVICE' || person.category === 'DIPLOMATIC';
  const fateTable = official
    ? FATES.OFFICIAL
    : person.category === 'WORK' || person.category === 'INVESTMENT'
      ? FATES.WORK
      : FATES.RESIDENT;
  const drawn = rng.weighted(fateTable);
  const office = immigrationOfficeFor(person.village.code);
  const sponsor = sponsorFor(world.places, rng, person);
  const timing = planTiming(world, rng, person, drawn);
  const issuingOffice = official
    ? person.category === 'DIPLOMATIC'
      ? 'Kementerian Luar Negeri, Direktorat Fasilitas Diplomatik'
      : 'Direktorat Jenderal Imigrasi'
    : office;
  const { fate, entryCheckpoint } = planPermitChain(
    world,
    rng,
    person,
    nat,
    drawn,
    timing.target,
    issuingOffice,
    sponsor,
  );
  const tripsUntil = endStay(world, rng, person, nat, fate, timing, entryCheckpoint, office, actions, watchlist);
  planTrips(world, rng, person, nat, tripsUntil, fate === 'STAYING');
}

/** The moment the permits must reach (target) and the first arrival (set on the person). */
function planTiming(world: SeedWorld, rng: Rng, person: Person, fate: Fate): StayTiming {
  const today = world.today;
  let target: Date;
  let arrival: Date;
  const tenure = () => 120 + Math.floor(rng.next() ** 1.3 * 1900);
  let overstayDays = 0;
  let eventDay = today; // revocation, detention or fine day
  switch (fate) {
    case 'STAYING':
      target = today;
      arrival = addDays(today, -(20 + Math.floor(rng.next() ** 1.5 * 2300)));
      break;
    case 'LEFT':
      target = addDays(today, -rng.int(5, 1500));
      arrival = addDays(target, -tenure());
      break;
    case 'OVERSTAY':
      overstayDays = rng.weighted([
        [rng.int(1, 30), 40],
        [rng.int(31, 90), 30],
        [rng.int(91, 365), 25],
        [rng.int(366, 700), 5],
      ]);
      target = addDays(today, -1 - overstayDays);
      arrival = addDays(target, -tenure());
      break;
    case 'OVERSTAY_FINED':
      overstayDays = rng.int(1, 59);
      eventDay = addDays(today, -rng.int(2, 1200));
      target = addDays(eventDay, -overstayDays);
      arrival = addDays(target, -tenure());
      break;
    case 'REVOKED':
    case 'DEPORTED':
      eventDay = addDays(today, -rng.int(fate === 'DEPORTED' ? 50 : 1, 1200));
      target = addDays(eventDay, rng.int(20, 300));
      arrival = addDays(eventDay, -tenure());
      break;
  }
  if (arrival.getTime() < addDays(today, -2400).getTime()) arrival = addDays(today, -2400);
  person.arrival = arrival;
  return { target, overstayDays, eventDay };
}

/**
 * The first entry, then the permit chain up to the target, fitted to it; a chain that cannot
 * end on the target makes the stay go on (the fate it returns, with the entry's checkpoint).
 */
function planPermitChain(
  world: SeedWorld,
  rng: Rng,
  person: Person,
  nat: Nationality,
  drawn: Fate,
  target: Date,
  issuingOffice: string,
  sponsor: SponsorDoc | null,
): { fate: Fate; entryCheckpoint: string } {
  const today = world.today;
  const arrival = person.arrival;
  let fate = drawn;
  const entry = addCrossing(rng, person, nat, 'ENTRY', arrival);
  const first = addDays(arrival, rng.int(0, 2));
  let issued = first;
  let previousExpiry: Date | null = null;
  let itasYears = 0;
  while (person.permits.length === 0 || person.permits[person.permits.length - 1]!.expiresAt < target) {
    const { type, purpose, months } = nextPermitKind(rng, person, itasYears);
    const expires: Date = previousExpiry ? addMonths(previousExpiry, months) : addDays(addMonths(issued, months), -1);
    addPermit(person, type, purpose, issued, expires, issuingOffice, sponsor);
    if (type === 'LIMITED_STAY') itasYears += months / 12;
    previousExpiry = expires;
    issued = addDays(expires, -rng.int(3, 25));
    if (issued.getTime() > world.lastDay.getTime()) break;
  }
  // fit the chain's end to the target: drop permits issued too late, shorten the last one
  if (fate !== 'STAYING') {
    while (
      person.permits.length > 1 &&
      person.permits[person.permits.length - 1]!.issuedAt.getTime() > addDays(target, -60).getTime()
    ) {
      person.permits.pop();
    }
    const last = person.permits[person.permits.length - 1]!;
    if (
      last.expiresAt.getTime() > target.getTime() &&
      (fate === 'LEFT' || fate === 'OVERSTAY' || fate === 'OVERSTAY_FINED')
    ) {
      if (daysBetween(last.issuedAt, target) >= 30) last.expiresAt = target;
      else fate = 'STAYING';
    }
  }
  if (fate === 'STAYING' && person.permits[person.permits.length - 1]!.expiresAt < today) {
    // a chain cut short above: extend it so the stay is covered today
    const last = person.permits[person.permits.length - 1]!;
    const { type, purpose, months } = nextPermitKind(rng, person, itasYears);
    const issuedAt = minDate(addDays(last.expiresAt, -rng.int(3, 25)), world.lastDay);
    addPermit(
      person,
      type,
      purpose,
      issuedAt,
      addMonths(maxDate(last.expiresAt, today), months),
      last.issuingOffice,
      sponsor,
    );
  }
  person.fate = fate;
  return { fate, entryCheckpoint: entry.checkpointCode };
}

/** How the stay ends (exit, fine, revocation, deportation and its ban); returns until when trips home are possible. */
function endStay(
  world: SeedWorld,
  rng: Rng,
  person: Person,
  nat: Nationality,
  fate: Fate,
  { overstayDays, eventDay }: StayTiming,
  entryCheckpoint: string,
  office: string,
  actions: ImmigrationActionDoc[],
  watchlist: WatchlistEntryDoc[],
): Date {
  const today = world.today;
  const last = person.permits[person.permits.length - 1]!;
  let tripsUntil: Date;
  switch (fate) {
    case 'STAYING':
      tripsUntil = world.lastDay;
      break;
    case 'LEFT': {
      const exitDay = minDate(addDays(last.expiresAt, -rng.int(0, 20)), world.lastDay);
      const departure = maxDate(exitDay, addDays(last.issuedAt, 7));
      addCrossing(rng, person, nat, 'EXIT', departure, rng.chance(0.6) ? entryCheckpoint : undefined);
      person.departed = departure;
      tripsUntil = addDays(departure, -30);
      break;
    }
    case 'OVERSTAY': {
      tripsUntil = addDays(last.expiresAt, -20);
      if (overstayDays > 60 && rng.chance(0.25)) {
        actions.push(
          immigrationAction(
            person,
            'DETENTION',
            addDays(today, -rng.int(1, overstayDays - 60)),
            `Didetensi di Rudenim karena melampaui izin tinggal lebih dari 60 hari sejak izin tinggal ${last._id} berakhir; deportasi sedang dipersiapkan.`,
            office,
          ),
        );
      }
      break;
    }
    case 'OVERSTAY_FINED': {
      const exitDay = minDate(addDays(last.expiresAt, overstayDays), world.lastDay);
      const exit = addCrossing(rng, person, nat, 'EXIT', exitDay, rng.chance(0.6) ? entryCheckpoint : undefined);
      const days = daysBetween(last.expiresAt, exitDay);
      actions.push(
        immigrationAction(
          person,
          'FINE',
          exitDay,
          `Melampaui izin tinggal (overstay) ${days} hari sejak izin tinggal ${last._id} berakhir; biaya beban Rp ${rupiah(days * 1_000_000)} telah dibayar sebelum keberangkatan.`,
          CHECKPOINT_OFFICES[exit.checkpointCode] ?? office,
        ),
      );
      person.departed = exitDay;
      tripsUntil = addDays(last.expiresAt, -20);
      break;
    }
    case 'REVOKED': {
      const day = minDate(maxDate(eventDay, addDays(person.permits[0]!.issuedAt, 30)), world.lastDay);
      actions.push(immigrationAction(person, 'PERMIT_REVOCATION', day, rng.pick(REVOCATION_REASONS), office));
      person.revokedOn = startOfDay(day);
      revokeActive(person.permits);
      const exitDay = addDays(day, rng.int(5, 30));
      if (exitDay <= world.lastDay) {
        addCrossing(rng, person, nat, 'EXIT', exitDay);
        person.departed = exitDay;
      }
      tripsUntil = addDays(day, -20);
      break;
    }
    case 'DEPORTED': {
      const detained = minDate(
        maxDate(eventDay, addDays(person.permits[0]!.issuedAt, 30)),
        addDays(world.lastDay, -50),
      );
      const deported = addDays(detained, rng.int(7, 45));
      const reason = rng.pick(DEPORTATION_REASONS);
      actions.push(
        immigrationAction(
          person,
          'DETENTION',
          detained,
          'Didetensi di Rudenim sambil menunggu pelaksanaan deportasi.',
          office,
        ),
      );
      actions.push(immigrationAction(person, 'DEPORTATION', deported, reason, office));
      const banYears = rng.weighted([
        [0.5, 30],
        [1, 35],
        [2, 25],
        [0, 10],
      ]);
      actions.push(
        immigrationAction(
          person,
          'ENTRY_BAN',
          deported,
          banYears
            ? `Penangkalan selama ${banYears === 0.5 ? 'enam bulan' : `${banYears} tahun`} setelah deportasi.`
            : 'Penangkalan tanpa batas waktu setelah deportasi.',
          office,
        ),
      );
      revokeActive(person.permits);
      addCrossing(rng, person, nat, 'EXIT', deported, rng.chance(0.6) ? 'CGK' : 'PLM');
      watchlist.push({
        _id: '',
        foreignerId: person.id,
        type: 'DETERRENCE',
        reason: `Penangkalan setelah deportasi: ${reason}`,
        since: deported,
        until: banYears ? addDays(addMonths(deported, banYears * 12), -1) : null,
        requestedBy: 'Direktorat Jenderal Imigrasi',
      });
      person.departed = deported;
      tripsUntil = addDays(detained, -30);
      break;
    }
  }
  return tripsUntil;
}

/** The kind of the next permit of a chain (ITAS → ITAP for spouses and retirees). */
function nextPermitKind(
  rng: Rng,
  person: Person,
  itasYears: number,
): { type: PermitType; purpose: StayPermitDoc['purpose']; months: number } {
  switch (person.category) {
    case 'WORK':
      return {
        type: 'LIMITED_STAY',
        purpose: 'WORK',
        months: rng.weighted([
          [6, 15],
          [12, 60],
          [24, 25],
        ]),
      };
    case 'INVESTMENT':
      return { type: 'LIMITED_STAY', purpose: 'INVESTMENT', months: 24 };
    case 'FAMILY':
      if (itasYears >= 2 && (person.permits.at(-1)?.type === 'PERMANENT_STAY' || rng.chance(0.7))) {
        return { type: 'PERMANENT_STAY', purpose: 'FAMILY', months: 60 };
      }
      return { type: 'LIMITED_STAY', purpose: 'FAMILY', months: 12 };
    case 'RETIREMENT':
      if (itasYears >= 4 && (person.permits.at(-1)?.type === 'PERMANENT_STAY' || rng.chance(0.7))) {
        return { type: 'PERMANENT_STAY', purpose: 'RETIREMENT', months: 60 };
      }
      return { type: 'LIMITED_STAY', purpose: 'RETIREMENT', months: 12 };
    case 'SERVICE':
      return { type: 'SERVICE', purpose: 'DUTY', months: 12 };
    case 'DIPLOMATIC':
      return { type: 'DIPLOMATIC', purpose: 'DUTY', months: 12 };
    case 'VISIT':
      return { type: 'VISIT', purpose: 'TOURISM', months: 1 };
  }
}

/** Trips home (exit, re-entry) while a permit is in force; one may still be under way today. */
function planTrips(
  world: SeedWorld,
  rng: Rng,
  person: Person,
  nat: Nationality,
  until: Date,
  mayBeAbroad: boolean,
): void {
  const chinese = person.nationality === 'CHN';
  let t = addDays(person.arrival, rng.int(90, 300));
  while (t.getTime() <= until.getTime()) {
    let exitDay = t;
    // Chinese crews mostly go home around the Lunar New Year
    if (chinese && rng.chance(0.6)) {
      const year = t.getUTCMonth() >= 2 ? t.getUTCFullYear() + 1 : t.getUTCFullYear();
      exitDay = addDays(new Date(Date.UTC(year, 0, 20)), rng.int(-10, 15));
      if (exitDay.getTime() < t.getTime() || exitDay.getTime() > until.getTime()) exitDay = t;
    }
    const back = addDays(exitDay, rng.int(7, 35));
    const checkpoint = rng.weighted(nat.route);
    if (back.getTime() > world.lastDay.getTime() || back.getTime() > until.getTime()) {
      if (mayBeAbroad && exitDay.getTime() <= world.lastDay.getTime() && rng.chance(0.5)) {
        addCrossing(rng, person, nat, 'EXIT', exitDay, checkpoint);
      }
      break;
    }
    addCrossing(rng, person, nat, 'EXIT', exitDay, checkpoint);
    addCrossing(rng, person, nat, 'ENTRY', back, rng.chance(0.7) ? checkpoint : undefined);
    t = addDays(back, rng.int(chinese ? 240 : 150, chinese ? 420 : 400));
  }
}

/** `12.000.000`: thousands separated by dots, as Indonesian amounts are written. */
function rupiah(amount: number): string {
  return String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}
