/**
 * The demo-data generator, without a database: deterministic, internally consistent, and
 * shaped the way the subgraphs' validation expects.
 */
import { createHash } from 'node:crypto';
import { nameTrigrams } from '../../common/name-trigrams.js';
import { officialRegions, regionAncestry } from '../../common/regions.js';
import { documentNumber, passportNumber } from '../../common/validation.js';
import { checkpointByCode } from '../../subgraphs/immigration/src/checkpoints.js';
import { AGENCIES, FIRST_MEETING, MEETING_CHAIR } from './coordination.js';
import { DEFAULT_REFERENCE_DATE } from './dates.js';
import { historyDocuments } from './history-documents.js';
import { planHistory } from './history-plan.js';
import { HistoryTally } from './history-tally.js';
import { overstayOf, summarizeCrossings } from '../../subgraphs/immigration/src/services/overstay.js';
import { summarize } from './immigration-records.js';
import { PeopleGenerator } from './people.js';
import { emptyDocs, type SeedDocs } from './person.js';
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

  it("stores each foreigner's name with its trigrams, as registration does", () => {
    for (const f of docs.foreigners) expect(f.nameTrigrams).toEqual(nameTrigrams(f.fullName));
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

describe('TIMPORA OKU Raya history up to the reference date', () => {
  const REFERENCE = new Date('2026-12-07T00:00:00Z');
  const DAY = 86_400_000;
  let docs: SeedDocs;
  let history: ReturnType<typeof historyDocuments>;
  let regions: Awaited<ReturnType<typeof officialRegions>>;

  /** The seed's way: batches of 1,000 fed to the tally, then the meetings and operations. */
  async function seedHistory(count: number) {
    regions = await officialRegions();
    const generator = new PeopleGenerator(new Places(regions), REFERENCE);
    const tally = new HistoryTally(planHistory(REFERENCE));
    const all = emptyDocs();
    for (let b = 0; b * 1000 < count; b++) {
      const batch = emptyDocs();
      for (let i = b * 1000; i < Math.min(count, (b + 1) * 1000); i++) generator.generate(i, batch);
      tally.observe(batch);
      for (const key of Object.keys(all) as (keyof SeedDocs)[]) (all[key] as unknown[]).push(...batch[key]);
    }
    return { docs: all, history: historyDocuments(tally, regions) };
  }

  beforeAll(async () => {
    ({ docs, history } = await seedHistory(COUNT));
  });

  it('is deterministic for a count and reference date', async () => {
    const again = await seedHistory(COUNT);
    expect(JSON.stringify(again.history)).toBe(JSON.stringify(history));
  });

  it('meets every quarter from 25 September 2024 up to the last quarter before the reference date', () => {
    const { meetings } = history;
    expect(meetings[0]!._id).toBe(FIRST_MEETING._id);
    expect(meetings[0]!.attendeeCodes).toHaveLength(33);
    const days = meetings.map((m) => m.heldOn);
    expect(days[0]!.toISOString().slice(0, 10)).toBe('2024-09-25');
    for (let i = 1; i < days.length; i++) {
      const [prev, day] = [days[i - 1]!, days[i]!];
      const months = (day.getUTCFullYear() - prev.getUTCFullYear()) * 12 + day.getUTCMonth() - prev.getUTCMonth();
      expect(months).toBe(3);
      expect([2, 5, 8, 11]).toContain(day.getUTCMonth()); // March, June, September, December
      expect(day.getUTCDay()).toBe(3); // a Wednesday
    }
    const last = days.at(-1)!;
    expect(last.getTime()).toBeLessThan(REFERENCE.getTime());
    expect(REFERENCE.getTime() - last.getTime()).toBeLessThanOrEqual(92 * DAY);
    expect(days.map((d) => d.toISOString().slice(0, 7))).toEqual([
      '2024-09',
      '2024-12',
      '2025-03',
      '2025-06',
      '2025-09',
      '2025-12',
      '2026-03',
      '2026-06',
      '2026-09',
    ]);
    // the venue rotates among the three regency seats; Kemenag attends from December 2024
    expect(new Set(meetings.slice(1, 4).map((m) => m.venue.split(', ').at(-1)))).toEqual(
      new Set(['Baturaja', 'Martapura', 'Muaradua']),
    );
    for (const m of meetings.slice(1)) {
      expect(m.attendeeCodes).toEqual(expect.arrayContaining(['KANIM-BATURAJA', 'KEMENAG-OKU', m.chairCode]));
      for (const code of m.attendeeCodes) expect(AGENCIES.some((a) => a._id === code)).toBe(true);
    }
  });

  /** What the records say about the foreigners domiciled in a region at instant `t`, computed directly. */
  function figuresAt(prefix: string, t: number, until: number) {
    const at = (d: Date) => d.getTime() <= t;
    const byForeigner = <T extends { foreignerId: string }>(list: T[]) => groupBy(list, (x) => x.foreignerId);
    const permits = byForeigner(docs.stayPermits);
    const crossings = byForeigner(docs.borderCrossings);
    const actions = byForeigner(docs.immigrationActions);
    const sktt = byForeigner(docs.residences);
    const skld = byForeigner(docs.selfReports);
    const out = { present: 0, itasBeforeNext: 0, itas30: 0, noSktt: 0, noSkld: 0, overstay: 0, flagged: 0 };
    for (const f of docs.foreigners) {
      if (!f.domicileDistrict || !(f.domicileDistrict === prefix || f.domicileDistrict.startsWith(`${prefix}.`)))
        continue;
      const revocation = (actions.get(f._id) ?? [])
        .filter((a) => a.type === 'PERMIT_REVOCATION' || a.type === 'DEPORTATION')
        .sort((a, b) => a.decidedAt.getTime() - b.decidedAt.getTime())[0];
      const revoked = revocation !== undefined && at(revocation.decidedAt);
      const mine = (permits.get(f._id) ?? []).filter((p) => at(p.issuedAt));
      const valid = mine.filter((p) => p.expiresAt.getTime() > t && !(p.status === 'REVOKED' && revoked));
      const before = (crossings.get(f._id) ?? []).filter((c) => at(c.crossedAt));
      const latest = before.sort((a, b) => b.crossedAt.getTime() - a.crossedAt.getTime())[0];
      if (latest?.direction !== 'ENTRY') continue;
      if (valid.length === 0) {
        const lastExpiry = Math.max(...mine.map((p) => p.expiresAt.getTime()));
        if (mine.length > 0 && !revoked && lastExpiry <= t) {
          out.overstay++;
          out.flagged++;
        }
        continue;
      }
      out.present++;
      const holder = valid.some((p) => p.type === 'LIMITED_STAY' || p.type === 'PERMANENT_STAY');
      const itasEnds = valid.filter((p) => p.type === 'LIMITED_STAY').map((p) => p.expiresAt.getTime());
      const itasEnd = itasEnds.length ? Math.max(...itasEnds) : Infinity;
      const validDoc = (list: { validUntil: Date }[], from: (x: never) => Date) =>
        list.some((x) => at(from(x as never)) && x.validUntil.getTime() > t);
      const noSktt = holder && !validDoc(sktt.get(f._id) ?? [], (x: { registeredAt: Date }) => x.registeredAt);
      const noSkld = holder && !validDoc(skld.get(f._id) ?? [], (x: { issuedAt: Date }) => x.issuedAt);
      const itas30 = itasEnd < t + 30 * DAY;
      if (itasEnd < until) out.itasBeforeNext++;
      if (itas30) out.itas30++;
      if (noSktt) out.noSktt++;
      if (noSkld) out.noSkld++;
      if (noSktt || noSkld || itas30) out.flagged++;
    }
    return out;
  }

  const OKU_RAYA = ['16.01', '16.08', '16.09'];
  const tanggalId = (d: Date) =>
    new Intl.DateTimeFormat('id-ID', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d);

  it("states in each meeting's conclusions what the data said on that day", () => {
    const meetings = history.meetings;
    for (let i = 1; i < meetings.length; i++) {
      const m = meetings[i]!;
      const t = m.heldOn.getTime();
      const lines = m.conclusions!.split('\n');
      expect(lines[0]).toContain(`per ${tanggalId(m.heldOn)}`);
      // the next regular meeting: three months on, second Wednesday
      const nextMonth = new Date(Date.UTC(m.heldOn.getUTCFullYear(), m.heldOn.getUTCMonth() + 3, 8));
      while (nextMonth.getUTCDay() !== 3) nextMonth.setUTCDate(nextMonth.getUTCDate() + 1);
      expect(lines[2]).toContain(`(${tanggalId(nextMonth)})`);
      let incidentsTotal = 0;
      for (const regency of OKU_RAYA) {
        const name = regions.get(regency)!.name;
        const f = figuresAt(regency, t, nextMonth.getTime());
        expect(lines[1]).toContain(`${name} ${f.present} orang`);
        expect(lines[2]).toContain(`${name} ${f.itasBeforeNext} WNA`);
        const [sktt, skld] = lines[3]!.split('; yang belum memiliki SKLD');
        expect(sktt).toContain(`${name} ${f.noSktt} WNA`);
        expect(skld).toContain(`${name} ${f.noSkld} WNA`);
        if (f.overstay > 0) expect(lines[4]).toContain(`${name} ${f.overstay} WNA`);
        const incidents = docs.incidents.filter(
          (x) =>
            x.regionRegency === regency &&
            x.occurredAt.getTime() >= meetings[i - 1]!.heldOn.getTime() &&
            x.occurredAt.getTime() < t,
        ).length;
        incidentsTotal += incidents;
        expect(lines[5]).toMatch(new RegExp(`\\(.*${name} ${incidents}[,)d ]`));
      }
      expect(lines[5]).toContain(`tercatat ${incidentsTotal} kejadian`);
      expect(lines[7]).toMatch(/^7\. Disepakati operasi gabungan/);
    }
    // the figures are not all zero: the demo has something to say
    expect(history.meetings.at(-1)!.conclusions).toMatch(/Kabupaten Ogan Komering Ulu [1-9]\d* orang/);
  });

  it('has joint operations between meetings up to the last weeks, whose findings match the data', () => {
    const { operations } = history;
    const last90 = operations.filter((o) => o.startedOn.getTime() >= REFERENCE.getTime() - 90 * DAY);
    expect(last90.length).toBeGreaterThanOrEqual(1);
    expect(Math.max(...operations.map((o) => o.endedOn!.getTime()))).toBeGreaterThan(REFERENCE.getTime() - 45 * DAY);
    const ids = new Set(operations.map((o) => o._id));
    expect(ids.size).toBe(operations.length);
    for (const id of ['OPS-TIMPORA-OKURAYA-2024-10', 'OPS-TIMPORA-OKUS-2024-11', 'OPS-TIMPORA-OKUT-2025-08']) {
      expect(ids.has(id)).toBe(true);
    }
    for (const o of operations) {
      expect(o.endedOn!.getTime()).toBeLessThan(REFERENCE.getTime());
      for (const code of o.agencyCodes) expect(AGENCIES.some((a) => a._id === code)).toBe(true);
      // the districts it visited, by name, in its regency
      const match = /di (Kecamatan .+?), (Kabupaten [^,]+), (?:pada|yang)/.exec(o.findings!);
      expect(match).not.toBeNull();
      const names = match![1]!.replace(/^Kecamatan /, '').split(/, Kecamatan | dan Kecamatan /);
      const codes = names.map((n) => {
        const code = regions.childrenOf(o.regionCode).find((r) => r.name === n)?.code;
        expect(code).toBeDefined();
        return code!;
      });
      let flagged = 0;
      for (const code of codes) flagged += figuresAt(code, o.startedOn.getTime(), 0).flagged;
      expect(o.foreignersChecked).toBe(flagged);
      if (flagged > 0) expect(o.findings).toContain(`memeriksa ${flagged} WNA`);
    }
  });

  it('has incidents and community reports since the last meeting, up to the reference date', () => {
    const since = history.meetings.at(-1)!.heldOn.getTime();
    const recent = (d: Date) => d.getTime() >= since && d.getTime() < REFERENCE.getTime();
    expect(docs.incidents.filter((x) => recent(x.occurredAt)).length).toBeGreaterThan(3);
    expect(docs.communityReports.filter((x) => recent(x.reportedAt)).length).toBeGreaterThan(3);
    const lastWeek = (d: Date) => d.getTime() >= REFERENCE.getTime() - 14 * DAY;
    expect(docs.communityReports.some((x) => lastWeek(x.reportedAt))).toBe(true);
  });

  it('writes what officers read in Bahasa Indonesia', () => {
    const texts = [
      ...docs.incidents.map((x) => x.summary),
      ...docs.communityReports.map((x) => x.description),
      ...docs.immigrationActions.map((x) => x.reason),
      ...docs.watchlistEntries.map((x) => x.reason),
      ...history.meetings.flatMap((m) => [m.title, m.conclusions ?? '']),
      ...history.operations.flatMap((o) => [o.name, o.findings ?? '']),
    ];
    expect(texts.length).toBeGreaterThan(100);
    const english = /\b(the|and|was|were|with|from|has|have|of|is|for|by|after|before|without)\b/i;
    expect(texts.filter((t) => english.test(t))).toEqual([]);
    // and every sentence in the words an Indonesian record uses
    const indonesian =
      /\b(yang|dan|di|ke|dari|untuk|dengan|setelah|karena|atas|oleh|sejak|selama|tanpa|tidak|pada|izin|WNA)\b/i;
    expect(texts.filter((t) => t.includes(' ') && /[.:]$/.test(t) && !indonesian.test(t))).toEqual([]);
  });
});
