/**
 * How exported cells read to an officer (`--values labels`, the default): enum values under
 * their official Indonesian names (`LIMITED_STAY` → `ITAS`, `ACTIVE` → `Berlaku`), a region's
 * name beside every region code (`domicileRegionCode` is followed by `domicileRegionName`), a
 * country's name beside every nationality, and instants in the time zone of the row's region
 * with the zone written out (`2026-12-07 19:30 WIB`). `--values codes` keeps the hub's own
 * values, for spreadsheets that feed other systems. Conditions of `--where` are decided on the
 * hub's values before any of this.
 */
import { countryLabel, ENUM_LABELS, enumShortLabel } from '../../common/i18n/labels.js';
import type { RegionDirectory } from '../../common/regions.js';
import { formatDateTimeIn, timeZoneOfRegion, TIME_ZONES, type RegionTimeZone } from '../../common/time-zones.js';
import { LIST_SEPARATOR, type RowSource } from './rows.js';

export type ValueStyle = 'labels' | 'codes';

export interface Presentation {
  header: string[];
  /** A filtered row in the hub's values, as the officer reads it. */
  present(row: readonly string[]): string[];
}

const REGION_CODE = /^(.*)(regionCode|RegionCode)$/;

/** Each `; `-joined entry of a cell through `f` (a cell from a list holds one entry per element). */
function eachEntry(cell: string, f: (entry: string) => string): string {
  if (cell === '') return cell;
  return cell
    .split(LIST_SEPARATOR)
    .map((entry) => (entry === '' ? entry : f(entry)))
    .join(LIST_SEPARATOR);
}

export function presentation(
  source: RowSource,
  options: { values: ValueStyle; regions: RegionDirectory; timeZone?: RegionTimeZone },
): Presentation {
  const header = source.columns.map((c) => c.join('.'));
  if (options.values === 'codes') return { header, present: (row) => [...row] };

  const fallbackZone = options.timeZone ?? TIME_ZONES.WIB;
  const regionColumns = header.flatMap((_, i) =>
    source.columnTypes[i] === 'String' && REGION_CODE.test(source.columns[i]!.at(-1)!) ? [i] : [],
  );
  /** The zone of a row: that of its first region code, else the fallback. */
  const zoneOf = (row: readonly string[]): RegionTimeZone => {
    for (const i of regionColumns) {
      const code = row[i]?.split(LIST_SEPARATOR)[0];
      if (code && /^\d{2}(\.|$)/.test(code)) return timeZoneOfRegion(code);
    }
    return fallbackZone;
  };

  type Cell = (row: readonly string[], zone: () => RegionTimeZone) => string;
  const cells: Cell[] = [];
  const out: string[] = [];
  const taken = new Set(header);
  source.columns.forEach((column, i) => {
    const name = header[i]!;
    const type = source.columnTypes[i]!;
    const leaf = column.at(-1)!;
    if (ENUM_LABELS[type]) {
      cells.push((row) => eachEntry(row[i]!, (v) => enumShortLabel(type, v)));
    } else if (type === 'DateTime') {
      cells.push((row, zone) =>
        eachEntry(row[i]!, (v) => {
          const at = new Date(v);
          return Number.isNaN(at.getTime()) ? v : formatDateTimeIn(zone(), at);
        }),
      );
    } else {
      cells.push((row) => row[i]!);
    }
    out.push(name);
    // a name beside the code, unless the operation already selects one there
    const besides = (suffix: string, label: (code: string) => string) => {
      const beside = [...column.slice(0, -1), suffix].join('.');
      if (taken.has(beside)) return;
      taken.add(beside);
      out.push(beside);
      cells.push((row) => eachEntry(row[i]!, label));
    };
    const region = REGION_CODE.exec(leaf);
    if (type === 'String' && region) {
      besides(
        `${region[1]}${region[1] ? 'RegionName' : 'regionName'}`,
        (code) => options.regions.get(code)?.name ?? '',
      );
    } else if (type === 'String' && leaf === 'nationality') {
      besides('nationalityName', (code) => countryLabel(code));
    }
  });
  return {
    header: out,
    present(row) {
      let zone: RegionTimeZone | undefined;
      const rowZone = () => (zone ??= zoneOf(row));
      return cells.map((cell) => cell(row, rowZone));
    },
  };
}
