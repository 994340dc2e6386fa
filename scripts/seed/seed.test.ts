/**
 * The demo-data generator, without a database: deterministic, internally consistent, and
 * shaped the way the subgraphs' validation expects.
 */
import { createHash } from 'node:crypto';
import { officialRegions, regionAncestry } from '../../common/regions.js';
import { documentNumber, passportNumber } from '../../common/validation.js';
import { checkpointByCode } from '../../subgraphs/immigration/src/checkpoints.js';
import { AGENCIES, FIRST_MEETING, MEETING_CHAIR } from './coordination.js';
import { DEFAULT_REFERENCE_DATE } from './dates.js';
import { overstayOf, summarizeCrossings } from '../../subgraphs/immigration/src/services/overstay.js';
import { PeopleGenerator, emptyDocs, summarize, type SeedDocs } from './people.js';
import { Places } from './places.js';

const COUNT = 2000;

async function generate(count: number): Promise<SeedDocs> {
  const generator = new PeopleGenerator(new Places(await officialRegions()), DEFAULT_REFERENCE_DATE);
  const docs = emptyDocs();
  for (let i = 0; i < count; i++) generator.generate(i, docs);
  return docs;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item));
    if (list) list.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

const digest = (docs: SeedDocs) => createHash('sha256').update(JSON.stringify(docs)).digest('hex');

describe('demo data', () => {
  let docs: SeedDocs;
  beforeAll(async () => {
    docs = await generate(COUNT);
  });

  it('is deterministic, and a smaller seed is a prefix of a larger one', async () => {
    expect(digest(await generate(COUNT))).toBe(digest(docs));
    const small = await generate(100);
    expect(small.foreigners).toEqual(docs.foreigners.slice(0, 100));
  });

  it('lists the member institutions of TIMPORA OKU Raya, 33 of whom met on 25 September 2024', () => {
    expect(new Set(AGENCIES.map((a) => a._id)).size).toBe(AGENCIES.length);
    const meeting = FIRST_MEETING;
    expect(meeting.heldOn.toISOString()).toBe('2024-09-25T00:00:00.000Z');
    expect(meeting.chairCode).toBe(MEETING_CHAIR);
    expect(meeting.attendeeCodes).toHaveLength(33);
  });

  it('gives unique, well-formed passports and official domiciles with their ancestry', async () => {
    const regions = await officialRegions();
    expect(new Set(docs.foreigners.map((f) => f.passportNumber)).size).toBe(COUNT);
    for (const f of docs.foreigners) {
      expect(passportNumber.safeParse(f.passportNumber).success).toBe(true);
      expect(regions.get(f.domicileRegionCode)?.level).toBe('VILLAGE');
      const ancestry = regionAncestry(f.domicileRegionCode);
      expect([f.domicileProvince, f.domicileRegency, f.domicileDistrict]).toEqual([
        ancestry.province,
        ancestry.regency,
        ancestry.district,
      ]);
    }
    const okuRaya = docs.foreigners.filter((f) => ['16.01', '16.08', '16.09'].includes(f.domicileRegency!)).length;
    expect(okuRaya / COUNT).toBeGreaterThan(0.8);
    expect(okuRaya / COUNT).toBeLessThan(0.92);
  });

  it('stores the permit summary as the immigration service computes it', () => {
    const byForeigner = groupBy(docs.stayPermits, (p) => p.foreignerId);
    for (const f of docs.foreigners) expect(f.currentPermit).toEqual(summarize(byForeigner.get(f._id) ?? []));
    expect(new Set(docs.stayPermits.map((p) => p._id)).size).toBe(docs.stayPermits.length);
  });

  it('stores the latest crossing as the immigration service computes it, and has overstays of both kinds', () => {
    const byForeigner = groupBy(docs.borderCrossings, (c) => c.foreignerId);
    for (const f of docs.foreigners) expect(f.lastCrossing).toEqual(summarizeCrossings(byForeigner.get(f._id) ?? []));
    const today = DEFAULT_REFERENCE_DATE;
    const overstaying = docs.foreigners.filter((f) => overstayOf(f, today));
    // fined overstayers left after paying, so they no longer overstay
    const fined = new Set(
      docs.immigrationActions
        .filter((a) => a.type === 'FINE' && a.reason.startsWith('Melampaui izin tinggal'))
        .map((a) => a.foreignerId),
    );
    expect(overstaying.length).toBeGreaterThan(10);
    expect(fined.size).toBeGreaterThan(5);
    for (const f of overstaying) {
      expect(fined.has(f._id)).toBe(false);
      const exits = (byForeigner.get(f._id) ?? []).filter((c) => c.direction === 'EXIT');
      expect(exits.every((c) => c.crossedAt <= f.currentPermit!.expiresAt)).toBe(true);
    }
  });

  it('places every event before the reference date, and alternates entries and exits from a first entry', () => {
    const today = DEFAULT_REFERENCE_DATE.getTime();
    const byForeigner = groupBy(docs.borderCrossings, (c) => c.foreignerId);
    for (const f of docs.foreigners) {
      const crossings = byForeigner.get(f._id) ?? [];
      expect(crossings[0]?.direction).toBe('ENTRY');
      crossings.forEach((c, i) => {
        expect(checkpointByCode(c.checkpointCode)?.name).toBe(c.checkpointName);
        expect(c.crossedAt.getTime()).toBeLessThan(today);
        if (i > 0) expect(c.direction).not.toBe(crossings[i - 1]!.direction);
      });
    }
    for (const p of docs.stayPermits) expect(p.issuedAt.getTime()).toBeLessThan(p.expiresAt.getTime());
    for (const x of [
      ...docs.incidents.map((i) => i.occurredAt),
      ...docs.selfReports.map((s) => s.issuedAt),
      ...docs.residences.map((r) => r.registeredAt),
      ...docs.communityReports.map((r) => r.reportedAt),
    ]) {
      expect(x.getTime()).toBeLessThan(today);
    }
  });

  it('leaves about one in ten ITAS/ITAP holders without an SKLD and without an SKTT', () => {
    const holders = docs.foreigners.filter(
      (f) => f.currentPermit && ['LIMITED_STAY', 'PERMANENT_STAY'].includes(f.currentPermit.type),
    );
    const withSkld = new Set(docs.selfReports.map((s) => s.foreignerId));
    const withSktt = new Set(docs.residences.map((r) => r.foreignerId));
    const noSkld = holders.filter((f) => !withSkld.has(f._id)).length / holders.length;
    const noSktt = holders.filter((f) => !withSktt.has(f._id)).length / holders.length;
    expect(noSkld).toBeGreaterThan(0.06);
    expect(noSkld).toBeLessThan(0.16);
    expect(noSktt).toBeGreaterThan(0.06);
    expect(noSktt).toBeLessThan(0.16);
  });

  it('prints document numbers the police and local-government subgraphs accept, each unique', () => {
    const numbers = [
      ...docs.selfReports.map((s) => s.number),
      ...docs.incidents.map((i) => i.reportNumber),
      ...docs.residences.map((r) => r.number),
      ...docs.employments.map((e) => e.workPermitNumber),
    ];
    for (const n of numbers) expect(documentNumber.safeParse(n).success).toBe(true);
    expect(new Set(numbers).size).toBe(numbers.length);
  });
});
