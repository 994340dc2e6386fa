/**
 * `npm run certs -- --out DIR NAME=HOST[,HOST…] …`: a development CA in DIR (made on first use,
 * reused after) and, for each NAME, a new ECDSA P-256 key and certificate valid 90 days for the
 * DNS names and IP addresses listed: DIR/NAME.crt and DIR/NAME.key (mode 0600), beside
 * DIR/ca.crt, the bundle every service trusts (TLS_CA_FILE). Running it again for a service
 * rotates that service's certificate; then send the service SIGHUP (README, "TLS between hosts").
 *
 * Example: npm run certs -- --out data/tls gateway-1=10.77.0.11,gateway-1.timpora.test \
 *            immigration=10.77.0.21,immigration.timpora.test
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { invocationDirectory } from '../common/config/hub.js';
import { CA_CERT, SERVICE_DAYS, ensureCa, issueCertificate, parseServiceHost } from './certs/issue.js';

const USAGE = [
  'Usage: npm run certs -- --out DIR NAME=HOST[,HOST…] [NAME=HOST[,HOST…] …] [--days N]',
  '',
  '  --out DIR   where the CA (ca.crt, ca.key) and the certificates (NAME.crt, NAME.key) are written;',
  '              the CA is made on first use and reused afterwards',
  '  NAME=HOSTS  a service and the DNS names and IP addresses it is reached by (its SANs),',
  '              e.g. immigration=10.77.0.21,immigration.timpora.test; --hosts before them is optional',
  `  --days N    validity of the service certificates (default ${SERVICE_DAYS}; the CA: 10 years)`,
  '',
  'Issuing again for a service rotates its certificate (same CA, new key and serial); send it SIGHUP.',
  '',
].join('\n');

function fail(message: string): never {
  process.stderr.write(`certs: ${message}\n\n${USAGE}`);
  process.exit(1);
}

const { values, positionals } = parseArgs({
  options: {
    out: { type: 'string' },
    hosts: { type: 'string', multiple: true },
    days: { type: 'string', default: String(SERVICE_DAYS) },
    help: { type: 'boolean', short: 'h', default: false },
  },
  allowPositionals: true,
  strict: true,
});

if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (!values.out) fail('--out DIR is required');
const days = Number(values.days);
if (!Number.isInteger(days) || days < 1 || days > 825)
  fail(`--days "${values.days}" must be a whole number from 1 to 825`);
const args = [...(values.hosts ?? []), ...positionals];
if (args.length === 0) fail('name at least one service, e.g. gateway=127.0.0.1,localhost');
let hosts;
try {
  hosts = args.map(parseServiceHost);
} catch (e) {
  fail((e as Error).message);
}
const dir = path.resolve(invocationDirectory(), values.out);
try {
  if (await ensureCa(dir)) process.stdout.write(`Made a development CA: ${path.join(dir, CA_CERT)} (10 years)\n`);
  else process.stdout.write(`Using the CA in ${path.join(dir, CA_CERT)}\n`);
  for (const host of hosts) {
    const issued = await issueCertificate(dir, host, days);
    process.stdout.write(
      `${issued.name}: ${issued.certFile} (serial ${issued.serial}, until ${issued.validTo}; ${issued.subjectAltName})\n`,
    );
  }
} catch (e) {
  process.stderr.write(`certs: ${(e as Error).message}\n`);
  process.exit(1);
}
