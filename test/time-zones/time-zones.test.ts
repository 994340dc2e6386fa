/**
 * The region time zones (common/time-zones.ts) and what is built on them without a hub: every
 * province has a zone, the WITA and WIT provinces are exactly those of Keppres 41/1987, the
 * calendar day turns at local midnight, per-zone database conditions, certificate validity,
 * retention cutoffs and the `HUB_NOW` setting.
 */
import { now, setClock } from '../../common/clock.js';
import { loadHubNow } from '../../common/config/common.js';
import { loadHubConfig } from '../../common/config/hub.js';
import { ConfigError } from '../../common/config/parse.js';
import { certificateValidAt, registrationCompliance } from '../../common/registration.js';
import { nationalTimeZones, officialRegions } from '../../common/regions.js';
import { cutoffIn, yearsAgo } from '../../common/retention/ages.js';
import { pastDate, pastInstant } from '../../common/validation.js';
import {
  calendarYearIn,
  conditionByZone,
  formatCalendarDate,
  formatDateTimeIn,
  TIME_ZONES,
  timeZoneOfRegion,
  timeZonesOfScope,
  todayIn,
  todayInRegion,
} from '../../common/time-zones.js';

const { WIB, WITA, WIT } = TIME_ZONES;
const day = (d: Date) => formatCalendarDate(d);
const at = (iso: string) => new Date(iso);

afterEach(() => setClock(null));

describe('the zone of every province', () => {
  it('gives every province of idn-area-data a zone: WITA and WIT exactly as decreed, WIB the rest', async () => {
    const provinces = (await officialRegions()).childrenOf(null);
    expect(provinces.length).toBe(38);
    const by = (abbreviation: string) =>
      provinces
        .filter((p) => timeZoneOfRegion(p.code).abbreviation === abbreviation)
        .map((p) => p.code)
        .sort();
    // Bali, NTB, NTT; South, East, North Kalimantan; the six Sulawesi provinces
    expect(by('WITA')).toEqual(['51', '52', '53', '63', '64', '65', '71', '72', '73', '74', '75', '76']);
    // Maluku, Maluku Utara and the six Papua provinces
    expect(by('WIT')).toEqual(['81', '82', '91', '92', '93', '94', '95', '96']);
    expect(by('WIB')).toHaveLength(38 - 12 - 8);
    expect(by('WIB')).toEqual(expect.arrayContaining(['11', '16', '31', '61', '62']));
  });

  it('reads the zone of any region from its province, and refuses what is no region code', () => {
    expect(timeZoneOfRegion('16.01.14.1001')).toBe(WIB);
    expect(timeZoneOfRegion('51.71')).toBe(WITA);
    expect(timeZoneOfRegion('91.71.01')).toBe(WIT);
    expect(() => timeZoneOfRegion('x')).toThrow(/not a region code/);
  });
});

describe('the calendar day around midnight', () => {
  it('turns at local midnight in each zone: WIT at 15:00Z, WITA at 16:00Z, WIB at 17:00Z', () => {
    const cases: [string, string, string, string][] = [
      // instant, WIB, WITA, WIT
      ['2026-12-07T14:59:59Z', '2026-12-07', '2026-12-07', '2026-12-07'],
      ['2026-12-07T15:00:00Z', '2026-12-07', '2026-12-07', '2026-12-08'],
      ['2026-12-07T16:00:00Z', '2026-12-07', '2026-12-08', '2026-12-08'],
      ['2026-12-07T16:30:00Z', '2026-12-07', '2026-12-08', '2026-12-08'], // 23:30 WIB
      ['2026-12-07T16:59:59Z', '2026-12-07', '2026-12-08', '2026-12-08'],
      ['2026-12-07T17:00:00Z', '2026-12-08', '2026-12-08', '2026-12-08'],
      ['2026-12-07T17:30:00Z', '2026-12-08', '2026-12-08', '2026-12-08'], // 00:30 WIB
    ];
    for (const [instant, wib, wita, wit] of cases) {
      expect([day(todayIn(WIB, at(instant))), day(todayIn(WITA, at(instant))), day(todayIn(WIT, at(instant)))]).toEqual(
        [wib, wita, wit],
      );
    }
    expect(formatDateTimeIn(WIB, at('2026-12-07T16:30:00Z'))).toBe('2026-12-07 23:30 WIB');
    expect(formatDateTimeIn(WIT, at('2026-12-07T16:30:00Z'))).toBe('2026-12-08 01:30 WIT');
  });

  it('follows the hub clock: setClock plays the hub at 23:30 WIB, then at 00:30 WIB', () => {
    setClock(at('2026-12-07T16:30:00Z'));
    expect(day(todayInRegion('16.01'))).toBe('2026-12-07');
    expect(day(todayInRegion('51.71'))).toBe('2026-12-08');
    setClock(at('2026-12-07T17:30:00Z'));
    expect(day(todayInRegion('16.01'))).toBe('2026-12-08');
    setClock(null);
    expect(Math.abs(now().getTime() - Date.now())).toBeLessThan(1000);
  });

  it('gives the date of the instant asked, not of the last one asked in the same minute or zone', () => {
    // the date is kept per zone for the minute it was computed in: asked again and again around
    // midnight, and back, each answer is the instant's own
    const sequence: [string, string][] = [
      ['2026-12-07T16:59:59.999Z', '2026-12-07'],
      ['2026-12-07T16:59:00.000Z', '2026-12-07'],
      ['2026-12-07T17:00:00.000Z', '2026-12-08'],
      ['2026-12-07T17:00:59.999Z', '2026-12-08'],
      ['2026-12-07T16:59:30.000Z', '2026-12-07'],
      ['2026-12-07T17:00:00.000Z', '2026-12-08'],
    ];
    for (const [instant, wib] of sequence) expect([instant, day(todayIn(WIB, at(instant)))]).toEqual([instant, wib]);
    const first = todayIn(WITA, at('2026-12-07T12:00:00Z'));
    first.setUTCFullYear(1999); // a caller changing the date it was given changes no later answer
    expect(day(todayIn(WITA, at('2026-12-07T12:00:10Z')))).toBe('2026-12-07');
    // before 1973 offsets were not whole minutes everywhere (Jakarta's was +07:07:12 until 1924):
    // such instants are computed each time
    expect(day(todayIn(WIB, at('1923-06-30T16:52:47Z')))).toBe('1923-06-30');
    expect(day(todayIn(WIB, at('1923-06-30T16:52:48Z')))).toBe('1923-07-01');
  });

  it('changes the calendar year at local midnight of 1 January', () => {
    expect(calendarYearIn(WIB, at('2025-12-31T16:30:00Z'))).toBe(2025); // 23:30 WIB
    expect(calendarYearIn(WIB, at('2025-12-31T17:30:00Z'))).toBe(2026); // 00:30 WIB
    expect(calendarYearIn(WIT, at('2025-12-31T15:30:00Z'))).toBe(2026); // 00:30 WIT
  });
});

describe('conditions judged per zone', () => {
  const build = (today: Date) => ({ expiresAt: { $gte: today } });

  it('is the plain condition for a scope in one zone, or when every zone is on the same day', async () => {
    const national = await nationalTimeZones();
    expect([...national.keys()].map((z) => z.abbreviation).sort()).toEqual(['WIB', 'WIT', 'WITA']);
    const oku = timeZonesOfScope(['16.01', '16.08', '16.09'], []);
    expect([...oku.keys()]).toEqual([WIB]);
    expect(oku.get(WIB)).toEqual(['16']);
    for (const instant of ['2026-12-07T16:30:00Z', '2026-12-07T17:30:00Z']) {
      expect(conditionByZone(oku, 'domicileProvince', build, at(instant))).toEqual(build(todayIn(WIB, at(instant))));
    }
    // 12:00Z: 19:00 WIB, 20:00 WITA, 21:00 WIT, all on the 7th
    expect(conditionByZone(national, 'domicileProvince', build, at('2026-12-07T12:00:00Z'))).toEqual(
      build(new Date('2026-12-07T00:00:00Z')),
    );
  });

  it('gives each zone its own today with an $or on the province field while the days differ', async () => {
    const national = await nationalTimeZones();
    // 23:30 WIB: WIB on the 7th, WITA and WIT on the 8th
    const split = conditionByZone(national, 'domicileProvince', build, at('2026-12-07T16:30:00Z')) as {
      $or: { domicileProvince: { $in: string[] }; expiresAt: { $gte: Date } }[];
    };
    expect(split.$or).toHaveLength(2);
    const [wib, east] = [...split.$or].sort((a, b) => a.expiresAt.$gte.getTime() - b.expiresAt.$gte.getTime());
    expect(day(wib!.expiresAt.$gte)).toBe('2026-12-07');
    expect(wib!.domicileProvince.$in).toEqual(national.get(WIB));
    expect(day(east!.expiresAt.$gte)).toBe('2026-12-08');
    expect(east!.domicileProvince.$in).toEqual([...national.get(WITA)!, ...national.get(WIT)!].sort());
    // a jurisdiction over Bali and Papua at 23:30 WITA: Bali on the 7th, Papua on the 8th
    const two = conditionByZone(timeZonesOfScope(['51', '91.71'], []), 'p', build, at('2026-12-07T15:30:00Z'));
    expect(two).toEqual({
      $or: [
        { p: '51', expiresAt: { $gte: new Date('2026-12-07T00:00:00Z') } },
        { p: '91', expiresAt: { $gte: new Date('2026-12-08T00:00:00Z') } },
      ],
    });
  });
});

describe('registration certificates around midnight', () => {
  const permit = { currentPermit: { type: 'LIMITED_STAY' } };
  const okuCertificate = { validUntil: new Date('2026-12-07T00:00:00Z'), regionCode: '16.01.14.1001' };
  const denpasarCertificate = { validUntil: new Date('2026-12-07T00:00:00Z'), regionCode: '51.71.01.1001' };

  it('keeps a certificate valid through its last day in its own region, not in UTC', () => {
    expect(certificateValidAt(okuCertificate, at('2026-12-07T16:30:00Z'))).toBe(true); // 23:30 WIB
    expect(certificateValidAt(okuCertificate, at('2026-12-07T17:30:00Z'))).toBe(false); // 00:30 WIB
    // at 16:30Z it is already 00:30 WITA in Denpasar
    expect(certificateValidAt(denpasarCertificate, at('2026-12-07T16:30:00Z'))).toBe(false);
    expect(registrationCompliance(permit, [okuCertificate], at('2026-12-07T16:30:00Z'))).toBe('VALID');
    expect(registrationCompliance(permit, [okuCertificate], at('2026-12-07T17:30:00Z'))).toBe('EXPIRED');
    expect(registrationCompliance(permit, [], at('2026-12-07T16:30:00Z'))).toBe('MISSING');
  });
});

describe('retention ages around midnight', () => {
  it('counts whole years back from the day of each zone; without a region, from the earliest', () => {
    const before = at('2026-12-07T16:30:00Z'); // 23:30 WIB, 00:30 WITA on the 8th
    const after = at('2026-12-07T17:30:00Z'); // 00:30 WIB on the 8th
    expect(day(cutoffIn(WIB, 10, 'date', before))).toBe('2016-12-07');
    expect(day(cutoffIn(WIB, 10, 'date', after))).toBe('2016-12-08');
    expect(day(cutoffIn(WITA, 10, 'date', before))).toBe('2016-12-08');
    // an instant ages from local midnight: 00:00 WIB of 8 December 2016 is 17:00Z on the 7th
    expect(cutoffIn(WIB, 10, 'instant', after).toISOString()).toBe('2016-12-07T17:00:00.000Z');
    // a record without a region waits until the day has turned in every zone
    expect(day(yearsAgo(10, before))).toBe('2016-12-07');
    expect(day(yearsAgo(10, after))).toBe('2016-12-08');
    // instants: the earliest local midnight of the three zones (WIT's, when all are on one day)
    expect(yearsAgo(10, after, 'instant').toISOString()).toBe('2016-12-07T15:00:00.000Z');
  });
});

describe('dates not in the future', () => {
  it('accepts a date that is today in any zone: at 00:30 WIB the UTC date is still yesterday', () => {
    setClock(at('2026-12-07T17:30:00Z')); // 00:30 WIB, 02:30 WIT on the 8th
    expect(pastDate.safeParse(at('2026-12-08T00:00:00Z')).success).toBe(true);
    expect(pastDate.safeParse(at('2026-12-09T00:00:00Z')).success).toBe(false);
    setClock(at('2026-12-07T14:30:00Z')); // 23:30 WIT on the 7th: the 8th is tomorrow everywhere
    expect(pastDate.safeParse(at('2026-12-08T00:00:00Z')).success).toBe(false);
    // an instant is compared with the instant itself
    expect(pastInstant.safeParse(at('2026-12-07T14:29:00Z')).success).toBe(true);
    expect(pastInstant.safeParse(at('2026-12-07T14:31:00Z')).success).toBe(false);
  });
});

describe('HUB_NOW', () => {
  it('takes an ISO 8601 instant with its offset', () => {
    expect(loadHubNow({})).toBeNull();
    expect(loadHubNow({ HUB_NOW: '2026-12-07T23:30:00+07:00' })?.toISOString()).toBe('2026-12-07T16:30:00.000Z');
  });

  it('refuses anything else, and any value with NODE_ENV=production, naming HUB_NOW', () => {
    for (const env of [{ HUB_NOW: 'tomorrow' }, { HUB_NOW: '2026-12-07' }, { HUB_NOW: '2026-12-07T23:30' }]) {
      expect(() => loadHubNow(env)).toThrow(ConfigError);
      expect(() => loadHubNow(env)).toThrow(/HUB_NOW: must be an ISO 8601 instant with its offset/);
    }
    // at start, among every other problem of the configuration
    expect(() => loadHubConfig({ HUB_NOW: 'yesterday', SEED_COUNT: '0' })).toThrow(
      /HUB_NOW: must be an ISO 8601 instant[^\n]*\(got "yesterday"\)\n {2}- SEED_COUNT/,
    );
    expect(() => loadHubNow({ HUB_NOW: '2026-12-07T16:30:00Z', NODE_ENV: 'production' })).toThrow(
      /HUB_NOW: a clock set for demos and tests cannot be used with NODE_ENV=production/,
    );
  });
});
