/**
 * How old a record is, on the hub's clock. Ages are whole years counted back from today, in the
 * time zone of the record's region (WIB, WITA or WIT, `common/time-zones.ts`) where the record
 * has one (foreigners by domicile, incidents, SKLD, SKTT, employment, community reports): one
 * `$or` branch per zone on the record's province field (`olderThan`). Records without a region
 * (stay permits, crossings, cekal, TAK, the access log) take the strictest safe choice, the
 * earliest cutoff of the three zones (`yearsAgo`): nothing is aged before its day has turned
 * everywhere. Holds ("a permit in force", "a residence still valid") are judged likewise on the
 * earliest "today" of the three zones (`holdToday`), so a record is held rather than released
 * early. A record whose province is in no zone of the official list is never selected by age.
 */
import { now } from '../clock.js';
import { nationalTimeZones } from '../regions.js';
import { TIME_ZONES, todayIn, type RegionTimeZone } from '../time-zones.js';

/** Whether a rule's age field holds a calendar date (stored as UTC midnight) or an instant. */
export type AgeField = 'date' | 'instant';

/**
 * The cutoff `years` whole years before today in `zone`: the calendar date (UTC midnight, how
 * dates are stored), or for an instant field the instant that date begins in the zone.
 */
export function cutoffIn(zone: RegionTimeZone, years: number, kind: AgeField, at: Date = now()): Date {
  const date = todayIn(zone, at);
  date.setUTCFullYear(date.getUTCFullYear() - years);
  return kind === 'date' ? date : new Date(date.getTime() - zone.utcOffsetHours * 3_600_000);
}

/** The earliest of a date in the three zones: the strictest safe choice for a record without a region. */
function earliest(of: (zone: RegionTimeZone) => Date): Date {
  return new Date(Math.min(...Object.values(TIME_ZONES).map((zone) => of(zone).getTime())));
}

/**
 * The cutoff `years` whole years before today for a record without a region: the earliest of
 * the three zones (see the module's note).
 */
export function yearsAgo(years: number, at: Date = now(), kind: AgeField = 'date'): Date {
  return earliest((zone) => cutoffIn(zone, years, kind, at));
}

/** "Today" for a hold on a record without a region: the earliest of the three zones' todays. */
export function holdToday(at: Date = now()): Date {
  return earliest((zone) => todayIn(zone, at));
}

/**
 * The condition "`field` is more than `years` whole years old", judged in the zone of each
 * record's region (its province field `provinceField`): one `$or` branch per zone.
 */
export async function olderThan(
  field: string,
  years: number,
  kind: AgeField,
  provinceField: string,
  at: Date = now(),
): Promise<Record<string, unknown>> {
  const zones = await nationalTimeZones();
  return {
    $or: [...zones].map(([zone, provinces]) => ({
      [provinceField]: { $in: provinces },
      [field]: { $lt: cutoffIn(zone, years, kind, at) },
    })),
  };
}
