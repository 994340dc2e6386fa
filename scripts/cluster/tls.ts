/**
 * TLS in the cluster (`up --tls on`): a development CA and a certificate per host from the hub's
 * own `npm run certs` (scripts/certs.ts), issued into data/cluster/tls on every `up`:
 *
 * - the load balancer serves HTTPS to clients and reaches the gateways over HTTPS, verifying
 *   their certificates (HAProxy `ssl verify required`);
 * - the gateways reach each agency over mutual TLS: their client certificate, the agency's
 *   server certificate — through Toxiproxy, which passes the TLS stream on untouched;
 * - each agency's HAProxy ends that mutual TLS (only certificates of the cluster's CA get in)
 *   and opens mutual TLS of its own to its subgraph replicas, so it can still drain a replica
 *   request by request for a rolling restart;
 * - this process (`up`, `status`, the tests) presents an `operator` certificate where a client
 *   certificate is required.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { Agent, setGlobalDispatcher } from 'undici';
import { PROJECT_ROOT } from '../../common/project-root.js';
import { BRIDGE_ADDRESS, GATEWAYS, SUBGRAPH_NAMES, TLS_DIR, host, tlsName } from './topology.js';

const run = promisify(execFile);
const CERTS_SCRIPT = path.join(PROJECT_ROOT, 'scripts/certs.ts');

/** Whether this checkout has the hub's TLS support (`npm run certs`, the services' `TLS_*` variables). */
export async function tlsSupported(): Promise<boolean> {
  return fs.access(CERTS_SCRIPT).then(
    () => true,
    () => false,
  );
}

export interface TlsFiles {
  ca: string;
  cert: string;
  key: string;
  /** Certificate, then key, in one file: what HAProxy's `crt` takes. */
  bundle: string;
}

export function tlsFiles(name: string): TlsFiles {
  return {
    ca: path.join(TLS_DIR, 'ca.crt'),
    cert: path.join(TLS_DIR, `${name}.crt`),
    key: path.join(TLS_DIR, `${name}.key`),
    bundle: path.join(TLS_DIR, `${name}.pem`),
  };
}

/** The certificate of each agency's front names the address the gateways dial: the fault proxy's. */
export function agencyFrontName(agency: string): string {
  return `${agency}-front`;
}

/** Issues the CA and every host's certificate with `npm run certs`, and HAProxy's bundles. */
export async function issueClusterCertificates(): Promise<void> {
  if (!(await tlsSupported())) {
    throw new Error(
      'TLS needs the hub’s TLS support (scripts/certs.ts and the services’ TLS_* variables), which this ' +
        'checkout does not have yet; run `npm run cluster -- up --tls off`.',
    );
  }
  const faults = host('faults').address;
  const services: [string, string[]][] = [
    ['lb', [host('lb').address, tlsName('lb')]],
    ...GATEWAYS.map((g): [string, string[]] => [g, [host(g).address, tlsName(g)]]),
    ...SUBGRAPH_NAMES.flatMap((a): [string, string[]][] => [
      [agencyFrontName(a), [faults, host(a).address, tlsName(agencyFrontName(a))]],
      [a, [host(a).address, tlsName(a)]],
    ]),
    ['operator', [BRIDGE_ADDRESS, tlsName('operator')]],
  ];
  const args = services.map(([name, names]) => `${name}=${names.join(',')}`);
  try {
    await run(process.execPath, ['--import', 'tsx', CERTS_SCRIPT, '--out', TLS_DIR, ...args], { cwd: PROJECT_ROOT });
  } catch (e) {
    const err = e as Error & { stderr?: string };
    throw new Error(`npm run certs failed: ${err.stderr?.trim() || err.message}`);
  }
  for (const [name] of services) {
    const files = tlsFiles(name);
    const pem = (await fs.readFile(files.cert, 'utf8')) + (await fs.readFile(files.key, 'utf8'));
    await fs.writeFile(files.bundle, pem, { mode: 0o600 });
  }
}

/** The `TLS_*` variables of a service of the cluster. */
export function tlsEnv(name: string): NodeJS.ProcessEnv {
  const files = tlsFiles(name);
  return { TLS_CERT_FILE: files.cert, TLS_KEY_FILE: files.key, TLS_CA_FILE: files.ca };
}

/** The dispatcher that trusts the cluster's CA and presents the operator's certificate, once `trustClusterCa` ran. */
let operatorAgent: Agent | undefined;

/**
 * Makes this process trust the cluster's CA and present the operator's client certificate:
 * undici's global dispatcher, and `clusterDispatcher()` for callers that pass it explicitly
 * (under Jest, Node's own fetch does not see a global dispatcher set from a test's module).
 */
export async function trustClusterCa(): Promise<void> {
  const files = tlsFiles('operator');
  const [ca, cert, key] = await Promise.all([files.ca, files.cert, files.key].map((f) => fs.readFile(f, 'utf8')));
  operatorAgent = new Agent({ connect: { ca, cert, key } });
  setGlobalDispatcher(operatorAgent);
}

/** What a request into the cluster goes through: the operator's TLS agent, or undefined (plain HTTP: undici's default). */
export function clusterDispatcher(): Agent | undefined {
  return operatorAgent;
}
