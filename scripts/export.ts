/**
 * `npm run export -- --operation <name> --variables '{…}' [options]`: runs a saved operation
 * (schema/operations/) through the gateway and writes its rows as CSV (RFC 4180), following
 * the connection's pages, with a progress bar on stderr for long exports.
 *
 * Token: --token <jwt>, or --agency-type/--agency/--jurisdiction [--scope] to sign a
 * development token (as `npm run token` does). Other options: --purpose, --out <file>,
 * --gateway <url>, --rows <path>, --page-size <n>, --where <column=v,…|column!=v,…> (repeatable),
 * --match all|any, --bom, --list. See docs/coordination-meeting.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { buildSchema } from 'graphql';
import { MAX_PAGE_SIZE } from '../common/pagination.js';
import { API_SCHEMA_FILE } from '../schema/compose.js';
import { TOKEN_PARSE_OPTIONS, callerToken, gatewayUrl } from './export/gateway-access.js';
import { parseCondition } from './export/row-filter.js';
import { ExportError, runExport, type ExportProgress } from './export/run-export.js';
import { findSavedOperation, listSavedOperations } from './export/saved-operations.js';

const USAGE = `usage: npm run export -- --operation <name> [--variables '{…}'] (--token <jwt> | --agency-type T --agency A --jurisdiction J [--scope S]) [--purpose "…"] [--out file.csv] [--gateway URL] [--rows path] [--page-size N] [--where col=v,…]… [--match all|any] [--bom]
       npm run export -- --list`;

function fail(message: string, details: readonly string[] = []): never {
  process.stderr.write(`export: ${message}\n${details.map((d) => `  - ${d}\n`).join('')}`);
  process.exit(1);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        operation: { type: 'string' },
        variables: { type: 'string', default: '{}' },
        ...TOKEN_PARSE_OPTIONS,
        purpose: { type: 'string' },
        out: { type: 'string' },
        rows: { type: 'string' },
        'page-size': { type: 'string', default: '500' },
        where: { type: 'string', multiple: true, default: [] },
        match: { type: 'string', default: 'all' },
        bom: { type: 'boolean', default: false },
        list: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    });
  } catch (e) {
    return fail(`${(e as Error).message}\n${USAGE}`);
  }
})();

if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (values.list) {
  for (const op of listSavedOperations()) {
    const summary = op.description.split('\n')[0] ?? '';
    process.stdout.write(`${op.name.padEnd(34)} ${summary}\n`);
  }
  process.exit(0);
}
if (!values.operation) fail(`--operation is required\n${USAGE}`);

function parseVariables(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  return fail(`--variables must be a JSON object, e.g. '{"regionCode": "16.01"}'`);
}

/** A bar on stderr once an export needs a second page; silent when stderr is not a terminal. */
function progressBar() {
  let bar: cliProgress.SingleBar | null = null;
  return {
    update(p: ExportProgress) {
      if (!bar && p.hasNextPage) {
        const known = p.total !== null;
        bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: known
              ? 'exporting [{bar}] {percentage}% | {value}/{total} rows | ETA {eta_formatted}'
              : 'exporting {value} rows',
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(p.total ?? 0, 0);
      }
      bar?.update(p.fetched);
    },
    stop() {
      bar?.stop();
    },
  };
}

const pageSize = Number(values['page-size']);
if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
  fail(`--page-size must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
}
if (values.match !== 'all' && values.match !== 'any') fail('--match must be all or any');

let operation;
let where;
try {
  operation = findSavedOperation(values.operation);
  where = values.where.map(parseCondition);
} catch (e) {
  fail((e as Error).message);
}
const variables = parseVariables(values.variables);
const schema = buildSchema(fs.readFileSync(API_SCHEMA_FILE, 'utf8'));

// written to a temporary file first, so a failed export leaves no partial file behind
const outFile = values.out ? path.resolve(values.out) : null;
const tempFile = outFile ? `${outFile}.${process.pid}.partial` : null;
const stream = tempFile ? fs.createWriteStream(tempFile) : process.stdout;
const write = (chunk: string) =>
  new Promise<void>((resolve, reject) => {
    if (stream.write(chunk)) resolve();
    else stream.once('drain', resolve).once('error', reject);
  });
const bar = progressBar();

try {
  if (values.bom) await write('\uFEFF');
  const result = await runExport({
    schema,
    operation,
    variables,
    gatewayUrl: gatewayUrl(values.gateway),
    token: await callerToken(values, fail),
    purpose: values.purpose ?? null,
    rowsPath: values.rows,
    pageSize,
    where,
    match: values.match,
    write,
    onPage: (p) => bar.update(p),
  });
  bar.stop();
  if (tempFile && outFile) {
    await new Promise<void>((resolve, reject) =>
      (stream as fs.WriteStream).end((e?: Error | null) => (e ? reject(e) : resolve())),
    );
    fs.renameSync(tempFile, outFile);
  }
  if (result.withheld) {
    const { unlisted, minimumCellSize } = result.withheld;
    process.stderr.write(
      `${operation.name}: disclosure control withheld figures: ${
        unlisted === null ? 'the total and' : `${unlisted} counted in`
      } groups below ${minimumCellSize ?? 'the threshold'} or hidden to protect one are not listed (docs/statistical-disclosure.md)\n`,
    );
  }
  const filtered = where.length ? ` (of ${result.fetched} read)` : '';
  process.stderr.write(
    `${operation.name}: ${result.written} row${result.written === 1 ? '' : 's'}${filtered} in ${result.pages} page${result.pages === 1 ? '' : 's'}${outFile ? ` written to ${values.out}` : ''}\n`,
  );
} catch (e) {
  bar.stop();
  if (tempFile) {
    (stream as fs.WriteStream).destroy();
    fs.rmSync(tempFile, { force: true });
  }
  if (e instanceof ExportError) fail(e.message, e.details);
  fail((e as Error).message);
}
