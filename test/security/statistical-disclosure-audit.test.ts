/**
 * Statistical disclosure control, the whole of it: exports of counts apply the rule of the
 * gateway and say what was withheld, and every query a stats:read-only role can ask, taken
 * together, leaves no hidden cell derivable (on the seeded OKU Raya data). Single queries and
 * differencing: statistical-disclosure-differencing.test.ts.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ALL, NONE, ROOT } from '../../common/statistics/disclosure-control.js';
import { derivableCells, type AuditedTable } from '../../common/statistics/disclosure-audit.js';
import { IMMIGRATION_OKU, tokenFor } from '../helpers/graphql.js';
import type { TestHub } from '../helpers/hub.js';
import { ANALYST, MIN, key, useSeededStatisticsHub, type Group } from '../helpers/statistical-disclosure.js';

const ROOT_DIR = path.resolve(import.meta.dirname, '../..');

const seeded = useSeededStatisticsHub('statistical-disclosure-audit');
const { statistics } = seeded;

let hub: TestHub;
let analyst: string;
let member: string;

beforeAll(() => {
  ({ hub, analyst, member } = seeded.current());
});

describe('statistical disclosure control', () => {
  it('exports of counts apply the same rule and say what was withheld', async () => {
    const run = (...args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', 'scripts/export.ts', '--gateway', hub.gatewayUrl, ...args],
          {
            cwd: ROOT_DIR,
            env: { ...process.env, NODE_OPTIONS: '', DATA_DIR: process.env.TEST_DATA_DIR ?? 'data/test' },
          },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    const common = [
      '--operation',
      'ForeignerStatisticsForRegion',
      '--variables',
      '{"regionCode": "16.01.14"}',
      '--rows',
      'byNationality.groups',
    ];
    const counts = (csv: string) =>
      csv
        .trim()
        .split('\r\n')
        .slice(1)
        .map((line) => Number(line.split(',').at(-1)));
    const asAnalyst = await run(
      ...common,
      '--agency-type',
      'LOCAL_GOVERNMENT',
      '--agency',
      'BAPPEDA-OKU',
      '--jurisdiction',
      '16.01',
      '--scope',
      'stats:read',
    );
    expect(asAnalyst.code).toBe(0);
    expect(counts(asAnalyst.stdout).every((c) => c >= MIN)).toBe(true);
    expect(asAnalyst.stderr).toMatch(/disclosure control withheld figures: \d+ counted in groups below 5/);
    const asMember = await run(
      ...common,
      '--agency-type',
      'IMMIGRATION',
      '--agency',
      'KANIM-BATURAJA',
      '--jurisdiction',
      '16.01',
    );
    expect(asMember.code).toBe(0);
    expect(counts(asMember.stdout).some((c) => c < MIN)).toBe(true);
    expect(asMember.stderr).not.toMatch(/withheld/);
  });
  /**
   * Asks every region of the role's population with every grouping, in each of `populations`,
   * as the role and as a member of the same jurisdiction (`exactRole`); rebuilds the whole table
   * the role saw (with presence as a third dimension when both populations are asked) and
   * returns its audit.
   */
  async function auditEveryQuery(role: string, exactRole: string, populations: ('REGISTERED' | 'PRESENT')[]) {
    const dimensions = populations.length > 1 ? 3 : 2;
    const cells = new Map<string, { exact: number; shown: boolean }>();
    const children = new Map<string, Set<string>>();
    const values = [new Set<string>(), new Set<string>(), new Set(['PRESENT', 'NOT_PRESENT'])].slice(0, dimensions);
    const nodeOf = new Map<string | null, string>([[null, ROOT]]);
    const groupings = [
      ['REGION'],
      ['REGION', 'NATIONALITY'],
      ['REGION', 'PERMIT_TYPE'],
      ['REGION', 'NATIONALITY', 'PERMIT_TYPE'],
    ];
    // presence is the third dimension: REGISTERED its total, PRESENT one value, and NOT_PRESENT
    // (registered − present) the other, never asked but worked out below
    const note = (node: string, g: Group | null, count: number, shown: boolean, by: string[], presence: string) => {
      const coords = [
        by.includes('NATIONALITY') ? (g?.nationality ?? NONE) : ALL,
        by.includes('PERMIT_TYPE') ? (g?.permitType ?? NONE) : ALL,
        presence,
      ].slice(0, dimensions);
      coords.forEach((c, i) => c !== ALL && values[i]!.add(c));
      const k = `${node}|${coords.join('|')}`;
      const cell = cells.get(k) ?? { exact: count, shown: false };
      cell.shown ||= shown;
      cells.set(k, cell);
    };
    const queue: (string | null)[] = [null];
    let queries = 0;
    while (queue.length > 0) {
      const regionCode = queue.shift()!;
      const node = nodeOf.get(regionCode)!;
      const all = [[], ['NATIONALITY'], ['PERMIT_TYPE'], ['NATIONALITY', 'PERMIT_TYPE'], ...groupings];
      for (const population of populations) {
        const presence = population === 'PRESENT' ? 'PRESENT' : ALL;
        const [published, exact] = await Promise.all([
          statistics(role, regionCode, all, population),
          statistics(exactRole, regionCode, all, population),
        ]);
        queries += all.length;
        all.forEach((by, i) => {
          const shown = new Map(published[i]!.groups.map((g) => [key(g), g.count]));
          if (by.length === 0) note(node, null, exact[i]!.total!, published[i]!.total !== null, by, presence);
          for (const g of exact[i]!.groups) {
            let at = node;
            if (by.includes('REGION')) {
              const child = g.regionCode ?? NONE;
              at = node === ROOT ? child : `${node}/${child}`;
              let siblings = children.get(node);
              if (!siblings) children.set(node, (siblings = new Set()));
              siblings.add(at);
              if (g.regionCode && g.regionCode !== regionCode && !nodeOf.has(g.regionCode)) {
                nodeOf.set(g.regionCode, at);
                // villages are leaves: their figures all come from their district's groupings
                if (g.regionCode.split('.').length < 4) queue.push(g.regionCode);
              }
            }
            const plain = by.filter((d) => d !== 'REGION');
            if (!by.includes('REGION') && plain.length === 0) continue;
            note(at, g, g.count, shown.get(key(g)) === g.count, plain, presence);
          }
        });
      }
    }
    // the people registered but not present, cell by cell: known exactly when both figures are
    // shown (the difference table is published as good as), hidden otherwise
    if (dimensions === 3)
      for (const [k, registered] of [...cells]) {
        if (!k.endsWith(`|${ALL}`)) continue;
        const stem = k.slice(0, -ALL.length);
        // no present group listed: nobody, or hidden — the role cannot tell
        const present = cells.get(`${stem}PRESENT`) ?? { exact: 0, shown: false };
        const notPresent = registered.exact - present.exact;
        if (notPresent > 0)
          cells.set(`${stem}NOT_PRESENT`, { exact: notPresent, shown: registered.shown && present.shown });
      }
    const view: AuditedTable = {
      dimensions,
      nodes: () => [ROOT, ...[...children.values()].flatMap((s) => [...s])],
      childrenOf: (node) => [...(children.get(node) ?? [])],
      valuesOf: (i) => [...values[i]!],
      truth: (node, coords) => {
        const cell = cells.get(`${node}|${coords.join('|')}`);
        return { count: cell?.exact ?? 0, suppressed: cell ? !cell.shown : false };
      },
    };
    // the audit keeps the process busy: run it after every query of the test, since a
    // kept-alive connection may time out meanwhile
    return () => {
      const hidden = [...cells.values()].filter((c) => !c.shown);
      // an empty cell shown as 0 (nobody present in a village) discloses nobody
      const small = [...cells.values()].filter((c) => c.exact > 0 && c.exact < MIN);
      expect([...cells].filter(([, c]) => c.exact > 0 && c.exact < MIN && c.shown)).toEqual([]);
      expect(hidden.length).toBeGreaterThan(small.length);
      expect(derivableCells(view)).toEqual([]);
      return `${queries} queries, ${cells.size} cells, ${small.length} below ${MIN}, ${hidden.length} hidden, none derivable`;
    };
  }

  // last: its audit keeps the process busy long enough for a kept-alive connection to time out
  it('leaves no hidden cell derivable from every query a stats:read-only role can ask, in either population or both', async () => {
    const registered = await auditEveryQuery(analyst, member, ['REGISTERED']);
    // both populations, for a district's role: the audit grows fast with the cells (registered,
    // present and their difference per cell)
    const role = await tokenFor({ ...ANALYST, agency: 'KECAMATAN-BATURAJA-TIMUR', jurisdiction: ['16.01.14'] });
    const exact = await tokenFor({ ...IMMIGRATION_OKU, jurisdiction: ['16.01.14'] });
    const both = await auditEveryQuery(role, exact, ['REGISTERED', 'PRESENT']);
    process.stdout.write(`disclosure audit: ${registered()}\n`);
    process.stdout.write(`disclosure audit, both populations of 16.01.14: ${both()}\n`);
  }, 300_000);
});
