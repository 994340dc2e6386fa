/**
 * `npm run subject-access -- --foreigner ID [--out report.pdf] [options]`: the subject-access
 * report of one foreigner (UU PDP art. 31–32) as a PDF a person can read, with the JSON it was
 * made from beside it (`report.json` for `report.pdf`). Asks the running hub's gateway (the saved
 * operation `SubjectAccessReport`) with a data-protection officer's token: the request needs
 * `subject-access:read` and a purpose, and is itself recorded in the access logs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { invocationDirectory } from '../common/config/hub.js';
import { TOKEN_PARSE_OPTIONS, callerToken, gatewayUrl } from './export/gateway-access.js';
import { ExportError, post } from './export/run-export.js';
import { findSavedOperation } from './export/saved-operations.js';
import { renderSubjectAccessPdf } from './subject-access/pdf.js';
import type { SubjectAccessFile, SubjectAccessReport } from './subject-access/report.js';

const DEFAULT_PURPOSE = 'permintaan akses subjek data (UU PDP pasal 32)';

const USAGE = `usage: npm run subject-access -- --foreigner <id> [--out report.pdf] (--token <jwt> | --agency-type T --agency A --jurisdiction J [--scope S]) [--purpose "…"] [--gateway URL]

Writes the subject-access report of one foreigner (UU PDP art. 31–32) as a PDF, in Bahasa
Indonesia and English, and the JSON it was made from beside it (report.pdf → report.json):
what Immigration, the police and the local government hold about them, and every disclosure of
it recorded in the three access logs, each log checked against its chain and witnesses.

  --foreigner <id>     the foreigner (e.g. WNA-000550)                                  required
  --out <file.pdf>     where to write the PDF (relative to the current directory)
                       default: subject-access-<id>.pdf
  --purpose "…"        the purpose recorded with the request (X-Purpose)
                       default: "${DEFAULT_PURPOSE}"
  --token <jwt>        a data-protection officer's token (scope subject-access:read), or in
                       development sign one: --agency-type IMMIGRATION --agency KANIM-BATURAJA
                       --jurisdiction 16.01 --scope identity:read,subject-access:read
  --gateway <url>      the gateway (default: the configured one, http://127.0.0.1:4000/graphql)

The hub must be running (npm start); the request is recorded in the access logs.`;

function fail(message: string, details: readonly string[] = []): never {
  process.stderr.write(`subject-access: ${message}\n${details.map((d) => `  - ${d}\n`).join('')}`);
  process.exit(1);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        ...TOKEN_PARSE_OPTIONS,
        foreigner: { type: 'string' },
        out: { type: 'string' },
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
if (!values.foreigner) fail(`--foreigner is required\n${USAGE}`);
if (!values.purpose.trim()) fail('--purpose must not be empty: the purpose is recorded with the request');
const foreignerId = values.foreigner;

// npm runs scripts in the package's directory; a relative --out means the caller's directory
const cwd = invocationDirectory();
const pdfFile = path.resolve(cwd, values.out ?? `subject-access-${foreignerId}.pdf`);
if (path.extname(pdfFile).toLowerCase() !== '.pdf') fail(`--out must name a .pdf file (got ${values.out})`);
const jsonFile = pdfFile.replace(/\.pdf$/i, '.json');
if (!fs.existsSync(path.dirname(pdfFile))) fail(`--out: the directory ${path.dirname(pdfFile)} does not exist`);

const gateway = gatewayUrl(values.gateway);
const started = performance.now();
let data: unknown;
try {
  ({ data } = await post(
    {
      gatewayUrl: gateway,
      token: await callerToken(values, fail),
      purpose: values.purpose,
      operation: findSavedOperation('SubjectAccessReport'),
    },
    { foreignerId },
  ));
} catch (e) {
  if (e instanceof ExportError && e.message.startsWith('cannot reach the gateway')) {
    fail(e.message, ['start the hub with `npm start` (or give --gateway <url> of a running one)']);
  }
  if (e instanceof ExportError) fail(e.message, e.details);
  fail((e as Error).message);
}
const report = (data as { subjectAccessReport: SubjectAccessReport | null } | null)?.subjectAccessReport;
if (!report) fail(`the gateway answered no report for ${foreignerId}`);

const file: SubjectAccessFile = { generatedAt: new Date().toISOString(), gateway, purpose: values.purpose, report };
// written to temporary files first, so a failure leaves no partial report behind
const partial = (f: string) => `${f}.${process.pid}.partial`;
try {
  fs.writeFileSync(partial(jsonFile), `${JSON.stringify(file, null, 2)}\n`);
  const pages = await renderSubjectAccessPdf(file, fs.createWriteStream(partial(pdfFile)));
  fs.renameSync(partial(jsonFile), jsonFile);
  fs.renameSync(partial(pdfFile), pdfFile);
  const sections = [report.immigration, report.police, report.localGovernment];
  const held = sections.reduce((n, s) => n + s.holdings.length, 0);
  const disclosed = sections.reduce((n, s) => n + s.disclosures.length, 0);
  const verdicts = sections.map((s) => `${s.agency} ${s.verification.verdict}`).join(', ');
  process.stderr.write(
    `${foreignerId}: ${held} records held, ${disclosed} disclosures (${verdicts}); ` +
      `${pages} page${pages === 1 ? '' : 's'}, ${fs.statSync(pdfFile).size} bytes, in ` +
      `${Math.round(performance.now() - started)} ms\n  ${path.relative(cwd, pdfFile) || pdfFile}\n  ${path.relative(cwd, jsonFile) || jsonFile}\n`,
  );
  if (sections.some((s) => s.verification.verdict === 'BROKEN')) {
    process.stderr.write('subject-access: an access log is BROKEN (see the report); tell the auditor\n');
    process.exit(3);
  }
} catch (e) {
  fs.rmSync(partial(jsonFile), { force: true });
  fs.rmSync(partial(pdfFile), { force: true });
  fail(`could not write the report: ${(e as Error).message}`);
}
