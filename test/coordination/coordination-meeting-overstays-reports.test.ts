/**
 * The questions of a TIMPORA coordination meeting about permits and reports, asked through the
 * gateway on data written for the test (test/helpers/coordination-scenario.ts): permits
 * expiring before a date; overstays (also of foreigners written before the crossing summary
 * existed); community reports by category and period. Counts and registration gaps:
 * coordination-meeting-counts.test.ts.
 */
import { useMeetingHub, type CoordinationScenario } from '../helpers/coordination-scenario.js';
import { dayFromToday, momentFromToday, records } from '../helpers/fixtures.js';
import { expectError, expectNoErrors, graphql, tokenFor } from '../helpers/graphql.js';
import type { TestHub } from '../helpers/hub.js';
import type { ForeignerModels } from '../../subgraphs/immigration/src/models/foreigner.js';
import { immigrationData } from '../../subgraphs/immigration/src/data.js';
import { backfillCrossingSummaries } from '../../subgraphs/immigration/src/services/foreigner-migrations.js';

let hub: TestHub;
let s: CoordinationScenario;
let police: string;

const run = useMeetingHub('meeting_overstays', (meeting) => ({ hub, scenario: s, police } = meeting));

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
