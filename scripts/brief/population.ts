/**
 * Section 2 of the brief: the foreigners present in the region by nationality and stay permit,
 * as charts (the ten largest nationalities; per regency) and one cross table per regency.
 */
import type { BriefWriter } from './blocks.js';
import { barChart, type BarDatum } from './charts.js';
import type { Population, PopulationGroup } from './model.js';
import { number, regency, shortName } from './text.js';

/** How many nationalities the population chart names; the rest are summed as "Lainnya". */
const TOP_NATIONALITIES = 10;
const PERMIT_ORDER = ['ITAS', 'ITAP', 'ITK', 'Izin Tinggal Diplomatik', 'Izin Tinggal Dinas', 'Tanpa izin berlaku'];

export async function populationSection(w: BriefWriter): Promise<void> {
  w.heading('2. WNA yang berada di wilayah menurut kewarganegaraan dan izin tinggal');
  const population = w.brief.population;
  if (w.refused('population') || !population) return;
  w.paragraph(
    'WNA yang berada di wilayah ini hari ini (izin tinggalnya berlaku dan tidak tercatat keluar sejak masuk ' +
      'terakhir), menurut kewarganegaraan dan jenis izin tinggal (ITAS, ITAP, ITK, …). WNA yang telah keluar, ' +
      'yang izinnya berakhir atau dicabut tidak dihitung; overstay disajikan di bagian 3.',
    'muted',
  );
  const data = nationalityBars(population);
  const parts = [...new Set(data.map((d) => d.part))].sort((a, b) => PERMIT_ORDER.indexOf(a) - PERMIT_ORDER.indexOf(b));
  if (data.length > 0) {
    w.add({
      kind: 'chart',
      chart: await barChart(`WNA menurut kewarganegaraan (${TOP_NATIONALITIES} terbanyak) dan izin tinggal`, data, {
        countTitle: 'Jumlah WNA',
        partTitle: 'Izin tinggal',
        parts,
      }),
    });
  }
  if (population.length > 1) {
    const perRegency: BarDatum[] = population.flatMap((p) =>
      p.groups.map((g) => ({ bar: shortName(p.regionName), part: g.permitLabel, count: g.count })),
    );
    w.add({
      kind: 'chart',
      chart: await barChart('WNA per kabupaten/kota menurut izin tinggal', perRegency, {
        countTitle: 'Jumlah WNA',
        partTitle: 'Izin tinggal',
        parts,
      }),
    });
  }
  for (const p of population) regencyPopulation(w, p, parts);
}

const nationalityOf = (g: PopulationGroup) =>
  g.nationalityName ? `${g.nationalityName} (${g.nationality})` : 'Tidak diketahui';

/** Per nationality, the count per permit label. */
function byNationality(groups: readonly PopulationGroup[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const g of groups) {
    const nationality = nationalityOf(g);
    const parts = out.get(nationality) ?? new Map<string, number>();
    parts.set(g.permitLabel, (parts.get(g.permitLabel) ?? 0) + g.count);
    out.set(nationality, parts);
  }
  return out;
}

const total = (row: Map<string, number>) => [...row.values()].reduce((a, b) => a + b, 0);

/** The bars of the nationality chart: the largest nationalities over all regencies, the rest as "Lainnya". */
function nationalityBars(population: readonly Population[]): BarDatum[] {
  const ranked = [...byNationality(population.flatMap((p) => p.groups))]
    .map(([nationality, parts]) => ({ nationality, parts, total: total(parts) }))
    .sort((a, b) => b.total - a.total);
  const shown = ranked.slice(0, TOP_NATIONALITIES);
  const others = ranked.slice(TOP_NATIONALITIES);
  const data: BarDatum[] = [];
  for (const row of shown) for (const [part, count] of row.parts) data.push({ bar: row.nationality, part, count });
  for (const row of others) for (const [part, count] of row.parts) data.push({ bar: 'Lainnya', part, count });
  return data;
}

/** A regency's count, then one row per nationality, one column per permit type present (a cross table). */
function regencyPopulation(w: BriefWriter, p: Population, parts: readonly string[]): void {
  const columns = parts.filter((part) => p.groups.some((g) => g.permitLabel === part));
  const rows = byNationality(p.groups);
  const listed = p.groups.reduce((n, g) => n + g.count, 0);
  w.paragraph(
    `${regency(p)}: ${number(p.total)} WNA berada di wilayah` +
      (p.suppressed
        ? `; ${p.unlisted === null ? 'jumlah total disembunyikan' : `${number(p.unlisted)} orang dalam kelompok yang disembunyikan`}`
        : ''),
  );
  if (rows.size === 0) return;
  w.add({
    kind: 'table',
    columns: [
      { label: 'Kewarganegaraan', width: 2 },
      ...columns.map((c) => ({ label: c, numeric: true })),
      { label: 'Jumlah', numeric: true },
    ],
    rows: [...rows]
      .sort(([a, x], [b, y]) => total(y) - total(x) || a.localeCompare(b))
      .map(([nationality, row]) => [
        nationality,
        ...columns.map((c) => (row.has(c) ? number(row.get(c)) : '')),
        number(total(row)),
      ]),
    total: [
      'Jumlah',
      ...columns.map((c) => number(p.groups.filter((g) => g.permitLabel === c).reduce((n, g) => n + g.count, 0))),
      number(listed),
    ],
  });
}
