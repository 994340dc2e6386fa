/**
 * The questions of a TIMPORA coordination meeting, asked through the gateway on data written
 * for the test: counts by nationality, permit type and region; ITAS/ITAP holders lacking a
 * valid SKLD or SKTT (immigration, police and local government through `@requires`);
 * permits expiring before a date; overstays; community reports by category and period.
 */
import { findSavedOperation } from '../../scripts/export/saved-operations.js';
import { recordCoordinationScenario, type CoordinationScenario } from '../helpers/coordination-scenario.js';
import { dayFromToday, momentFromToday, records } from '../helpers/fixtures.js';
import {
  LOCALGOV_OKU,
  POLICE_OKU,
  expectError,
  expectNoErrors,
  graphql,
  tokenFor,
  type GraphQLResponse,
} from '../helpers/graphql.js';
import { countCommands, startTestHub, type TestHub } from '../helpers/hub.js';
import type { ForeignerModels } from '../../subgraphs/immigration/src/models/foreigner.js';
import { immigrationData } from '../../subgraphs/immigration/src/data.js';
import { backfillCrossingSummaries } from '../../subgraphs/immigration/src/services/foreigner-migrations.js';

let hub: TestHub;
let s: CoordinationScenario;
let police: string;

beforeAll(async () => {
  hub = await startTestHub('meeting');
  s = await recordCoordinationScenario(hub);
  police = await tokenFor(POLICE_OKU);
}, 120_000);
afterAll(async () => {
  await hub?.stop();
});

/** Runs a saved operation (schema/operations/) through the gateway. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked field by field
function run(name: string, token: string, variables: Record<string, unknown>): Promise<GraphQLResponse<any>> {
  return graphql(hub.gatewayUrl, findSavedOperation(name).text, {
    token,
    variables,
    purpose: 'TIMPORA OKU coordination meeting',
  });
}

interface Holder {
  id: string;
  fullName: string;
  currentPermit: { number: string; type: string };
  selfReportCompliance: string;
  residenceCompliance: string;
  selfReports: { number: string }[];
  residence: { number: string } | null;
}

describe('counts of foreigners for a region', () => {
  const query = `query($regionCode: String!, $groupBy: [StatisticsDimension!]) {
    foreignerStatistics(regionCode: $regionCode, groupBy: $groupBy) { regionCode total groups { nationality permitType regionCode count } }
  }`;
  const counts = async (groupBy: string[]) => {
    const data = expectNoErrors(
      await graphql(hub.gatewayUrl, query, {
        token: police,
        variables: { regionCode: '16.01', groupBy },
        purpose: null,
      }),
    );
    return data.foreignerStatistics as { total: number; groups: Record<string, unknown>[] };
  };

  it('counts by the type of the permit in force: expired permits count under null', async () => {
    const stats = await counts(['PERMIT_TYPE']);
    expect(stats.total).toBe(7);
    expect(stats.groups).toEqual([
      { nationality: null, permitType: null, regionCode: null, count: 3 },
      { nationality: null, permitType: 'LIMITED_STAY', regionCode: null, count: 2 },
      { nationality: null, permitType: 'PERMANENT_STAY', regionCode: null, count: 1 },
      { nationality: null, permitType: 'VISIT', regionCode: null, count: 1 },
    ]);
  });

  it('counts by nationality and by district, without personal data or a purpose', async () => {
    const byNationality = await counts(['NATIONALITY']);
    expect(Object.fromEntries(byNationality.groups.map((g) => [g.nationality, g.count]))).toEqual({
      CHN: 2,
      MYS: 1,
      AUS: 1,
      NLD: 1,
      GBR: 1,
      JPN: 1,
    });
    const byRegion = await counts(['REGION']);
    expect(byRegion.groups.map((g) => [g.regionCode, g.count])).toEqual([
      ['16.01.14', 4],
      ['16.01.13', 3],
    ]);
    const combined = await counts(['NATIONALITY', 'PERMIT_TYPE', 'REGION']);
    expect(combined.groups).toContainEqual({
      nationality: 'CHN',
      permitType: 'LIMITED_STAY',
      regionCode: '16.01.14',
      count: 1,
    });
    expect(combined.groups.reduce((n, g) => n + (g.count as number), 0)).toBe(7);
  });
});

describe('ITAS/ITAP holders lacking a valid SKLD or SKTT', () => {
  it('lists the holders of the region with their SKLD and SKTT compliance (RegistrationGaps)', async () => {
    const data = expectNoErrors(await run('RegistrationGaps', police, { regionCode: '16.01' }));
    const holders = data.foreigners.nodes as Holder[];
    expect(data.foreigners.totalCount).toBe(3);
    const byId = Object.fromEntries(holders.map((h) => [h.id, h]));
    expect(Object.keys(byId).sort()).toEqual([s.valid, s.noSkld, s.expiredSkld].sort());
    expect(byId[s.valid]).toMatchObject({ selfReportCompliance: 'VALID', residenceCompliance: 'VALID' });
    expect(byId[s.noSkld]).toMatchObject({ selfReportCompliance: 'MISSING', residenceCompliance: 'VALID' });
    expect(byId[s.expiredSkld]).toMatchObject({ selfReportCompliance: 'EXPIRED', residenceCompliance: 'MISSING' });
    expect(byId[s.expiredSkld]!.selfReports).toEqual([
      { number: s.skldNumbers[s.expiredSkld], validUntil: dayFromToday(-30) },
    ]);
    const lacking = holders
      .filter((h) => h.selfReportCompliance !== 'VALID' || h.residenceCompliance !== 'VALID')
      .map((h) => h.id);
    expect(lacking.sort()).toEqual([s.noSkld, s.expiredSkld].sort());
  });

  it('costs no database command per holder: a page of three against a page of one', async () => {
    const commandsFor = async (first: number) => {
      const read = countCommands(hub);
      expectNoErrors(await run('RegistrationGaps', police, { regionCode: '16.01', first }));
      return read();
    };
    // warm-up: the first request of a subgraph may open connections or write its access-log head
    await commandsFor(3);
    const one = await commandsFor(1);
    const three = await commandsFor(3);
    expect(three.immigration).toBe(one.immigration);
    // police and local government read the holders' SKLDs and SKTTs by `foreignerId`: one query
    // of each collection for the page, never one per holder
    const reads = {
      police: hub.subgraphs.police.db.commands.snapshot(),
      'local-government': hub.subgraphs['local-government'].db.commands.snapshot(),
    };
    expect(reads.police).toMatchObject({ 'find:self_report_certificates': 1 });
    expect(reads['local-government']).toMatchObject({ 'find:residences': 1 });
    for (const [name, commands] of Object.entries(reads)) {
      expect([name, Math.max(...Object.values(commands))]).toEqual([name, 1]);
      expect(three[name as keyof typeof three]).toBe(one[name as keyof typeof one]);
    }
    // police and local government were asked (the SKLDs and SKTTs, plus the access log)
    expect(one.police).toBeGreaterThan(0);
    expect(one['local-government']).toBeGreaterThan(0);
  });

  it('answers NOT_REQUIRED for a visitor and for a foreigner whose permit expired', async () => {
    const query = `query($visitor: ID!, $overstayer: ID!) {
      visitor: foreigner(id: $visitor) { selfReportCompliance residenceCompliance }
      overstayer: foreigner(id: $overstayer) { selfReportCompliance residenceCompliance }
    }`;
    const data = expectNoErrors(
      await graphql(hub.gatewayUrl, query, {
        token: police,
        variables: { visitor: s.visitor, overstayer: s.overstayer },
      }),
    );
    expect(data).toEqual({
      visitor: { selfReportCompliance: 'NOT_REQUIRED', residenceCompliance: 'NOT_REQUIRED' },
      overstayer: { selfReportCompliance: 'NOT_REQUIRED', residenceCompliance: 'NOT_REQUIRED' },
    });
  });

  it('computes compliance in police and local government from the permit type immigration passes (@requires)', async () => {
    const representations = [
      { __typename: 'Foreigner', id: s.noSkld, currentPermit: { type: 'LIMITED_STAY' } },
      { __typename: 'Foreigner', id: s.noSkld, currentPermit: { type: 'VISIT' } },
      { __typename: 'Foreigner', id: s.expiredSkld, currentPermit: { type: 'PERMANENT_STAY' } },
      { __typename: 'Foreigner', id: s.valid, currentPermit: null },
      // without immigration's facts the answer is unknown, not "not required"
      { __typename: 'Foreigner', id: s.valid },
    ];
    const compliance = async (subgraph: 'police' | 'local-government', field: string, agencyType: string) => {
      const token = await tokenFor({ agencyType: agencyType as never, agency: 'NATIONAL', jurisdiction: ['*'] });
      const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Foreigner { ${field} } } }`;
      const data = expectNoErrors(
        await graphql(hub.subgraphs[subgraph].url, query, {
          token,
          variables: { r: representations },
          asGateway: subgraph,
        }),
      );
      return (data._entities as Record<string, string | null>[]).map((e) => e[field]);
    };
    expect(await compliance('police', 'selfReportCompliance', 'POLICE')).toEqual([
      'MISSING',
      'NOT_REQUIRED',
      'EXPIRED',
      'NOT_REQUIRED',
      null,
    ]);
    expect(await compliance('local-government', 'residenceCompliance', 'LOCAL_GOVERNMENT')).toEqual([
      'VALID',
      'NOT_REQUIRED',
      'MISSING',
      'NOT_REQUIRED',
      null,
    ]);
  });

  it('counts only the certificates inside the caller’s jurisdiction, and holders inside it', async () => {
    // Dukcapil of OKU does not see Palembang's holder; a national token does, lacking both
    const okuData = expectNoErrors(await run('RegistrationGaps', await tokenFor(LOCALGOV_OKU), { regionCode: '16' }));
    expect((okuData.foreigners.nodes as Holder[]).map((h) => h.id)).not.toContain(s.outside);
    const national = await tokenFor({ agencyType: 'POLICE', agency: 'MABES-POLRI', jurisdiction: ['*'] });
    const all = expectNoErrors(await run('RegistrationGaps', national, { regionCode: '16' }));
    expect((all.foreigners.nodes as Holder[]).find((h) => h.id === s.outside)).toMatchObject({
      selfReportCompliance: 'MISSING',
      residenceCompliance: 'MISSING',
    });
    // the police of Palembang cannot see OKU's SKLD of a holder who moved there
    const palembang = await tokenFor({
      agencyType: 'POLICE',
      agency: 'POLRESTABES-PALEMBANG',
      jurisdiction: ['16.71'],
    });
    const entities = expectNoErrors(
      await graphql(
        hub.subgraphs.police.url,
        `
          query ($r: [_Any!]!) {
            _entities(representations: $r) {
              ... on Foreigner {
                selfReportCompliance
              }
            }
          }
        `,
        {
          token: palembang,
          variables: { r: [{ __typename: 'Foreigner', id: s.valid, currentPermit: { type: 'LIMITED_STAY' } }] },
          asGateway: 'police',
        },
      ),
    );
    expect(entities._entities).toEqual([{ selfReportCompliance: 'MISSING' }]);
  });

  it('refuses compliance to a caller who may not see permits, since it is derived from the permit', async () => {
    const token = await tokenFor({ ...POLICE_OKU, scopes: ['identity:read', 'selfreport:read'] });
    const response = await graphql(
      hub.gatewayUrl,
      `
        query ($id: ID!) {
          foreigner(id: $id) {
            fullName
            selfReportCompliance
          }
        }
      `,
      { token, variables: { id: s.noSkld } },
    );
    expectError(response, 'FORBIDDEN');
    expect(response.data?.foreigner).toEqual({ fullName: 'Wang Lei', selfReportCompliance: null });
    expect(response.errors?.find((e) => e.path?.join('.') === 'foreigner.selfReportCompliance')).toMatchObject({
      extensions: { code: 'FORBIDDEN', scope: 'permit:read' },
    });
  });
});

describe('permits expiring before a date, and overstays', () => {
  const list = async (filter: Record<string, unknown>) => {
    const data = expectNoErrors(
      await graphql(
        hub.gatewayUrl,
        `
          query ($filter: ForeignerFilter) {
            foreigners(filter: $filter, first: 100) {
              totalCount
              nodes {
                id
                overstay {
                  permitNumber
                  permitExpiresAt
                  days
                }
              }
            }
          }
        `,
        { token: police, variables: { filter: { regionCode: '16.01', ...filter } } },
      ),
    );
    return data.foreigners as { totalCount: number; nodes: { id: string; overstay: unknown }[] };
  };

  it('lists permits in force that expire before a date', async () => {
    const expiring = await list({ permitStatus: 'ACTIVE', permitExpiresBefore: dayFromToday(30) });
    expect(expiring.nodes.map((n) => n.id)).toEqual([s.noSkld]);
    const withExpired = await list({ permitExpiresBefore: dayFromToday(30) });
    expect(withExpired.nodes.map((n) => n.id).sort()).toEqual(
      [s.noSkld, s.overstayer, s.exitedLate, s.leftInTime].sort(),
    );
  });

  it('finds the overstayer, not those who left before or after the expiry (Overstays)', async () => {
    const data = expectNoErrors(await run('Overstays', police, { regionCode: '16.01' }));
    expect(data.foreigners.totalCount).toBe(1);
    expect(data.foreigners.nodes).toEqual([
      expect.objectContaining({
        id: s.overstayer,
        fullName: 'Jan de Vries',
        overstay: { permitNumber: s.permitNumbers[s.overstayer], permitExpiresAt: dayFromToday(-45), days: 45 },
      }),
    ]);
    const notOverstaying = await list({ overstaying: false });
    expect(notOverstaying.nodes.map((n) => n.id).sort()).toEqual(
      [s.valid, s.noSkld, s.expiredSkld, s.visitor, s.exitedLate, s.leftInTime].sort(),
    );
    expect(notOverstaying.nodes.every((n) => n.overstay === null)).toBe(true);
  });

  it('stops counting an overstay once the exit is recorded', async () => {
    const immigration = await tokenFor({ agencyType: 'IMMIGRATION', agency: 'DITJENIM-PUSAT', jurisdiction: ['*'] });
    const id = await records.foreigner(hub, {
      fullName: 'Late Leaver',
      nationality: 'FRA',
      domicileRegionCode: '16.71.01.1002',
    });
    await records.permit(hub, id, { type: 'LIMITED_STAY', issuedAt: dayFromToday(-200), expiresAt: dayFromToday(-10) });
    const overstaying = async () =>
      expectNoErrors(
        await graphql(
          hub.gatewayUrl,
          `
            query ($id: ID!) {
              foreigner(id: $id) {
                overstay {
                  days
                }
              }
            }
          `,
          {
            token: immigration,
            variables: { id },
          },
        ),
      ).foreigner.overstay;
    expect(await overstaying()).toEqual({ days: 10 });
    await records.crossing(hub, id, 'EXIT', momentFromToday(-1));
    expect(await overstaying()).toBeNull();
    // a late-recorded earlier entry does not undo the exit: the latest crossing counts
    await records.crossing(hub, id, 'ENTRY', momentFromToday(-150));
    expect(await overstaying()).toBeNull();
  });
});

describe('foreigners written before the crossing summary existed', () => {
  it('reads their crossings for `overstay`, and gets the summary from the start-up backfill', async () => {
    const c = hub.subgraphs.immigration.db.connection;
    const expired = new Date(`${dayFromToday(-12)}T00:00:00Z`);
    // as an earlier version wrote them: no `lastCrossing`
    const legacy = (id: string) => ({
      _id: id,
      fullName: `Legacy ${id}`,
      nationality: 'THA',
      sex: 'MALE',
      dateOfBirth: new Date('1980-01-01T00:00:00Z'),
      passportNumber: `LG${id.slice(-6)}`,
      domicileRegionCode: '16.71.01.1002',
      domicileProvince: '16',
      domicileRegency: '16.71',
      domicileDistrict: '16.71.01',
      currentPermit: { number: `ITAS-${id}`, type: 'LIMITED_STAY', status: 'ACTIVE', expiresAt: expired },
      createdAt: new Date(),
    });
    await c.collection('foreigners').insertMany([legacy('LEGACY-000001'), legacy('LEGACY-000002')] as never[]);
    await c.collection('border_crossings').insertMany([
      {
        _id: 'LEGACY-1-A',
        foreignerId: 'LEGACY-000001',
        direction: 'ENTRY',
        checkpointCode: 'PLM',
        checkpointName: 'x',
        crossedAt: new Date('2025-01-01T00:00:00Z'),
        carrier: null,
      },
      {
        _id: 'LEGACY-2-A',
        foreignerId: 'LEGACY-000002',
        direction: 'ENTRY',
        checkpointCode: 'PLM',
        checkpointName: 'x',
        crossedAt: new Date('2025-01-01T00:00:00Z'),
        carrier: null,
      },
      {
        _id: 'LEGACY-2-B',
        foreignerId: 'LEGACY-000002',
        direction: 'EXIT',
        checkpointCode: 'PLM',
        checkpointName: 'x',
        crossedAt: new Date(`${dayFromToday(-5)}T00:00:00Z`),
        carrier: null,
      },
    ] as never[]);
    const models = c.models as unknown as ForeignerModels;
    const national = await tokenFor({ agencyType: 'IMMIGRATION', agency: 'DITJENIM-PUSAT', jurisdiction: ['*'] });
    const overstays = async () => {
      const data = expectNoErrors(
        await graphql(
          hub.gatewayUrl,
          `
            {
              a: foreigner(id: "LEGACY-000001") {
                overstay {
                  days
                }
              }
              b: foreigner(id: "LEGACY-000002") {
                overstay {
                  days
                }
              }
            }
          `,
          { token: national },
        ),
      );
      return [data.a.overstay, data.b.overstay];
    };
    expect(await overstays()).toEqual([{ days: 12 }, null]);

    expect(await backfillCrossingSummaries(immigrationData(models))).toBe(2);
    const stored = await c
      .collection('foreigners')
      .find({ _id: { $in: ['LEGACY-000001', 'LEGACY-000002'] } } as never)
      .sort({ _id: 1 })
      .toArray();
    expect(stored.map((f) => f.lastCrossing?.direction)).toEqual(['ENTRY', 'EXIT']);
    expect(await overstays()).toEqual([{ days: 12 }, null]);
    expect(await backfillCrossingSummaries(immigrationData(models))).toBe(0);
  });
});

describe('community reports in a region and period, by category', () => {
  it('counts reports by category (CommunityReportCounts)', async () => {
    const data = expectNoErrors(
      await run('CommunityReportCounts', police, {
        regionCode: '16.01',
        from: momentFromToday(-60),
        to: momentFromToday(0),
      }),
    );
    expect(data.communityReportStatistics).toEqual({
      regionCode: '16.01',
      reportedFrom: momentFromToday(-60).replace('Z', '.000Z'),
      reportedTo: momentFromToday(0).replace('Z', '.000Z'),
      regionName: 'Kabupaten Ogan Komering Ulu',
      total: 3,
      // a member with community:read gets exact counts
      suppressed: false,
      unlisted: 0,
      minimumCellSize: null,
      groups: [
        {
          category: 'UNREGISTERED_STAY',
          categoryLabel: 'Tinggal tanpa lapor diri',
          status: null,
          statusLabel: null,
          regionCode: null,
          regionName: null,
          count: 2,
        },
        {
          category: 'ILLEGAL_WORK',
          categoryLabel: 'Bekerja tanpa izin',
          status: null,
          statusLabel: null,
          regionCode: null,
          regionName: null,
          count: 1,
        },
      ],
    });
  });

  it('groups by category and district, and lists the reports themselves for members', async () => {
    const data = expectNoErrors(
      await run('CommunityReportCounts', police, {
        regionCode: '16.01',
        from: momentFromToday(-60),
        groupBy: ['CATEGORY', 'REGION'],
      }),
    );
    const named = { status: null, statusLabel: null };
    expect(data.communityReportStatistics.groups).toEqual([
      {
        ...named,
        category: 'ILLEGAL_WORK',
        categoryLabel: 'Bekerja tanpa izin',
        regionCode: '16.01.14',
        regionName: 'Baturaja Timur',
        count: 1,
      },
      {
        ...named,
        category: 'UNREGISTERED_STAY',
        categoryLabel: 'Tinggal tanpa lapor diri',
        regionCode: '16.01.13',
        regionName: 'Baturaja Barat',
        count: 1,
      },
      {
        ...named,
        category: 'UNREGISTERED_STAY',
        categoryLabel: 'Tinggal tanpa lapor diri',
        regionCode: '16.01.14',
        regionName: 'Baturaja Timur',
        count: 1,
      },
    ]);
    const reports = expectNoErrors(
      await graphql(
        hub.gatewayUrl,
        `
          query ($f: CommunityReportFilter) {
            communityReports(filter: $f) {
              totalCount
              nodes {
                category
                foreigner {
                  id
                  fullName
                }
              }
            }
          }
        `,
        {
          token: police,
          variables: { f: { regionCode: '16.01', category: 'UNREGISTERED_STAY', reportedFrom: momentFromToday(-60) } },
        },
      ),
    );
    expect(reports.communityReports.totalCount).toBe(2);
    expect(reports.communityReports.nodes).toContainEqual({
      category: 'UNREGISTERED_STAY',
      foreigner: { id: s.expiredSkld, fullName: 'Zhang Wei' },
    });
  });

  it('needs no purpose, stays within the caller’s jurisdiction, and refuses a reversed period', async () => {
    const palembang = await tokenFor({
      agencyType: 'LOCAL_GOVERNMENT',
      agency: 'DUKCAPIL-PLG',
      jurisdiction: ['16.71'],
    });
    const data = expectNoErrors(
      await graphql(
        hub.gatewayUrl,
        `
          {
            communityReportStatistics(regionCode: "16") {
              total
              groups {
                category
                count
              }
            }
          }
        `,
        { token: palembang, purpose: null },
      ),
    );
    expect(data.communityReportStatistics).toEqual({ total: 1, groups: [{ category: 'ILLEGAL_WORK', count: 1 }] });
    const bad = await graphql(
      hub.gatewayUrl,
      `
        {
          communityReportStatistics(reportedFrom: "2026-02-01T00:00:00Z", reportedTo: "2026-01-01T00:00:00Z") {
            total
          }
        }
      `,
      { token: palembang },
    );
    expect(expectError(bad, 'BAD_USER_INPUT').extensions).toMatchObject({ field: 'reportedTo' });
  });
});

describe('the meeting questions count those present, and say so', () => {
  it('counts present WNA by nationality, permit type and district, with names (ForeignerStatisticsForRegion)', async () => {
    const data = expectNoErrors(await run('ForeignerStatisticsForRegion', police, { regionCode: '16.01' }));
    // present: the three ITAS/ITAP holders and the visitor, all in Baturaja Timur; not the
    // overstayer (permit expired) nor the two who left
    expect(data.byNationality).toMatchObject({
      regionCode: '16.01',
      regionName: 'Kabupaten Ogan Komering Ulu',
      population: 'PRESENT',
      asOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      total: 4,
    });
    expect(data.byNationality.groups).toEqual([
      { nationality: 'CHN', nationalityName: 'China', count: 2 },
      { nationality: 'AUS', nationalityName: 'Australia', count: 1 },
      { nationality: 'MYS', nationalityName: 'Malaysia', count: 1 },
    ]);
    expect(data.byPermitType.groups).toEqual([
      { permitType: 'LIMITED_STAY', permitTypeLabel: 'Izin Tinggal Terbatas (ITAS)', count: 2 },
      { permitType: 'PERMANENT_STAY', permitTypeLabel: 'Izin Tinggal Tetap (ITAP)', count: 1 },
      { permitType: 'VISIT', permitTypeLabel: 'Izin Tinggal Kunjungan (ITK)', count: 1 },
    ]);
    expect(data.byRegion.groups).toEqual([{ regionCode: '16.01.14', regionName: 'Baturaja Timur', count: 4 }]);
    // every registered WNA on request
    const registered = expectNoErrors(
      await run('ForeignerStatisticsForRegion', police, { regionCode: '16.01', population: 'REGISTERED' }),
    );
    expect(registered.byNationality).toMatchObject({ population: 'REGISTERED', total: 7 });
    expect(registered.byRegion.groups).toEqual([
      { regionCode: '16.01.14', regionName: 'Baturaja Timur', count: 4 },
      { regionCode: '16.01.13', regionName: 'Baturaja Barat', count: 3 },
    ]);
  });

  it('lists expiring permits and registration gaps of those present, not of a holder who left', async () => {
    // an ITAS in force, expiring in 25 days, whose holder left three days ago
    const leaver = await records.foreigner(hub, {
      fullName: 'Park Ji-ho',
      nationality: 'KOR',
      domicileRegionCode: '16.01.13.2001',
    });
    await records.permit(hub, leaver, {
      type: 'LIMITED_STAY',
      issuedAt: dayFromToday(-300),
      expiresAt: dayFromToday(25),
    });
    await records.crossing(hub, leaver, 'ENTRY', momentFromToday(-299));
    await records.crossing(hub, leaver, 'EXIT', momentFromToday(-3));
    const ids = (data: { foreigners: { nodes: { id: string }[] } }) => data.foreigners.nodes.map((n) => n.id).sort();

    const variables = { regionCode: '16.01', expiresBefore: dayFromToday(30) };
    const expiring = expectNoErrors(await run('ForeignersWithExpiringPermits', police, variables));
    expect(ids(expiring)).toEqual([s.noSkld]);
    const expiringRegistered = expectNoErrors(
      await run('ForeignersWithExpiringPermits', police, { ...variables, population: 'REGISTERED' }),
    );
    expect(ids(expiringRegistered)).toEqual([s.noSkld, leaver].sort());

    const gaps = expectNoErrors(await run('RegistrationGaps', police, { regionCode: '16.01' }));
    expect(ids(gaps)).toEqual([s.valid, s.noSkld, s.expiredSkld].sort());
    const gapsRegistered = expectNoErrors(
      await run('RegistrationGaps', police, { regionCode: '16.01', population: 'REGISTERED' }),
    );
    expect(ids(gapsRegistered)).toEqual([s.valid, s.noSkld, s.expiredSkld, leaver].sort());
  });
});
