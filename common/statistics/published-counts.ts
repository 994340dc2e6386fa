/**
 * What a statistics query answers, with or without disclosure control: the total of a region
 * and its groups. Callers who may read the rows themselves get the exact counts; everyone else
 * gets them from a {@link ProtectedTable} of their whole population, where suppressed groups are
 * not listed (an unlisted group may be empty or suppressed: listing it would tell that someone
 * is in it) and a suppressed total is null.
 */
import type { RegionFieldNames } from '../regions.js';
import { regionAncestry, regionLevelOf } from '../regions.js';
import { ALL, NONE, ProtectedTable, ROOT, regionNodeId, type CountRecord } from './disclosure-control.js';

/** The disclosure-control facts every statistics answer carries (see the schema descriptions). */
export interface DisclosureFacts {
  /** Whether any figure was withheld: a null total, or people in no listed group. */
  suppressed: boolean;
  /** People in groups not listed (total minus the listed groups), or null when the total is withheld. */
  unlisted: number | null;
  /** The threshold applied, or null when the counts are exact (the caller may read the rows). */
  minimumCellSize: number | null;
}

/** One listed group: its region key (one level down) if grouped by region, its flat values, its count. */
export interface PublishedGroup {
  regionCode: string | null;
  values: (string | null)[];
  count: number;
}

export interface PublishedCounts extends DisclosureFacts {
  total: number | null;
  groups: PublishedGroup[];
}

/** The facts of exact counts: nothing withheld. */
export function exactFacts(): DisclosureFacts {
  return { suppressed: false, unlisted: 0, minimumCellSize: null };
}

/** The order `localeCompare` gives, without resolving the locale at each comparison. */
const collator = new Intl.Collator();

/**
 * Groups largest first, ties in a stable order (so equal queries give equal answers): by their
 * JSON text, made once per group rather than twice per comparison (a province by nationality and
 * permit type has hundreds of groups, most of them tied with others).
 */
export function largestFirst<G extends { count: number }>(groups: G[]): G[] {
  const text = new Map(groups.map((g) => [g, JSON.stringify(g)]));
  return groups.sort((a, b) => b.count - a.count || collator.compare(text.get(a)!, text.get(b)!));
}

/** The region path of a stored record: its province, regency, district and own code. */
export function regionPathOf(record: Record<string, unknown>, fields: RegionFieldNames): (string | null)[] {
  const at = (f: string) => (typeof record[f] === 'string' ? (record[f] as string) : null);
  return [at(fields.province), at(fields.regency), at(fields.district), at(fields.code)];
}

/** The node of a requested region (a code prefix), or the root for none. */
function nodeOf(regionCode: string | null | undefined): string {
  if (!regionCode) return ROOT;
  const a = regionAncestry(regionCode);
  const path: string[] = [a.province];
  if (a.regency) path.push(a.regency);
  if (a.district) path.push(a.district);
  if (regionLevelOf(regionCode) === 'VILLAGE') path.push(regionCode);
  return regionNodeId(path);
}

function keyOf(node: string): string | null {
  const last = node.slice(node.lastIndexOf('/') + 1);
  return last === NONE ? null : last;
}

/**
 * The counts of one region by the chosen dimensions, read from the protected table of the
 * caller's whole population. `flat[i]` tells what to do with the i-th flat dimension: group by
 * it (true), total it (false), or count only one value of it (a string: a calendar year, say).
 */
export function protectedCounts(
  table: ProtectedTable,
  regionCode: string | null | undefined,
  byRegion: boolean,
  flat: readonly (boolean | string)[],
): PublishedCounts {
  const node = nodeOf(regionCode);
  const totals = flat.map((f) => (typeof f === 'string' ? f : ALL));
  const total = table.cell(node, totals);
  const grouped = byRegion || flat.some((f) => f === true);
  const groups: PublishedGroup[] = [];
  if (grouped) {
    const children = table.childrenOf(node);
    // a village grouped by region is its own only group
    const targets = byRegion ? (children.length > 0 ? children : [node]) : [node];
    for (const target of targets) {
      for (const { coords, value } of table.cellsOf(target)) {
        if (value.suppressed || value.count === null) continue;
        if (!coords.every((c, i) => (flat[i] === true ? c !== ALL : c === totals[i]))) continue;
        groups.push({
          regionCode: byRegion ? keyOf(target) : null,
          values: coords.map((c, i) => (flat[i] !== true || c === NONE ? null : c)),
          count: value.count,
        });
      }
    }
  }
  const listed = groups.reduce((sum, g) => sum + g.count, 0);
  const unlisted = total.count === null ? null : grouped ? total.count - listed : 0;
  return {
    total: total.count,
    groups: largestFirst(groups),
    suppressed: total.suppressed || (unlisted ?? 0) > 0,
    unlisted,
    minimumCellSize: table.threshold,
  };
}

export { ProtectedTable, type CountRecord };
