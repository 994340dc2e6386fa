/**
 * `npm run token -- --agency-type POLICE --agency POLRES-OKU --jurisdiction 16.01`
 * prints a signed development token on stdout (keys are generated under data/keys on first use).
 *
 * Options: --agency-type (required), --agency (required), --jurisdiction (comma-separated
 * region prefixes, or * for national; required), --scope (comma- or space-separated; replaces
 * the agency type's default scopes), --lifetime (e.g. 30m, 8h, 7d; default 8h), --subject.
 */
import { parseArgs } from 'node:util';
import { createTokenSigner } from '../common/auth/tokens.js';
import { AGENCY_TYPES, SCOPE_NAMES, isScope, type AgencyType } from '../common/auth/policy.js';
import { loadHubConfig } from '../common/config/hub.js';

function fail(message: string): never {
  process.stderr.write(`token: ${message}\n`);
  process.exit(1);
}

export function parseLifetime(value: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(value.trim());
  if (!match) fail(`--lifetime "${value}" must be a number of seconds or like 30m, 8h, 7d`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  const seconds = Number(match[1]) * unit;
  if (seconds < 1 || seconds > 30 * 86400) fail('--lifetime must be between 1 second and 30 days');
  return seconds;
}

const { values } = parseArgs({
  options: {
    'agency-type': { type: 'string' },
    agency: { type: 'string' },
    jurisdiction: { type: 'string' },
    scope: { type: 'string' },
    lifetime: { type: 'string', default: '8h' },
    subject: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});

if (values.help) {
  process.stdout.write(
    [
      'Usage: npm run token -- --agency-type TYPE --agency CODE --jurisdiction PREFIXES [options]',
      '',
      `  --agency-type   one of ${AGENCY_TYPES.join(', ')}`,
      '  --agency        institution code, e.g. POLRES-OKU',
      '  --jurisdiction  comma-separated region-code prefixes (16.01,16.08) or * for national',
      `  --scope         comma- or space-separated scopes replacing the agency type's defaults`,
      `                  (${SCOPE_NAMES.join(', ')})`,
      '  --lifetime      seconds, or 30m, 8h, 7d (default 8h, at most 30d)',
      '  --subject       the sub claim (default dev-<agency>)',
      '',
      'Prints a signed development token on stdout; keys are generated under DATA_DIR/keys on first use.',
      '',
    ].join('\n'),
  );
  process.exit(0);
}

const agencyType = values['agency-type']?.toUpperCase();
if (!agencyType || !(AGENCY_TYPES as readonly string[]).includes(agencyType)) {
  fail(`--agency-type must be one of ${AGENCY_TYPES.join(', ')}`);
}
if (!values.agency) fail('--agency is required (the institution code, e.g. POLRES-OKU)');
if (!values.jurisdiction) fail('--jurisdiction is required (e.g. 16.01,16.08 or * for national)');
const scopes = values.scope?.split(/[\s,]+/).filter(Boolean);
const unknown = scopes?.filter((s) => !isScope(s));
if (unknown?.length) fail(`unknown scope ${unknown.join(', ')}; known scopes: ${SCOPE_NAMES.join(', ')}`);

try {
  const sign = await createTokenSigner(loadHubConfig().auth);
  const token = await sign({
    agencyType: agencyType as AgencyType,
    agency: values.agency,
    jurisdiction: values.jurisdiction
      .split(',')
      .map((j) => j.trim())
      .filter(Boolean),
    scopes: scopes?.filter(isScope),
    subject: values.subject,
    lifetimeSeconds: parseLifetime(values.lifetime),
  });
  process.stdout.write(`${token}\n`);
} catch (e) {
  fail((e as Error).message);
}
