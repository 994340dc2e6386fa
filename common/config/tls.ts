import { z } from 'zod';
import { ConfigError, parse, type Env } from './parse.js';

/**
 * TLS of one service (README, "TLS between hosts"): its own certificate, which it listens with
 * (HTTPS) and presents to the services it calls (mutual TLS), and the CAs it trusts for its peers.
 * The files are read at start-up and again on SIGHUP (common/server/tls.ts), so a certificate is
 * rotated without a restart.
 */
export interface TlsConfig {
  /** PEM certificate (chain) and private key (`TLS_CERT_FILE`, `TLS_KEY_FILE`); null: plain HTTP, and no client certificate. */
  identity: { certFile: string; keyFile: string } | null;
  /** PEM bundle of the CAs trusted for peers (`TLS_CA_FILE`); null: Node's default CAs. */
  caFile: string | null;
  /**
   * Whether the listener refuses, at the TLS handshake, a client without a certificate signed by
   * `caFile` (`TLS_CLIENT_AUTH`): `require` by default on a subgraph with a CA, `none` on the gateway.
   */
  clientAuth: 'require' | 'none';
}

/**
 * `TLS_CERT_FILE` and `TLS_KEY_FILE` (both or neither), `TLS_CA_FILE` and `TLS_CLIENT_AUTH`.
 * `role` sets the default of `TLS_CLIENT_AUTH`: a subgraph with a CA requires client
 * certificates; the gateway, which clients and the load balancer reach, does not.
 */
export function loadTlsConfig(env: Env, role: 'gateway' | 'subgraph'): TlsConfig {
  const file = z.string().min(1, 'must be a file path (PEM)').optional();
  const shape = {
    TLS_CERT_FILE: file,
    TLS_KEY_FILE: file,
    TLS_CA_FILE: file,
    TLS_CLIENT_AUTH: z.enum(['require', 'none'], { error: 'must be require or none' }).optional(),
  };
  // a variable set to nothing (`TLS_CA_FILE=` in an env file) counts as unset
  const set = Object.fromEntries(Object.keys(shape).map((k) => [k, env[k] || undefined]));
  const c = parse(z.object(shape), set);
  const problems: string[] = [];
  if (Boolean(c.TLS_CERT_FILE) !== Boolean(c.TLS_KEY_FILE)) {
    const [set, missing] = c.TLS_CERT_FILE ? ['TLS_CERT_FILE', 'TLS_KEY_FILE'] : ['TLS_KEY_FILE', 'TLS_CERT_FILE'];
    problems.push(
      `${missing}: required with ${set}: a service listens with HTTPS only with both its certificate and its private key ` +
        `(${set} is "${env[set]}")`,
    );
  }
  const identity = c.TLS_CERT_FILE && c.TLS_KEY_FILE ? { certFile: c.TLS_CERT_FILE, keyFile: c.TLS_KEY_FILE } : null;
  const clientAuth = c.TLS_CLIENT_AUTH ?? (role === 'subgraph' && identity && c.TLS_CA_FILE ? 'require' : 'none');
  if (clientAuth === 'require' && !c.TLS_CA_FILE) {
    problems.push(
      'TLS_CLIENT_AUTH: require needs TLS_CA_FILE, the CA that signs the certificates of the clients let in (got "require")',
    );
  }
  if (clientAuth === 'require' && !c.TLS_CERT_FILE && !c.TLS_KEY_FILE) {
    problems.push('TLS_CLIENT_AUTH: require needs TLS_CERT_FILE and TLS_KEY_FILE: the service must listen with HTTPS');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { identity, caFile: c.TLS_CA_FILE ?? null, clientAuth };
}
