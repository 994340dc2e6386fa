/** Date arithmetic for the seed, in whole UTC days and minutes (no clock is ever read). */
import { TIME_ZONES, todayIn } from '../../common/time-zones.js';
import type { Rng } from './random.js';

export const DAY_MS = 86_400_000;

/**
 * "Today" of a demo seeded now: the calendar day in WIB, the zone of OKU Raya (the demo's
 * region), on the hub's clock (`HUB_NOW`). The seed itself never reads a clock; its callers do.
 */
export function demoToday(): Date {
  return todayIn(TIME_ZONES.WIB);
}

/** The default "today" of the demo data. */
export const DEFAULT_REFERENCE_DATE = new Date(Date.UTC(2026, 10, 29));

export function utcDate(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day));
}

/** Midnight UTC of the day of `date`. */
export function startOfDay(date: Date): Date {
  return new Date(Math.floor(date.getTime() / DAY_MS) * DAY_MS);
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** The same calendar day `months` later (clamped to the month's last day), at midnight UTC. */
export function addMonths(date: Date, months: number): Date {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(date.getUTCDate(), lastDay)));
}

export function daysBetween(from: Date, to: Date): number {
  return Math.round((to.getTime() - from.getTime()) / DAY_MS);
}

export function minDate(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}

export function maxDate(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}

/** A random midnight-UTC day in [from, to] (both included; `to` before `from` gives `from`). */
export function randomDay(rng: Rng, from: Date, to: Date): Date {
  const days = Math.max(0, daysBetween(startOfDay(from), startOfDay(to)));
  return addDays(startOfDay(from), rng.int(0, days));
}

/** The day at a random time between `fromHour` and `toHour` (local WIB, UTC+7), stored in UTC. */
export function atLocalTime(rng: Rng, day: Date, fromHour = 7, toHour = 21): Date {
  const minutes = rng.int(fromHour * 60, toHour * 60 - 1);
  return new Date(startOfDay(day).getTime() + (minutes - 7 * 60) * 60_000);
}

/** A random day in [from, to], or null when the range is empty. */
export function randomDayWithin(rng: Rng, from: Date, to: Date): Date | null {
  return startOfDay(to).getTime() < startOfDay(from).getTime() ? null : randomDay(rng, from, to);
}

const ROMAN_MONTHS = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'] as const;

/** The month in Roman numerals, as Indonesian document numbers print it (`IX` for September). */
export function romanMonth(date: Date): string {
  return ROMAN_MONTHS[date.getUTCMonth()]!;
}
