/**
 * Indonesia's three time zones and the calendar day an office lives in. Every "today", every
 * date window (permits expiring before a date, overstays, registration validity, retention
 * ages, calendar years of statistics) is judged in the time zone of the region it concerns,
 * never in UTC: between 00:00 and 07:00 WIB the UTC date is still yesterday.
 *
 * The zones follow Keppres 41/1987 (Pembagian Wilayah Republik Indonesia menjadi 3 Wilayah
 * Waktu), by province: WIB (UTC+7) for Sumatra, Java, West and Central Kalimantan; WITA (UTC+8)
 * for Bali, Nusa Tenggara, South, East and North Kalimantan and Sulawesi; WIT (UTC+9) for
 * Maluku and Papua (including the provinces formed from Papua in 2022). Indonesia keeps no
 * daylight-saving time; the IANA zone names let `Intl` do the arithmetic.
 *
 * Calendar dates (a permit's last day, a meeting date) are stored as UTC midnight of that date,
 * so "today in WIB" is the UTC midnight of the WIB calendar date.
 *
 * Pure calendar arithmetic, also bundled into the explorer's page; `common/time-zones.ts` adds
 * the judgments of "today" that read the hub's clock.
 */
import { regionAncestry } from './region-codes.js';

export const TIME_ZONE_ABBREVIATIONS = ['WIB', 'WITA', 'WIT'] as const;
export type TimeZoneAbbreviation = (typeof TIME_ZONE_ABBREVIATIONS)[number];

export interface RegionTimeZone {
  /** The official abbreviation officers write after a time: WIB, WITA or WIT. */
  abbreviation: TimeZoneAbbreviation;
  /** The IANA name used for arithmetic and formatting. */
  iana: 'Asia/Jakarta' | 'Asia/Makassar' | 'Asia/Jayapura';
  /** Hours ahead of UTC (no daylight-saving time in Indonesia). */
  utcOffsetHours: 7 | 8 | 9;
  /** Full Indonesian name, e.g. "Waktu Indonesia Barat". */
  name: string;
}

export const TIME_ZONES: Readonly<Record<TimeZoneAbbreviation, RegionTimeZone>> = {
  WIB: { abbreviation: 'WIB', iana: 'Asia/Jakarta', utcOffsetHours: 7, name: 'Waktu Indonesia Barat' },
  WITA: { abbreviation: 'WITA', iana: 'Asia/Makassar', utcOffsetHours: 8, name: 'Waktu Indonesia Tengah' },
  WIT: { abbreviation: 'WIT', iana: 'Asia/Jayapura', utcOffsetHours: 9, name: 'Waktu Indonesia Timur' },
};

/** Province codes (Kemendagri) in WITA and WIT; every other province is WIB. */
const WITA_PROVINCES = new Set(['51', '52', '53', '63', '64', '65', '71', '72', '73', '74', '75', '76']);
const WIT_PROVINCE_PATTERN = /^(8\d|9\d)$/;

/**
 * The time zone of a region, from its province: `16.01.14` (Sumatera Selatan) is WIB. A code
 * that is not shaped like a region code is an error: callers validate codes first.
 */
export function timeZoneOfRegion(code: string): RegionTimeZone {
  const province = regionAncestry(code).province;
  if (!/^\d{2}$/.test(province)) throw new Error(`not a region code: ${JSON.stringify(code)}`);
  if (WITA_PROVINCES.has(province)) return TIME_ZONES.WITA;
  if (WIT_PROVINCE_PATTERN.test(province)) return TIME_ZONES.WIT;
  return TIME_ZONES.WIB;
}

/**
 * The zones a region (code prefix) spans, each with the province codes in it that the caller
 * may need for a per-zone condition. A province or anything below spans one zone; the whole
 * country (`null` or `*`) spans all three.
 */
export function timeZonesWithin(code: string | null, provinceCodes: readonly string[]): Map<RegionTimeZone, string[]> {
  const zones = new Map<RegionTimeZone, string[]>();
  for (const province of provinceCodes) {
    if (code && code !== '*' && regionAncestry(code).province !== province) continue;
    const zone = timeZoneOfRegion(province);
    const list = zones.get(zone);
    if (list) list.push(province);
    else zones.set(zone, [province]);
  }
  return zones;
}

const dateParts = new Map<string, Intl.DateTimeFormat>();

function partsIn(zone: RegionTimeZone, at: Date): Record<string, string> {
  let format = dateParts.get(zone.iana);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone.iana,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    dateParts.set(zone.iana, format);
  }
  return Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
}

/**
 * From this instant on every zone's offset is a whole number of minutes (the last offset with
 * seconds, Monrovia's, ended in 1972), so the date in a zone can change only on a minute.
 */
const WHOLE_MINUTE_OFFSETS_FROM = Date.UTC(1973, 0, 1);

/** The date last computed in each zone (by IANA name) and the minute it was computed for. */
const lastDates = new Map<string, { minute: number; date: number }>();

/** The calendar date `at` falls on in `zone`, as UTC midnight of that date (how dates are stored). */
export function calendarDateIn(zone: RegionTimeZone, at: Date): Date {
  // "today" is asked for every row of a page: within the minute of the last answer, the date is
  // that answer's, without formatting the instant again
  const time = at.getTime();
  const minute = Math.floor(time / 60_000);
  const last = time >= WHOLE_MINUTE_OFFSETS_FROM ? lastDates.get(zone.iana) : undefined;
  if (last?.minute === minute) return new Date(last.date);
  const p = partsIn(zone, at);
  const date = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day));
  if (time >= WHOLE_MINUTE_OFFSETS_FROM) lastDates.set(zone.iana, { minute, date });
  return new Date(date);
}

/** The calendar year `at` falls in, in `zone` (for yearly statistics). */
export function calendarYearIn(zone: RegionTimeZone, at: Date): number {
  return calendarDateIn(zone, at).getUTCFullYear();
}

/** A calendar date (stored as UTC midnight) as `YYYY-MM-DD`; calendar dates carry no zone. */
export function formatCalendarDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** An instant as officers write it: `2026-12-07 19:30 WIB`. */
export function formatDateTimeIn(zone: RegionTimeZone, at: Date): string {
  const p = partsIn(zone, at);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${zone.abbreviation}`;
}

/**
 * The zones a query about these region prefixes spans (a filter's region, or a caller's
 * jurisdiction), each with its provinces: a region of one province is in one zone; `*` spans
 * every province of `provinceCodes` (the official list: `RegionDirectory.childrenOf(null)`).
 */
export function timeZonesOfScope(
  prefixes: readonly string[],
  provinceCodes: readonly string[],
): Map<RegionTimeZone, string[]> {
  if (prefixes.includes('*')) return timeZonesWithin(null, provinceCodes);
  const zones = new Map<RegionTimeZone, string[]>();
  for (const prefix of prefixes) {
    const zone = timeZoneOfRegion(prefix);
    const province = regionAncestry(prefix).province;
    const list = zones.get(zone);
    if (!list) zones.set(zone, [province]);
    else if (!list.includes(province)) list.push(province);
  }
  return zones;
}
