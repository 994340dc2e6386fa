/**
 * How the brief writes dates, numbers and names in Bahasa Indonesia, and the small sums its
 * tables show: `15 Desember 2026`, `1.234`, `Kabupaten Ogan Komering Ulu (16.01)`, "–" where a
 * section is not available.
 */
import type { CategoryCount, RegencyCount, RegistrationGap } from './model.js';

const MONTHS = [
  'Januari',
  'Februari',
  'Maret',
  'April',
  'Mei',
  'Juni',
  'Juli',
  'Agustus',
  'September',
  'Oktober',
  'November',
  'Desember',
];
const DAYS = ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', "Jum'at", 'Sabtu'];

/** A calendar date (`YYYY-MM-DD`) as officers write it: `15 Desember 2026`; with the weekday: `Selasa, 15 Desember 2026`. */
export function tanggal(date: string, withDay = false): string {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  const text = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  return withDay ? `${DAYS[d.getUTCDay()]}, ${text}` : text;
}

/** `1.234`; "–" when there is no number. */
export const number = (n: number | null | undefined) =>
  n === null || n === undefined ? '–' : n.toLocaleString('id-ID');

/** "KABUPATEN OGAN KOMERING ULU" → "Kabupaten Ogan Komering Ulu" (the official list is in capitals). */
export function regionName(name: string): string {
  return name.toLowerCase().replace(/(^|[\s(/-])(\p{L})/gu, (_, sep: string, c: string) => sep + c.toUpperCase());
}

/** `Kabupaten Ogan Komering Ulu (16.01)`. */
export const regency = (r: { regionCode: string; regionName: string }) =>
  `${regionName(r.regionName)} (${r.regionCode})`;

/** A regency's name without "Kabupaten" (a city keeps "Kota"), for chart labels: `Ogan Komering Ulu`. */
export const shortName = (name: string) => regionName(name).replace(/^Kabupaten /, '');

/** Why a section is missing, for the reader: the hub's reason is kept in brackets. */
export function withheldText(reason: string): string {
  const scope = /scopes? ([\w:-]+(?: and [\w:-]+)?)/.exec(reason)?.[1];
  return `Bagian ini tidak tersedia untuk hak akses Anda${scope ? ` (memerlukan ${scope})` : ''}.`;
}

export function sum(rows: readonly { count: number }[] | null | undefined): number {
  return (rows ?? []).reduce((n, r) => n + r.count, 0);
}

/** A regency's count as a cell; "–" when the section is not available. */
export function countOf(rows: readonly RegencyCount[] | null, code: string): string {
  return rows ? number(rows.find((r) => r.regionCode === code)?.count ?? 0) : '–';
}

/** A regency's holders without a valid document (none or expired) as a cell. */
export function gapOf(rows: readonly RegistrationGap[] | null, code: string): string {
  if (!rows) return '–';
  const r = rows.find((g) => g.regionCode === code);
  return r ? number(r.missing + r.expired) : '0';
}

/** Counts by category summed over the regencies, largest first. */
export function byCategory(rows: readonly CategoryCount[]): { label: string; count: number }[] {
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.categoryLabel, (totals.get(r.categoryLabel) ?? 0) + r.count);
  return [...totals].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count);
}
