/**
 * The explorer's table view, on answers shaped as the hub gives them to the saved operations:
 * which lists are offered (connection nodes and edges, statistics groups, a meeting's
 * attendees), the dotted columns, the cells as officers read them (ITAS, country names beside
 * codes, instants in the zone of the row's region) and the CSV that holds exactly the table.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { fieldTypes, findLists, tableCsv, tableText } from '../../gateway/explorer/result-table.js';
import { SAVED_OPERATIONS_DIR } from '../../gateway/src/explorer/saved-operations.js';
import { subgraphDefinitions } from '../../schema/subgraphs.js';

const composition = composeServices(subgraphDefinitions());
if (composition.errors) throw new Error(composition.errors.map((e) => e.message).join('\n'));
const schema = composition.schema.toAPISchema().toGraphQLJSSchema();
const savedQuery = (name: string) => fs.readFile(path.join(SAVED_OPERATIONS_DIR, `${name}.graphql`), 'utf8');

const expiring = {
  foreigners: {
    totalCount: 2,
    pageInfo: { hasNextPage: false, endCursor: 'b' },
    nodes: [
      {
        id: 'f1',
        fullName: 'Chen Jing',
        nationality: 'CHN',
        domicileRegionCode: '16.01.14',
        currentPermit: { number: 'ITAS-1', type: 'LIMITED_STAY', expiresAt: '2027-01-31', sponsor: { name: 'PT A' } },
      },
      {
        id: 'f2',
        fullName: 'Anna Müller, "Ann"',
        nationality: 'DEU',
        domicileRegionCode: '16.01.01',
        currentPermit: { number: 'ITAP-2', type: 'PERMANENT_STAY', expiresAt: '2027-02-01', sponsor: null },
      },
    ],
  },
};

describe('the explorer table view', () => {
  it('tabulates a connection with ITAS labels, country names and the CSV of exactly the table', async () => {
    const lists = findLists(expiring);
    expect(lists.map((l) => l.path)).toEqual(['foreigners.nodes']);
    const types = fieldTypes(schema, await savedQuery('ForeignersWithExpiringPermits'));
    expect(types.get('foreigners.nodes.currentPermit.type')).toBe('StayPermitType');

    const table = tableText(lists[0]!, { types, language: 'id' });
    expect(table.header).toEqual([
      'id',
      'fullName',
      'nationality',
      'nationalityName',
      'domicileRegionCode',
      'currentPermit.number',
      'currentPermit.type',
      'currentPermit.expiresAt',
      'currentPermit.sponsor.name',
    ]);
    expect(table.rows[0]).toEqual([
      'f1',
      'Chen Jing',
      'CHN',
      'China',
      '16.01.14',
      'ITAS-1',
      'ITAS',
      '2027-01-31',
      'PT A',
    ]);
    expect(table.rows[1]![6]).toBe('ITAP');
    expect(table.rows[1]![8]).toBe('');
    expect(table.titles[0]![6]).toBe('Izin Tinggal Terbatas (ITAS) — LIMITED_STAY');

    // without the schema (introspection disabled): a value only one labelled enum has is still labelled
    const untyped = tableText(lists[0]!, { language: 'id' });
    expect(untyped.rows.map((r) => r[6])).toEqual(['ITAS', 'ITAP']);
    expect(tableText(findLists({ l: [{ status: 'EXPIRED' }] })[0]!, { language: 'id' }).rows).toEqual([['EXPIRED']]);

    const english = tableText(lists[0]!, { types, language: 'en' });
    expect(english.rows[0]![6]).toBe('Limited stay permit (ITAS)');
    expect(english.rows[1]![3]).toBe('Germany');

    const csv = tableCsv(table);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual([
      'id,fullName,nationality,nationalityName,domicileRegionCode,currentPermit.number,currentPermit.type,currentPermit.expiresAt,currentPermit.sponsor.name',
      'f1,Chen Jing,CHN,China,16.01.14,ITAS-1,ITAS,2027-01-31,PT A',
      'f2,"Anna Müller, ""Ann""",DEU,Jerman,16.01.01,ITAP-2,ITAP,2027-02-01,',
      '',
    ]);
  });

  it("takes the nodes of edges, and offers every list of several with a meeting's attendees", () => {
    const edges = {
      foreigners: {
        edges: [
          { cursor: 'a', node: { id: 'f1' } },
          { cursor: 'b', node: { id: 'f2' } },
        ],
      },
    };
    expect(findLists(edges).map((l) => [l.path, l.items.length])).toEqual([['foreigners.edges.node', 2]]);

    const meetings = {
      coordinationMeetings: [
        {
          id: 'm1',
          heldOn: '2024-09-25',
          regionCode: '16.01',
          chair: { code: 'KANIM', name: 'Kanim Baturaja' },
          attendees: [
            { code: 'POLRES-OKU', name: 'Polres OKU', type: 'POLICE', regionCode: '16.01' },
            { code: 'KODIM', name: 'Kodim 0403/OKU', type: 'MILITARY', regionCode: '16.01' },
          ],
          conclusions: ['Patroli bersama', 'Pendataan ulang'],
        },
      ],
    };
    const lists = findLists(meetings);
    expect(lists.map((l) => [l.path, l.items.length])).toEqual([
      ['coordinationMeetings', 1],
      ['coordinationMeetings.attendees', 2],
    ]);
    const types = new Map([['coordinationMeetings.attendees.type', 'AgencyType']]);
    const meeting = tableText(lists[0]!, { types, language: 'id' });
    expect(meeting.header).toContain('attendees.name');
    expect(meeting.rows[0]![meeting.header.indexOf('attendees.name')]).toBe('Polres OKU; Kodim 0403/OKU');
    expect(meeting.rows[0]![meeting.header.indexOf('conclusions')]).toBe('Patroli bersama; Pendataan ulang');
    const attendees = tableText(lists[1]!, { types, language: 'id' });
    expect(attendees.rows.map((r) => r[2])).toEqual(['Polri', 'TNI']);
  });

  it('offers the groups of each statistics alias', async () => {
    const answer = {
      byNationality: { regionCode: '16.01', total: 9, groups: [{ nationality: 'CHN', count: 9 }] },
      byPermitType: { unlisted: 0, groups: [{ permitType: 'LIMITED_STAY', count: 9 }] },
      byRegion: { unlisted: 0, groups: [{ regionCode: '16.01.14', count: 9 }] },
    };
    const lists = findLists(answer);
    expect(lists.map((l) => l.path)).toEqual(['byNationality.groups', 'byPermitType.groups', 'byRegion.groups']);
    const types = fieldTypes(schema, await savedQuery('ForeignerStatisticsForRegion'));
    expect(tableText(lists[1]!, { types, language: 'id' }).rows).toEqual([['ITAS', '9']]);
    expect(tableText(lists[0]!, { types, language: 'id' }).rows).toEqual([['CHN', 'China', '9']]);
  });

  it("shows instants in the zone of the row's region, WIB without one", () => {
    const answer = {
      incidents: {
        nodes: [
          { occurredAt: '2026-12-07T16:30:00.000Z', regionCode: '16.01.14' },
          { occurredAt: '2026-12-07T16:30:00.000Z', regionCode: '73.71' },
          { occurredAt: '2026-12-07T16:30:00.000Z', regionCode: '91.01' },
          { occurredAt: '2026-12-07T16:30:00.000Z', regionCode: null },
        ],
      },
    };
    const types = new Map([['incidents.nodes.occurredAt', 'DateTime']]);
    const table = tableText(findLists(answer)[0]!, { types, language: 'id' });
    expect(table.rows.map((r) => r[0])).toEqual([
      '2026-12-07 23:30 WIB',
      '2026-12-08 00:30 WITA',
      '2026-12-08 01:30 WIT',
      '2026-12-07 23:30 WIB',
    ]);
  });

  it('has nothing to tabulate in an answer without a list of objects', () => {
    expect(findLists({ verifyStayPermit: { valid: true, expiresAt: '2027-01-01' } })).toEqual([]);
    expect(findLists(null)).toEqual([]);
    expect(findLists({ foreigners: { nodes: [] } })).toEqual([]);
  });
});
