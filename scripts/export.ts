/**
 * `npm run export -- --operation <name> --variables '{…}' [options]`: runs a saved operation
 * (schema/operations/) through the gateway and writes its rows as CSV (RFC 4180), following
 * the connection's pages, with a progress bar on stderr for long exports.
 *
 * `npm run export -- --help` describes every option; docs/coordination-meeting.md shows the
 * meeting's exports.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { buildSchema } from 'graphql';
import { invocationDirectory } from '../common/config/hub.js';
import { MAX_PAGE_SIZE } from '../common/pagination.js';
import { officialRegions } from '../common/regions.js';
import {
  TIME_ZONES,
  TIME_ZONE_ABBREVIATIONS,
  timeZoneOfRegion,
  type TimeZoneAbbreviation,
} from '../common/time-zones.js';
import { API_SCHEMA_FILE } from '../schema/compose.js';
import { TOKEN_PARSE_OPTIONS, callerToken, gatewayUrl } from './export/gateway-access.js';
import { parseCondition } from './export/row-filter.js';
import { ExportError, runExport, type ExportProgress } from './export/run-export.js';
import { findSavedOperation, listSavedOperations } from './export/saved-operations.js';

const USAGE = `usage: npm run export -- --operation <name> [--variables '{…}'] (--token <jwt> | --agency-type T --agency A --jurisdiction J [--scope S]) [--purpose "…"] [--out file.csv] [options]
       npm run export -- --list
       npm run export -- --help`;

const HELP = `${USAGE}

Runs a saved operation (schema/operations/explorer/ or partner/) through the hub's gateway and
writes its rows as CSV (RFC 4180), following a connection's pages to the end.

Choosing the operation
  --operation NAME      the saved operation to run (see --list)
  --variables JSON      its variables as a JSON object, e.g. '{"regionCode": "16.01"}'
  --list                list the saved operations with their descriptions, and exit

Who asks, and why
  --token JWT           a token from the identity provider (or npm run token)
  --agency-type T, --agency A, --jurisdiction J[,J…], --scope S[,S…]
                        sign a development token instead, as npm run token does
  --purpose TEXT        why the data is exported (X-Purpose); needed for personal data and
                        recorded in the access log with every disclosure
  --gateway URL         the gateway (default: the address the gateway is configured with,
                        GATEWAY_HOST and GATEWAY_PORT, else http://127.0.0.1:4000/graphql)

Which rows, which columns
  --rows PATH           the list whose elements are the rows, when the answer has several, e.g.
                        byPermitType.groups; a list inside the rows makes one row per element,
                        each with its parent's columns: coordinationMeetings.attendees (one row
                        per attendee of each meeting), incidents.nodes.parties
  --where COL=V[,V…]    keep rows whose column is one of the values; COL!=V[,V…] keeps the
                        others (repeatable; decided on the hub's codes, e.g. LIMITED_STAY)
  --match all|any       rows must meet every --where (all, the default) or one (any)
  --page-size N         rows per request, 1 to ${MAX_PAGE_SIZE} (default 500)

How cells read
  --values labels|codes labels (default): permits and statuses under their official names
                        (ITAS, ITAP, Berlaku, …), a region's name beside each region code, a
                        country's name beside each nationality, times in the zone of the row's
                        region (2026-12-07 19:30 WIB); codes: the hub's own values
  --time-zone WIB|WITA|WIT
                        zone of times in rows without a region code (default: the zone of the
                        first --jurisdiction, else WIB)
  --bom                 start with a UTF-8 byte-order mark (for Excel)

Output
  --out FILE            write to FILE, relative to the directory you ran the command in
                        (default: standard output); a failed export leaves no file

A field the token may not see (FORBIDDEN) leaves its cells empty, with a warning naming it; any
other error stops the export, lists every error and writes nothing.

Examples
  npm run export -- --operation ForeignersWithExpiringPermits \\
    --variables '{"regionCode": "16.01", "expiresBefore": "2027-01-31"}' \\
    --agency-type POLICE --agency POLRES-OKU --jurisdiction 16.01 \\
    --purpose "Rapat koordinasi TIMPORA OKU" --out izin-berakhir.csv
  npm run export -- --operation CoordinationMeetingAttendees --variables '{"regionCode": "16.01"}' \\
    --rows coordinationMeetings.attendees --agency-type IMMIGRATION --agency KANIM-BATURAJA \\
    --jurisdiction 16.01 --out peserta-rapat.csv`;

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
        values: { type: 'string', default: 'labels' },
        'time-zone': { type: 'string' },
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
  process.stdout.write(`${HELP}\n`);
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
if (values.values !== 'labels' && values.values !== 'codes') fail('--values must be labels or codes');
const zoneName = values['time-zone'];
if (zoneName !== undefined && !(TIME_ZONE_ABBREVIATIONS as readonly string[]).includes(zoneName)) {
  fail(`--time-zone must be one of ${TIME_ZONE_ABBREVIATIONS.join(', ')}`);
}
const firstJurisdiction = values.jurisdiction?.split(',')[0]?.trim();
const timeZone = zoneName
  ? TIME_ZONES[zoneName as TimeZoneAbbreviation]
  : firstJurisdiction && /^\d{2}(\.|$)/.test(firstJurisdiction)
    ? timeZoneOfRegion(firstJurisdiction)
    : TIME_ZONES.WIB;

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
// npm runs scripts in the project's directory; a relative --out is relative to where it was run
const outFile = values.out ? path.resolve(invocationDirectory(), values.out) : null;
if (outFile && !fs.existsSync(path.dirname(outFile)))
  fail(`--out: the directory ${path.dirname(outFile)} does not exist`);
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
    values: values.values,
    regions: values.values === 'labels' ? await officialRegions() : undefined,
    timeZone,
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
  for (const [field, cells] of result.forbidden) {
    process.stderr.write(`${operation.name}: warning: ${cells} cell${cells === 1 ? '' : 's'} left empty, ${field}\n`);
  }
  if (result.forbidden.size > 0) {
    process.stderr.write('  (your token does not allow these fields; ask for a token with the missing scope)\n');
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
