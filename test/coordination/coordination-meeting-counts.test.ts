/**
 * The questions of a TIMPORA coordination meeting about who is in a region, asked through the
 * gateway on data written for the test (test/helpers/coordination-scenario.ts): counts by
 * nationality, permit type and region; ITAS/ITAP holders lacking a valid SKLD or SKTT
 * (immigration, police and local government through `@requires`); those present, not those
 * who left. Expiring permits, overstays and community reports: coordination-meeting-overstays-reports.test.ts.
 */
import { useMeetingHub, type CoordinationScenario } from '../helpers/coordination-scenario.js';
import { dayFromToday, momentFromToday, records } from '../helpers/fixtures.js';
import { LOCALGOV_OKU, POLICE_OKU, expectError, expectNoErrors, graphql, tokenFor } from '../helpers/graphql.js';
import { countCommands, type TestHub } from '../helpers/hub.js';

let hub: TestHub;
let s: CoordinationScenario;
let police: string;

const run = useMeetingHub('meeting_counts', (meeting) => ({ hub, scenario: s, police } = meeting));

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
