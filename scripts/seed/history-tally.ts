/**
 * The tally of TIMPORA OKU Raya's history: what the meetings conclude and what the operations
 * find is computed from the seeded records as they stood on each day, so a conclusion such as
 * "37 WNA pemegang ITAS … berakhir sebelum …" is what the hub itself answers for that date. The
 * seed feeds every batch of foreigners to a {@link HistoryTally}, which keeps counters per
 * district and date only (constant memory, whatever the count); `history-documents.ts` writes the
 * meetings and operations from it after the last batch.
 */
import type { StayPermitDoc } from '../../subgraphs/immigration/src/models/foreigner.js';
import { OKU_RAYA_REGENCIES } from './coordination.js';
import { DAY_MS } from './dates.js';
import type { HistoryPlan } from './history-plan.js';
import type { SeedDocs } from './person.js';

const HOLDER_TYPES: ReadonlySet<string> = new Set(['LIMITED_STAY', 'PERMANENT_STAY']);

/** What the hub knows about a district on a day. */
export interface DistrictFigures {
  /** Permit in force and no exit since the last entry. */
  present: number;
  /** Present ITAS holders whose permit ends before the next meeting (meeting days only). */
  itasExpiringBeforeNext: number;
  /** Present ITAS holders whose permit ends within 30 days. */
  itasExpiring30: number;
  /** Present ITAS/ITAP holders without an SKTT valid that day. */
  noSktt: number;
  /** Present ITAS/ITAP holders without an SKLD valid that day. */
  noSkld: number;
  /** No permit in force, the last one expired (not revoked), and no exit since the last entry. */
  overstay: number;
  /** Foreigners in any of the four groups above (what an operation visits). */
  flagged: number;
}

export const emptyFigures = (): DistrictFigures => ({
  present: 0,
  itasExpiringBeforeNext: 0,
  itasExpiring30: 0,
  noSktt: 0,
  noSkld: 0,
  overstay: 0,
  flagged: 0,
});

export function addFigures(a: DistrictFigures, b: DistrictFigures): DistrictFigures {
  const out = emptyFigures();
  for (const k of Object.keys(out) as (keyof DistrictFigures)[]) out[k] = a[k] + b[k];
  return out;
}

/** One foreigner's records, as the tally reads them. */
export interface ForeignerRecords {
  permits: readonly StayPermitDoc[];
  crossings: readonly { direction: string; crossedAt: Date }[];
  actions: readonly { type: string; decidedAt: Date }[];
  residences: readonly { registeredAt: Date; validUntil: Date }[];
  selfReports: readonly { issuedAt: Date; validUntil: Date }[];
}

/**
 * A foreigner's standing at instant `t` (the start of the day, UTC): what each figure counts.
 * `until` is the next meeting, for the permits ending before it.
 */
export function standingAt(r: ForeignerRecords, t: number, until: number | null) {
  const revokedAt = Math.min(
    ...r.actions
      .filter((a) => a.type === 'PERMIT_REVOCATION' || a.type === 'DEPORTATION')
      .map((a) => a.decidedAt.getTime()),
  );
  const issued = r.permits.filter((p) => p.issuedAt.getTime() <= t);
  const inForce = issued.filter((p) => t < p.expiresAt.getTime() && !(p.status === 'REVOKED' && revokedAt <= t));
  let last: { direction: string; crossedAt: Date } | null = null;
  for (const c of r.crossings) {
    if (c.crossedAt.getTime() <= t && (!last || c.crossedAt.getTime() >= last.crossedAt.getTime())) last = c;
  }
  const inside = last?.direction === 'ENTRY';
  const present = inside && inForce.length > 0;
  const holder = present && inForce.some((p) => HOLDER_TYPES.has(p.type));
  const itas = inForce.filter((p) => p.type === 'LIMITED_STAY');
  const itasEnd = itas.length > 0 ? Math.max(...itas.map((p) => p.expiresAt.getTime())) : null;
  const noSktt = holder && !r.residences.some((d) => d.registeredAt.getTime() <= t && t < d.validUntil.getTime());
  const noSkld = holder && !r.selfReports.some((d) => d.issuedAt.getTime() <= t && t < d.validUntil.getTime());
  const overstay =
    inside &&
    inForce.length === 0 &&
    issued.length > 0 &&
    !(revokedAt <= t) &&
    Math.max(...issued.map((p) => p.expiresAt.getTime())) <= t;
  const itasExpiring30 = present && itasEnd !== null && itasEnd < t + 30 * DAY_MS;
  return {
    present,
    itasExpiringBeforeNext: present && itasEnd !== null && until !== null && itasEnd < until,
    itasExpiring30,
    noSktt,
    noSkld,
    overstay,
    flagged: noSktt || noSkld || overstay || itasExpiring30,
  };
}

function groupBy<T extends { foreignerId: string }>(docs: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const d of docs) {
    const list = out.get(d.foreignerId);
    if (list) list.push(d);
    else out.set(d.foreignerId, [d]);
  }
  return out;
}

/** Counters of the history's days, fed batch by batch. */
export class HistoryTally {
  /** Meeting days, then operation start days. */
  private readonly days: { t: number; until: number | null }[];
  /** Per day, per district of OKU Raya. */
  private readonly figures: Map<string, DistrictFigures>[];
  /** Incidents and community reports per meeting interval and regency, by category for reports. */
  private readonly incidents: Map<string, number>[];
  private readonly reports: Map<string, number>[];

  constructor(readonly plan: HistoryPlan) {
    this.days = [
      ...plan.meetings.map((m) => ({ t: m.heldOn.getTime(), until: m.nextOn.getTime() })),
      ...plan.operations.map((o) => ({ t: o.startedOn.getTime(), until: null })),
    ];
    this.figures = this.days.map(() => new Map());
    this.incidents = plan.meetings.map(() => new Map());
    this.reports = plan.meetings.map(() => new Map());
  }

  /** The meeting interval [previous meeting, meeting) an instant falls in, or -1. */
  private interval(t: number): number {
    const meetings = this.plan.meetings;
    for (let i = 1; i < meetings.length; i++) {
      if (meetings[i - 1]!.heldOn.getTime() <= t && t < meetings[i]!.heldOn.getTime()) return i;
    }
    return -1;
  }

  /** Counts a batch: its foreigners' standing on every day, its incidents and reports per interval. */
  observe(docs: SeedDocs): void {
    this.observeForeigners(docs);
    const bump = (maps: Map<string, number>[], t: number, key: string) => {
      const i = this.interval(t);
      if (i >= 0) maps[i]!.set(key, (maps[i]!.get(key) ?? 0) + 1);
    };
    for (const x of docs.incidents) {
      if (x.regionRegency && OKU_RAYA_REGENCIES.includes(x.regionRegency))
        bump(this.incidents, x.occurredAt.getTime(), x.regionRegency);
    }
    for (const r of docs.communityReports) {
      if (!r.regionRegency || !OKU_RAYA_REGENCIES.includes(r.regionRegency)) continue;
      bump(this.reports, r.reportedAt.getTime(), r.regionRegency);
      bump(this.reports, r.reportedAt.getTime(), `${r.regionRegency}/${r.category}`);
    }
  }

  /** Adds the batch's foreigners of OKU Raya to the figures of their district on every day. */
  private observeForeigners(docs: SeedDocs): void {
    const permits = groupBy(docs.stayPermits);
    const crossings = groupBy(docs.borderCrossings);
    const actions = groupBy(docs.immigrationActions);
    const residences = groupBy(docs.residences);
    const selfReports = groupBy(docs.selfReports);
    for (const f of docs.foreigners) {
      if (!f.domicileRegency || !OKU_RAYA_REGENCIES.includes(f.domicileRegency) || !f.domicileDistrict) continue;
      const records: ForeignerRecords = {
        permits: permits.get(f._id) ?? [],
        crossings: crossings.get(f._id) ?? [],
        actions: actions.get(f._id) ?? [],
        residences: residences.get(f._id) ?? [],
        selfReports: selfReports.get(f._id) ?? [],
      };
      this.days.forEach((day, i) => {
        const s = standingAt(records, day.t, day.until);
        if (!s.present && !s.overstay) return;
        const map = this.figures[i]!;
        const current = map.get(f.domicileDistrict!) ?? emptyFigures();
        for (const k of Object.keys(current) as (keyof DistrictFigures)[]) if (s[k]) current[k]++;
        map.set(f.domicileDistrict!, current);
      });
    }
  }

  /** Figures of a day (index into meetings, then operations) summed over districts under `prefix`. */
  figuresOf(day: number, prefix: string): DistrictFigures {
    let out = emptyFigures();
    for (const [code, f] of this.figures[day]!) {
      if (code === prefix || code.startsWith(`${prefix}.`)) out = addFigures(out, f);
    }
    return out;
  }

  /** The figures of a day per district of `regency`. */
  districtsOf(day: number, regency: string): [string, DistrictFigures][] {
    return [...this.figures[day]!].filter(([code]) => code.startsWith(`${regency}.`));
  }

  /** Incidents (`regency`) or community reports (`regency` or `regency/category`) in the interval before meeting `i`. */
  occurrences(kind: 'incidents' | 'reports', i: number, key: string): number {
    return this[kind][i]!.get(key) ?? 0;
  }
}
