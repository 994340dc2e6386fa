/**
 * Kemendagri administrative regions (province → regency/city → district → village), from the
 * official list shipped by the npm package `idn-area-data` (its data files, unpacked on install:
 * common/region-data.ts). Subgraphs use it to validate region codes; the
 * local-government subgraph loads it into its database and serves `Region` entities from it.
 */
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { officialRegionFiles } from './region-data.js';

export { REGION_LEVELS, regionAncestry, regionLevelOf, type RegionLevel } from './region-codes.js';
import { regionAncestry, regionLevelOf, type RegionLevel } from './region-codes.js';
import { timeZonesWithin, type RegionTimeZone } from './time-zones.js';

export interface RegionRecord {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
}

/** Does `code` lie inside the region `prefix` (or equal it)? `*` contains every region. */
export function regionContains(prefix: string, code: string): boolean {
  return prefix === '*' || code === prefix || code.startsWith(`${prefix}.`);
}

/** An immutable, indexed region tree. */
export class RegionDirectory {
  private readonly byCode = new Map<string, RegionRecord>();
  private readonly children = new Map<string | null, RegionRecord[]>();

  constructor(records: Iterable<RegionRecord>) {
    for (const record of records) {
      this.byCode.set(record.code, record);
      const siblings = this.children.get(record.parentCode);
      if (siblings) siblings.push(record);
      else this.children.set(record.parentCode, [record]);
    }
    for (const list of this.children.values()) list.sort((a, b) => a.code.localeCompare(b.code));
  }

  get size(): number {
    return this.byCode.size;
  }

  get(code: string): RegionRecord | undefined {
    return this.byCode.get(code);
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  childrenOf(code: string | null): readonly RegionRecord[] {
    return this.children.get(code) ?? [];
  }

  all(): IterableIterator<RegionRecord> {
    return this.byCode.values();
  }
}

/**
 * One CSV file of idn-area-data, parsed as the package's own `getData` parses it. The files end in
 * a newline, which without `skipEmptyLines` is a row of empty fields: a region with code `''` and
 * no parent, taken for a province (and then "not a region code" in the national time zones).
 */
async function readCsv(dir: string, area: string): Promise<Record<string, string>[]> {
  const text = await fs.promises.readFile(path.join(dir, `${area}.csv`), 'utf8');
  return Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
}

async function readOfficialRegions(): Promise<RegionRecord[]> {
  const { dir } = officialRegionFiles();
  const [provinces, regencies, districts, villages] = await Promise.all([
    readCsv(dir, 'provinces'),
    readCsv(dir, 'regencies'),
    readCsv(dir, 'districts'),
    readCsv(dir, 'villages'),
  ]);
  // the CSV columns as they are (snake_case parent codes)
  type Row = { code: string; name: string } & Record<string, string>;
  const rows = (list: Record<string, string>[], level: RegionLevel, parentKey: string | null): RegionRecord[] =>
    (list as Row[]).map((r) => ({
      code: r.code,
      name: r.name,
      level,
      parentCode: parentKey ? (r[parentKey] ?? null) : null,
    }));
  return [
    ...rows(provinces, 'PROVINCE', null),
    ...rows(regencies, 'REGENCY', 'province_code'),
    ...rows(districts, 'DISTRICT', 'regency_code'),
    ...rows(villages, 'VILLAGE', 'district_code'),
  ];
}

let official: Promise<RegionDirectory> | undefined;

/** The official region tree, read once per process from the data of `idn-area-data`. */
export function officialRegions(): Promise<RegionDirectory> {
  official ??= readOfficialRegions().then((records) => new RegionDirectory(records));
  return official;
}

/**
 * Names of the fields that store a region code and its ancestry in a document, e.g.
 * `{ code: 'domicileRegionCode', province: 'domicileProvince', … }`.
 */
export interface RegionFieldNames {
  code: string;
  province: string;
  regency: string;
  district: string;
}

/** The ancestry values to store beside a region code, under the given field names. */
export function regionAncestryFields(code: string, fields: RegionFieldNames): Record<string, string | null> {
  const ancestry = regionAncestry(code);
  return {
    [fields.code]: code,
    [fields.province]: ancestry.province,
    [fields.regency]: ancestry.regency,
    [fields.district]: ancestry.district,
  };
}

/**
 * The condition "the stored region lies inside `code`" as an equality on the ancestry field of
 * the code's level: an index search on MongoDB and on the hub's FerretDB build alike, where a
 * prefix match would be a regular expression (evaluated document by document on FerretDB). `null` when `code` is not shaped like a region code.
 */
export function regionCondition(code: string, fields: RegionFieldNames): Record<string, string> | null {
  const level = regionLevelOf(code);
  if (!level) return null;
  const field = { PROVINCE: fields.province, REGENCY: fields.regency, DISTRICT: fields.district, VILLAGE: fields.code }[
    level
  ];
  return { [field]: code };
}

/** Every time zone with its provinces, from the official list (read once per process). */
export async function nationalTimeZones(): Promise<Map<RegionTimeZone, string[]>> {
  return timeZonesWithin(
    null,
    (await officialRegions()).childrenOf(null).map((p) => p.code),
  );
}
