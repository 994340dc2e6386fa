/**
 * `npm run brief -- --region 16.01 --meeting-date 2026-12-15 [options]`: the brief of a TIMPORA
 * coordination meeting (bahan rapat koordinasi) as PDF and HTML, in Bahasa Indonesia, made from
 * the `meetingBrief` query of the running hub's gateway with the caller's token.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { invocationDirectory } from '../common/config/hub.js';
import { TOKEN_PARSE_OPTIONS, callerToken, gatewayUrl } from './export/gateway-access.js';
import { BriefError } from './brief/fetch.js';
import { BRIEF_FORMATS, briefBaseName, makeBrief, type BriefFormat } from './brief/index.js';

const DEFAULT_PURPOSE = 'persiapan rapat koordinasi TIMPORA';

const USAGE = `usage: npm run brief -- --region <code> --meeting-date <YYYY-MM-DD> [--out DIR] [--format pdf,html]
                      (--token <jwt> | --agency-type T --agency A --jurisdiction J [--scope S]) [--purpose "…"] [--gateway URL]

Makes the brief of a TIMPORA coordination meeting (bahan rapat koordinasi), in Bahasa Indonesia,
with the agenda's figures per regency (kabupaten/kota): foreigners present by nationality and
permit, permits expiring before the meeting and in the 30 days after, overstays, ITAS/ITAP holders
without a valid SKLD or SKTT, incidents and community reports since the last meeting, the last
meeting's conclusions and the joint operations since, with charts. It asks the gateway's
\`meetingBrief\` query with your token: each section shows what your token may read (a section
it may not read is marked as unavailable; counts without identity:read are under statistical
disclosure control), and the request is recorded in the agencies' access logs.

  --region <code>         a province (16), a regency (16.01) or regencies joined by
                          commas (16.01,16.08,16.09)                                   required
  --meeting-date <date>   the meeting's date, YYYY-MM-DD; not before today             required
  --out <dir>             directory to write to (relative to the current directory)
                          default: the current directory
  --format <list>         pdf, html or pdf,html                        default: pdf,html
  --purpose "…"           the purpose recorded with the request (X-Purpose)
                          default: "${DEFAULT_PURPOSE}"
  --token <jwt>           your token, or in development sign one:
                          --agency-type IMMIGRATION --agency KANIM-BATURAJA --jurisdiction 16.01
                          [--scope identity:read,permit:read,…] (default: the type's scopes)
  --gateway <url>         the gateway (default: the configured one, http://127.0.0.1:4000/graphql)
  --help                  this text

Writes brief-<region>-<date>.pdf and .html, e.g. brief-16.01-2026-12-15.pdf. The hub must be
running (npm start).

Example:
  npm run brief -- --region 16.01 --meeting-date 2026-12-15 \\
    --agency-type IMMIGRATION --agency KANIM-BATURAJA --jurisdiction 16.01,16.08,16.09`;

function fail(message: string, details: readonly string[] = []): never {
  process.stderr.write(`brief: ${message}\n${details.map((d) => `  - ${d}\n`).join('')}`);
  process.exit(1);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        ...TOKEN_PARSE_OPTIONS,
        region: { type: 'string' },
        'meeting-date': { type: 'string' },
        out: { type: 'string' },
        format: { type: 'string', default: 'pdf,html' },
        purpose: { type: 'string', default: DEFAULT_PURPOSE },
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
if (!values.region) fail(`--region is required\n${USAGE}`);
const meetingDate = values['meeting-date'];
if (!meetingDate) fail(`--meeting-date is required\n${USAGE}`);
if (!/^\d{4}-\d{2}-\d{2}$/.test(meetingDate)) fail(`--meeting-date must be a date YYYY-MM-DD (got ${meetingDate})`);
if (!values.purpose.trim()) fail('--purpose must not be empty: the purpose is recorded with the request');
const formats = values.format.split(',').map((f) => f.trim().toLowerCase());
const unknown = formats.filter((f) => !(BRIEF_FORMATS as readonly string[]).includes(f));
if (unknown.length > 0 || formats.length === 0) fail(`--format must list pdf and/or html (got ${values.format})`);

// npm runs scripts in the package's directory; a relative --out means the caller's directory
const cwd = invocationDirectory();
const outDir = path.resolve(cwd, values.out ?? '.');
if (!fs.existsSync(outDir) || !fs.statSync(outDir).isDirectory()) fail(`--out: the directory ${outDir} does not exist`);

try {
  const made = await makeBrief(
    {
      gatewayUrl: gatewayUrl(values.gateway),
      token: await callerToken(values, fail),
      purpose: values.purpose,
      regionCode: values.region,
      meetingDate,
    },
    { outDir, formats: formats as BriefFormat[] },
  );
  const withheld = Object.keys(made.file.withheld);
  process.stderr.write(
    `${briefBaseName(values.region, meetingDate)}: ${made.file.brief.regencies.length} kabupaten/kota` +
      (made.pages !== null ? `, ${made.pages} pages` : '') +
      `; query ${Math.round(made.timings.query)} ms, document ${Math.round(made.timings.render)} ms\n` +
      (withheld.length ? `  sections your token may not read: ${withheld.join(', ')}\n` : '') +
      Object.values(made.written)
        .map((f) => `  ${path.relative(cwd, f) || f}\n`)
        .join(''),
  );
} catch (e) {
  if (e instanceof BriefError) {
    fail(
      e.message,
      e.message.startsWith('cannot reach') ? ['start the hub with `npm start` (or give --gateway <url>)'] : e.details,
    );
  }
  fail(`could not make the brief: ${(e as Error).message}`);
}
