/**
 * The calendar day an office lives in, on the hub's clock: everything of `common/calendar.ts`
 * (Indonesia's three time zones, dates and times written with their zone) and the judgments of
 * "today" that read the clock (`common/clock.ts`, `HUB_NOW`).
 */
import { now as clockNow } from './clock.js';
import { calendarDateIn, timeZoneOfRegion, TIME_ZONES, type RegionTimeZone } from './calendar.js';

export * from './calendar.js';

/** Today in `zone`: a permit whose last day is today is still valid today. */
export function todayIn(zone: RegionTimeZone, now: Date = clockNow()): Date {
  return calendarDateIn(zone, now);
}

/** Today in the time zone of a region. */
export function todayInRegion(code: string, now: Date = clockNow()): Date {
  return todayIn(timeZoneOfRegion(code), now);
}

/**
 * A database condition that judges every row on the calendar day of its own region: `build`
 * gives the condition for one "today". When every zone of `zones` is on the same date (22
 * hours of 24: the days differ only from 15:00 to 17:00 UTC) it is `build(today)` itself;
 * otherwise one `$or` branch per date, each restricted to the provinces of its zones by
 * `provinceField` (the ancestry field, an equality or `$in` an index serves). Every zone is
 * judged at the same instant `at`.
 */
export function conditionByZone<C extends object>(
  zones: ReadonlyMap<RegionTimeZone, readonly string[]>,
  provinceField: string,
  build: (today: Date) => C,
  at: Date = clockNow(),
): C | { $or: object[] } {
  const byDate = new Map<number, { today: Date; provinces: string[] }>();
  for (const [zone, provinces] of zones) {
    const today = todayIn(zone, at);
    const group = byDate.get(today.getTime());
    if (group) group.provinces.push(...provinces);
    else byDate.set(today.getTime(), { today, provinces: [...provinces] });
  }
  const groups = [...byDate.values()];
  // no zone known (an empty scope): WIB, the zone of most regions and of the demo
  if (groups.length === 0) return build(todayIn(TIME_ZONES.WIB, at));
  if (groups.length === 1) return build(groups[0]!.today);
  return {
    $or: groups.map(({ today, provinces }) => ({
      [provinceField]: provinces.length === 1 ? provinces[0]! : { $in: provinces.sort() },
      ...build(today),
    })),
  };
}
