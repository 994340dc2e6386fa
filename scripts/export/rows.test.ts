/**
 * Finding the rows of an answer and their columns from the operation and the API schema,
 * and flattening nested objects and lists into cells.
 */
import fs from 'node:fs';
import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { API_SCHEMA_FILE } from '../../schema/compose.js';
import { parseCondition, rowFilter } from './row-filter.js';
import { cellText, rowSource, rowsOf } from './rows.js';

const schema = buildSchema(fs.readFileSync(API_SCHEMA_FILE, 'utf8'));

function source(text: string, rows?: string) {
  const document = parse(text);
  return rowSource(schema, document, document.definitions[0] as OperationDefinitionNode, rows);
}

describe('rows and columns', () => {
  it('takes the connection’s nodes, with dot-path columns through aliases and fragments', () => {
    const s = source(`
      query($after: String) {
        list: foreigners(first: 10, after: $after) {
          totalCount
          pageInfo { endCursor }
          nodes { id ...Permit name: fullName selfReports { number } }
        }
      }
      fragment Permit on Foreigner { currentPermit { type sponsor { name } } }
    `);
    expect(s).toMatchObject({ listPath: ['list', 'nodes'], rowKey: null, connectionPath: ['list'] });
    expect(s.pageVariables).toEqual({ first: null, after: 'after' });
    expect(s.columns.map((c) => c.join('.'))).toEqual([
      'id',
      'currentPermit.type',
      'currentPermit.sponsor.name',
      'name',
      'selfReports.number',
    ]);
  });

  it('takes edges { node } when the connection selects no nodes', () => {
    const s = source(`{ incidents(first: 5) { edges { cursor node { reportNumber parties { involvement } } } } }`);
    expect(s).toMatchObject({ listPath: ['incidents', 'edges'], rowKey: 'node' });
    expect(s.pageVariables).toEqual({ first: null, after: null });
    expect(s.columns.map((c) => c.join('.'))).toEqual(['reportNumber', 'parties.involvement']);
    expect(
      rowsOf(
        {
          incidents: { edges: [{ cursor: 'a', node: { reportNumber: 'LP/1', parties: [{ involvement: 'VICTIM' }] } }] },
        },
        s,
      ).rows,
    ).toEqual([['LP/1', 'VICTIM']]);
  });

  it('takes the only list when there is no connection, and asks when there are several', () => {
    expect(source(`{ agencies { code name } }`).listPath).toEqual(['agencies']);
    expect(() => source(`{ a: agencies { code } b: agencies { name } }`)).toThrow('choose one with --rows: a, b');
    expect(source(`{ a: agencies { code } b: agencies { name } }`, 'b').columns).toEqual([['name']]);
    expect(() => source(`{ foreignerStatistics { total } }`)).toThrow('selects no list or connection');
  });

  it('joins the values of lists with "; ", keeping positions, and leaves nulls empty', () => {
    const row = {
      a: [
        { n: '1', m: 'x' },
        { n: null, m: 'y' },
        { n: '3', m: 'z' },
      ],
      b: null,
      c: ['p', 'q'],
      d: [{ e: [{ f: 1 }, { f: 2 }] }, { e: [] }],
      flag: false,
    };
    expect(cellText(row, ['a', 'n'])).toBe('1; ; 3');
    expect(cellText(row, ['a', 'm'])).toBe('x; y; z');
    expect(cellText(row, ['b', 'x'])).toBe('');
    expect(cellText(row, ['c'])).toBe('p; q');
    expect(cellText(row, ['d', 'e', 'f'])).toBe('1; 2; ');
    expect(cellText(row, ['flag'])).toBe('false');
  });

  it('filters rows with --where conditions, all or any', () => {
    const header = ['id', 'skld', 'sktt'];
    const rows = [
      ['1', 'VALID', 'VALID'],
      ['2', 'MISSING', 'VALID'],
      ['3', 'EXPIRED', 'MISSING'],
    ];
    const conditions = ['skld=MISSING,EXPIRED', 'sktt=MISSING,EXPIRED'].map(parseCondition);
    expect(rows.filter(rowFilter(conditions, header, 'any')).map((r) => r[0])).toEqual(['2', '3']);
    expect(rows.filter(rowFilter(conditions, header, 'all')).map((r) => r[0])).toEqual(['3']);
    expect(rows.filter(rowFilter([parseCondition('skld!=VALID')], header, 'all')).map((r) => r[0])).toEqual(['2', '3']);
    expect(() => rowFilter([parseCondition('nope=1')], header, 'all')).toThrow('no column "nope"');
    expect(() => parseCondition('nothing')).toThrow('column=value');
  });

  it('makes one row per element of a nested list named by --rows, with the parent’s other columns', () => {
    const s = source(
      `{ coordinationMeetings(regionCode: "16.01") { id heldOn chair { code } attendees { code type } conclusions } }`,
      'coordinationMeetings.attendees',
    );
    expect(s).toMatchObject({ listPath: ['coordinationMeetings'], nested: ['attendees'] });
    expect(s.columnTypes).toEqual(['ID', 'Date', 'ID', 'ID', 'AgencyType', 'String']);
    const data = {
      coordinationMeetings: [
        {
          id: 'M1',
          heldOn: '2024-09-25',
          chair: { code: 'KANIM' },
          attendees: [
            { code: 'POLRES', type: 'POLICE' },
            { code: 'KODIM', type: 'MILITARY' },
          ],
          conclusions: 'x',
        },
        { id: 'M2', heldOn: '2024-12-18', chair: { code: 'KANIM' }, attendees: [], conclusions: null },
      ],
    };
    expect(rowsOf(data, s).rows).toEqual([
      ['M1', '2024-09-25', 'KANIM', 'POLRES', 'POLICE', 'x'],
      ['M1', '2024-09-25', 'KANIM', 'KODIM', 'MILITARY', 'x'],
      ['M2', '2024-12-18', 'KANIM', '', '', ''],
    ]);
    expect(() => source(`{ coordinationMeetings { id attendees { code } } }`, 'coordinationMeetings.nope')).toThrow(
      'choose one of: coordinationMeetings, coordinationMeetings.attendees',
    );
  });
});
