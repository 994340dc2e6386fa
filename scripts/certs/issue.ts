/**
 * A development CA and per-service certificates for TLS between hosts, made with openssl
 * (README, "TLS between hosts"). ECDSA P-256 keys; the CA is valid for 10 years, each service
 * certificate for 90 days, for the DNS names and IP addresses given (its SANs) and for both
 * server and client authentication (the same certificate serves a subgraph's HTTPS and is the
 * gateway's client certificate). Keys are written with mode 0600.
 *
 * The CA is made once per directory and reused: issuing again for a service makes a new key and
 * certificate (new serial) from the same CA, which is how a certificate is rotated. Files are
 * replaced by rename, so a service reading them on SIGHUP sees the old pair or the new one,
 * never half of one (the key is replaced first: a reload between the two renames is refused as
 * a mismatch and the old context kept; the next SIGHUP takes the new pair).
 */
import { execFile } from 'node:child_process';
import { X509Certificate, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const CA_DAYS = 3650;
export const SERVICE_DAYS = 90;
export const CA_CERT = 'ca.crt';
export const CA_KEY = 'ca.key';

/** One service to certify: its name (the files' names and the certificate's CN) and the names it is reached by. */
export interface ServiceHost {
  name: string;
  /** DNS names and IP addresses (SANs); at least one. */
  sans: string[];
}

export interface IssuedCertificate {
  name: string;
  certFile: string;
  keyFile: string;
  serial: string;
  validTo: string;
  subjectAltName: string;
}

/** `gateway=10.77.0.10,gateway.timpora.test` → `{ name: 'gateway', sans: ['10.77.0.10', 'gateway.timpora.test'] }`. */
export function parseServiceHost(arg: string): ServiceHost {
  const match = /^([A-Za-z0-9][A-Za-z0-9_.-]{0,62})=(.+)$/.exec(arg);
  if (!match) {
    throw new Error(`"${arg}": expected NAME=HOST[,HOST…], e.g. immigration=10.77.0.21,immigration.timpora.test`);
  }
  const sans = match[2]!
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const san of sans) {
    if (!isIP(san) && !/^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/.test(san)) {
      throw new Error(`"${san}" (for ${match[1]}) is neither an IP address nor a DNS name`);
    }
  }
  if (sans.length === 0) throw new Error(`"${arg}": name at least one DNS name or IP address`);
  return { name: match[1]!, sans };
}

const serial = () =>
  `0x${randomBytes(16)
    .toString('hex')
    .replace(/^./, (c) => (parseInt(c, 16) & 0x7).toString(16))}`;

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args, { maxBuffer: 1 << 20 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`openssl ${args[0]} failed: ${(err.stderr || err.message).trim()}`);
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

/** Makes the CA in `dir` unless it is there; returns whether it was made now. */
export async function ensureCa(dir: string): Promise<boolean> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const cert = path.join(dir, CA_CERT);
  const key = path.join(dir, CA_KEY);
  const [hasCert, hasKey] = await Promise.all([exists(cert), exists(key)]);
  if (hasCert && hasKey) return false;
  if (hasCert || hasKey)
    throw new Error(`${dir} holds only one of ${CA_CERT} and ${CA_KEY}; remove it or restore the other`);
  // prettier-ignore
  await openssl([
    'req', '-x509', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', key, '-out', cert, '-days', String(CA_DAYS), '-sha256', '-set_serial', serial(),
    '-subj', '/O=TIMPORA Hub/CN=TIMPORA Hub development CA',
    '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await fs.chmod(key, 0o600);
  return true;
}

/** Issues a new key and certificate for `host` from the CA in `dir` (rotating any earlier pair). */
export async function issueCertificate(
  dir: string,
  host: ServiceHost,
  days = SERVICE_DAYS,
): Promise<IssuedCertificate> {
  const certFile = path.join(dir, `${host.name}.crt`);
  const keyFile = path.join(dir, `${host.name}.key`);
  const work = await fs.mkdtemp(path.join(dir, `.${host.name}-`));
  try {
    const key = path.join(work, 'key.pem');
    const csr = path.join(work, 'req.csr');
    const crt = path.join(work, 'cert.pem');
    const ext = path.join(work, 'ext.cnf');
    const sans = host.sans.map((s) => (isIP(s) ? `IP:${s}` : `DNS:${s}`)).join(',');
    await fs.writeFile(
      ext,
      [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature',
        'extendedKeyUsage=serverAuth,clientAuth',
        `subjectAltName=${sans}`,
        'subjectKeyIdentifier=hash',
        'authorityKeyIdentifier=keyid',
        '',
      ].join('\n'),
    );
    await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]);
    await fs.chmod(key, 0o600);
    await openssl(['req', '-new', '-key', key, '-subj', `/O=TIMPORA Hub/CN=${host.name}`, '-out', csr]);
    // prettier-ignore
    await openssl([
      'x509', '-req', '-in', csr, '-CA', path.join(dir, CA_CERT), '-CAkey', path.join(dir, CA_KEY),
      '-set_serial', serial(), '-days', String(days), '-sha256', '-extfile', ext, '-out', crt,
    ]);
    await fs.rename(key, keyFile);
    await fs.rename(crt, certFile);
    const x509 = new X509Certificate(await fs.readFile(certFile));
    return {
      name: host.name,
      certFile,
      keyFile,
      serial: x509.serialNumber.toUpperCase(),
      validTo: new Date(x509.validTo).toISOString(),
      subjectAltName: x509.subjectAltName ?? '',
    };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}
