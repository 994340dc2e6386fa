/**
 * The benchmark's report, docs/BENCHMARKS.md: its prose is the Markdown template beside this
 * file (report-template.md), filled with the run's figures, tables (report-tables.ts) and what
 * they show against issue 9's targets (report-findings.ts).
 */
import { LOAD_ROUNDS } from './loaded.js';
import fs from 'node:fs';
import { findings, engineFinding, nationalSection, targetsCheck } from './report-findings.js';
import { f1, loadOf, n0, regular, seqOf, table } from './report-format.js';
import {
  diskTable,
  engineTable,
  loadTable,
  memoryTable,
  pageSizeTable,
  sequentialTable,
  summaryTable,
} from './report-tables.js';
import type { MachineInfo, SizeResult } from './results.js';
import { NAME_FRAGMENT, PAGE_REGION, PAGE_SIZE, STATS_REGION } from './workloads.js';

const TEMPLATE = new URL('report-template.md', import.meta.url);

/** A slot's text, or null to leave out the paragraph that is that slot alone. */
type Slots = Record<string, string | null>;

/**
 * The template with its `{{slot}}`s filled (the leading comment dropped). A paragraph that is a
 * single slot whose value is null is left out; a slot without a value is an error, so the
 * template and the code cannot drift apart silently.
 */
export function fillTemplate(template: string, slots: Slots): string {
  const paragraphs = template
    .replace(/^<!--[\s\S]*?-->\s*/, '')
    .trimEnd()
    .split('\n\n')
    .filter((paragraph) => {
      const alone = /^\{\{(\w+)\}\}$/.exec(paragraph);
      return !(alone && slots[alone[1]!] === null);
    });
  return paragraphs.join('\n\n').replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = slots[name];
    if (value === undefined || value === null) throw new Error(`report template: no text for {{${name}}}`);
    return value;
  });
}

const paragraphs = (texts: string[]): string | null => (texts.length > 0 ? texts.join('\n\n') : null);
const loads = (values: number[], digits: number) => values.map((l) => l.toFixed(digits)).join(' / ');

export function renderReport(machine: MachineInfo, results: SizeResult[], chartFile: string): string {
  const reg = regular(results);
  const o = machine.options;
  const notLoaded = [...new Set(results.flatMap((r) => r.skipped.map((s) => `${s.workload}: ${s.reason}`)))];
  const targets = targetsCheck(results);
  const finding = results.some((r) => r.engine) ? engineFinding(results) : null;
  const withPage = reg.find((r) => r.pageSizes.length > 0 && seqOf(r, 'page', 'hub'));
  const hubPage = withPage ? seqOf(withPage, 'page', 'hub') : undefined;
  const slots: Slots = {
    date: machine.date.slice(0, 10),
    minutes: (machine.totalSeconds / 60).toFixed(1),
    runs: (machine.runs ?? 1) > 1 ? ` in ${machine.runs} runs (\`--merge\`)` : '',
    sizes: results.map((r) => `${n0(r.size)}${r.bulk ? ' (bulk-loaded)' : ''}`).join(', '),
    ferretDb: String(machine.versions.FerretDB),
    cores: String(machine.cores),
    loadBefore: loads(machine.loadAverageBefore, 1),
    loadAfter: loads(machine.loadAverageAfter, 1),
    leftOut:
      machine.leftOut.length > 0
        ? `Left out for the time budget: ${machine.leftOut
            .map((x) => `${n0(x.size)} WNA (about ${Math.round(x.estimatedSeconds / 60)} more minutes)`)
            .join(
              ', ',
            )}; \`npm run bench -- --sizes ${machine.leftOut.map((x) => x.size).join(',')} --merge\` adds them.`
        : null,
    sizesMeasured:
      results.length > 0
        ? 'Each size, when it was measured and the load average (1 min) then: ' +
          results
            .map(
              (r) =>
                `${n0(r.size)} WNA at ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC, load ${r.loadAverage[0]!.toFixed(1)}, ` +
                `${f1(r.seconds / 60)} min`,
            )
            .join('; ') +
          '.'
        : null,
    chartFile,
    summaryTable: summaryTable(results, o.connections),
    connections: String(o.connections),
    notLoaded: notLoaded.length ? ` Not loaded: ${notLoaded.join('; ')}.` : '',
    targetsTable: targets.table,
    targetsOthers: targets.others.join('\n'),
    findings: paragraphs(findings(machine, results)),
    notMet: targets.notMet.map((x) => `- Not met: ${x}.\n`).join(''),
    engine: results.some((r) => r.engine)
      ? paragraphs([engineTable(results), ...(finding ? [finding] : [])])
      : 'Not measured in this run.',
    national: results.some((r) => r.bulk)
      ? paragraphs(['## A national registry, bulk-loaded', ...nationalSection(results)])
      : null,
    loadTable: loadTable(results),
    sequentialTable: sequentialTable(results),
    pageSizeTable: pageSizeTable(results),
    pageCommands:
      withPage && hubPage
        ? paragraphs([
            `The commands of one page request at ${n0(withPage.size)} WNA, by subgraph, collection and command:`,
            table(
              ['subgraph / collection command', 'per request'],
              Object.entries(hubPage.byCollection).map(([k, v]) => [`\`${k}\``, f1(v)]),
            ),
          ])
        : null,
    diskTable: diskTable(results),
    memoryTable: memoryTable(results),
    pageRegion: PAGE_REGION,
    pageSize: String(PAGE_SIZE),
    statsRegion: STATS_REGION,
    nameFragment: NAME_FRAGMENT,
    statisticsLoaded: results.some((r) => loadOf(r, 'stats-permit', 'hub') || loadOf(r, 'stats-district', 'hub'))
      ? '(d) and (e) were loaded like the others (`--load-all`). '
      : '(d) and (e), the same kind of aggregation as (c), are measured one request at a time only ' +
        '(`--load-all` loads them too). ',
    answersCompared: results.some((r) => r.mismatches.length > 0)
      ? ' (they did not everywhere: see below).'
      : ' (they did).',
    moreRequests: String(o.quick ? 2 : 5),
    loadRounds: String(LOAD_ROUNDS),
    cpu: machine.cpu,
    memoryGiB: machine.memoryGiB.toFixed(0),
    os: machine.os,
    node: machine.node,
    loadBeforeRun: loads(machine.loadAverageBefore, 2),
    loadAfterRun: loads(machine.loadAverageAfter, 2),
    versionsTable: table(['component', 'version'], Object.entries(machine.versions), ['l', 'l']),
    mismatches: paragraphs(
      results
        .filter((r) => r.mismatches.length > 0)
        .map((r) => `**Answers that differed at ${n0(r.size)} WNA:** ${r.mismatches.join('; ')}`),
    ),
  };
  return `${fillTemplate(fs.readFileSync(TEMPLATE, 'utf8'), slots).trimEnd()}\n`;
}
