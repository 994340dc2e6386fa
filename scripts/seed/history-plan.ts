/**
 * When TIMPORA OKU Raya met and operated, up to the reference date: the meeting of 25 September
 * 2024, then a coordination meeting every quarter (the second Wednesday of December, March, June
 * and September, rotating among the three regency seats) and joint operations between meetings.
 * The dates depend only on the reference date; what the meetings conclude and what the
 * operations find is counted by the tally (`history-tally.ts`) and written by
 * `history-documents.ts`.
 */
import { FIRST_MEETING, LEGACY_OPERATIONS, OKU_RAYA_REGENCIES } from './coordination.js';
import { addDays, utcDate } from './dates.js';
import { Rng, SEED } from './random.js';

/** The second Wednesday of a month (meetings avoid the month's first days and its end). */
function secondWednesday(year: number, month: number): Date {
  const first = utcDate(year, month, 1);
  const offset = (3 - first.getUTCDay() + 7) % 7;
  return addDays(first, offset + 7);
}

/** The regular meeting after `date` (quarterly: December, March, June, September). */
function nextQuarterlyMeeting(date: Date): Date {
  let year = date.getUTCFullYear();
  let month = date.getUTCMonth() + 1;
  for (;;) {
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
    if (month % 3 === 0) {
      const candidate = secondWednesday(year, month);
      if (candidate.getTime() > date.getTime()) return candidate;
    }
  }
}

export interface PlannedMeeting {
  id: string;
  heldOn: Date;
  /** The next regular meeting (even when it falls after the reference date). */
  nextOn: Date;
  /** The regency whose seat hosts it. */
  host: string;
}

export interface PlannedOperation {
  id: string;
  startedOn: Date;
  endedOn: Date;
  /** The meeting that agreed on it (index into the meetings). */
  meeting: number;
  /** Fixed districts (the operations of 2024–2025 named in the record), or a slot the data fills. */
  districts: readonly string[] | null;
  slot: 0 | 1;
}

export interface HistoryPlan {
  meetings: PlannedMeeting[];
  operations: PlannedOperation[];
}

/** Meetings held before the reference date, and the operations that ended before it. */
export function planHistory(referenceDate: Date): HistoryPlan {
  const before = (d: Date) => d.getTime() < referenceDate.getTime();
  const meetings = plannedMeetings(before);
  const operations = legacyOperations(meetings, before);
  meetings.forEach((m, i) => {
    if (i === 0) return; // the operations agreed in September 2024 are in the record
    operations.push(...agreedOperations(m, i, operations.filter((o) => o.meeting === i).length, before));
  });
  operations.sort((a, b) => a.startedOn.getTime() - b.startedOn.getTime() || a.id.localeCompare(b.id));
  return { meetings, operations };
}

/** The meetings held on the days `before` accepts. */
function plannedMeetings(before: (d: Date) => boolean): PlannedMeeting[] {
  const meetings: PlannedMeeting[] = [];
  for (let day = FIRST_MEETING.heldOn, i = 0; before(day); day = nextQuarterlyMeeting(day), i++) {
    meetings.push({
      id: i === 0 ? FIRST_MEETING._id : `RAKOR-TIMPORA-OKURAYA-${day.toISOString().slice(0, 10)}`,
      heldOn: day,
      nextOn: nextQuarterlyMeeting(day),
      host: OKU_RAYA_REGENCIES[i % 3]!,
    });
  }
  return meetings;
}

/** The operations of 2024–2025 named in the record, those over by the reference date. */
function legacyOperations(meetings: readonly PlannedMeeting[], before: (d: Date) => boolean): PlannedOperation[] {
  const meetingBefore = (d: Date) => meetings.findLastIndex((m) => m.heldOn.getTime() <= d.getTime());
  return LEGACY_OPERATIONS.filter((legacy) => before(addDays(legacy.endedOn, 1))).map((legacy): PlannedOperation => ({
    id: legacy._id,
    startedOn: legacy.startedOn,
    endedOn: legacy.endedOn,
    meeting: meetingBefore(legacy.startedOn),
    districts: legacy.districts,
    slot: 0,
  }));
}

/** The (up to two) operations meeting `i` agreed on, less the `taken` ones in the record. */
function agreedOperations(
  m: PlannedMeeting,
  i: number,
  taken: number,
  before: (d: Date) => boolean,
): PlannedOperation[] {
  const rng = new Rng(SEED, 7_001, i);
  const operations: PlannedOperation[] = [];
  for (const slot of [0, 1] as const) {
    if (slot >= 2 - taken) continue; // an operation in the record takes the later slot
    // three to five weeks after the meeting, then seven to ten; Monday to Wednesday or Thursday
    let start = addDays(m.heldOn, slot === 0 ? rng.int(21, 35) : rng.int(49, 70));
    while (start.getUTCDay() !== 1) start = addDays(start, 1);
    // not in the week of Independence Day, Christmas or New Year
    if (['08-1', '12-2', '12-3', '01-0'].some((d) => start.toISOString().slice(5, 9) === d)) start = addDays(start, 7);
    const endedOn = addDays(start, rng.int(1, 3));
    if (endedOn.getTime() >= m.nextOn.getTime() || !before(addDays(endedOn, 1))) continue;
    const month = start.toISOString().slice(0, 7);
    operations.push({
      id: `OPS-TIMPORA-OKURAYA-${month}-${slot + 1}`,
      startedOn: start,
      endedOn,
      meeting: i,
      districts: null,
      slot,
    });
  }
  return operations;
}
