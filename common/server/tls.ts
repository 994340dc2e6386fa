/**
 * TLS of one service (README, "TLS between hosts"): the certificate it listens with (HTTPS,
 * and mutual TLS on a subgraph) and presents as its client certificate to every service it
 * calls, and the CAs it trusts for those peers. Every call a service makes to another — the
 * gateway's subgraph fetches and readiness checks, a subgraph's witness fetches — goes through
 * {@link ServiceTls.fetch}: undici's fetch over one keep-alive `Agent` carrying the client
 * certificate and the CAs — or, for the gateway's subgraph fetches, {@link ServiceTls.post} over
 * the same agent (and {@link ServiceTls.postOnNewConnection}, its retry of a fetch whose pooled
 * connection was lost). Hostnames are verified (the certificates carry each host's DNS
 * names and IP addresses).
 *
 * Rotation without downtime: `reload()` (SIGHUP, common/server/main.ts) reads the files again
 * and swaps the new context in — `setSecureContext` on the listener, which new handshakes use
 * while open connections go on, and a new `Agent` for outbound calls, the old one closed once
 * its in-flight requests are done. Files that do not make a usable context (unreadable, a key
 * that is not the certificate's, an expired certificate) are logged and the old context kept.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import fs from 'node:fs/promises';
import { STATUS_CODES } from 'node:http';
import type https from 'node:https';
import path from 'node:path';
import tls from 'node:tls';
import { Agent, fetch as undiciFetch, type Dispatcher } from 'undici';
import type { TlsConfig } from '../config/tls.js';
import type { Logger } from '../logger.js';

/** How long an outbound agent that was replaced stays open for requests handed to it just before the swap. */
const AGENT_RETIRE_DELAY_MS = 1000;

/** What was read from the files: the PEM texts and what the logs say about the certificate. */
export interface TlsMaterial {
  cert: string | null;
  key: string | null;
  ca: string | null;
  /** The service certificate's serial number (hex, upper case), or null without one. */
  serial: string | null;
  /** When it expires (ISO 8601), or null without one. */
  validTo: string | null;
  /** The DNS names and IP addresses it is valid for. */
  subjectAltName: string | null;
}

async function readPem(file: string, variable: string): Promise<string> {
  try {
    return await fs.readFile(path.resolve(file), 'utf8');
  } catch (e) {
    throw new Error(
      `${variable} ${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
}

/**
 * Reads and checks the files of `config`: the certificate parses, has not expired and matches
 * the key; the CA bundle parses. Throws an error naming the variable and the file otherwise.
 */
export async function readTlsMaterial(config: TlsConfig, now = new Date()): Promise<TlsMaterial> {
  const ca = config.caFile ? await readPem(config.caFile, 'TLS_CA_FILE') : null;
  if (ca !== null) {
    try {
      tls.createSecureContext({ ca });
      new X509Certificate(ca);
    } catch (e) {
      throw new Error(`TLS_CA_FILE ${config.caFile}: not a PEM bundle of CA certificates (${(e as Error).message})`);
    }
  }
  if (!config.identity) return { cert: null, key: null, ca, serial: null, validTo: null, subjectAltName: null };
  const { certFile, keyFile } = config.identity;
  const [cert, key] = await Promise.all([readPem(certFile, 'TLS_CERT_FILE'), readPem(keyFile, 'TLS_KEY_FILE')]);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (e) {
    throw new Error(`TLS_CERT_FILE ${certFile}: not a PEM certificate (${(e as Error).message})`);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch (e) {
    throw new Error(`TLS_KEY_FILE ${keyFile}: not a PEM private key (${(e as Error).message})`);
  }
  if (!x509.checkPrivateKey(privateKey)) {
    throw new Error(`TLS_KEY_FILE ${keyFile}: is not the private key of the certificate in ${certFile}`);
  }
  const validTo = new Date(x509.validTo);
  if (validTo <= now) throw new Error(`TLS_CERT_FILE ${certFile}: expired on ${validTo.toISOString()}`);
  try {
    tls.createSecureContext({ cert, key, ...(ca ? { ca } : {}) });
  } catch (e) {
    throw new Error(`TLS_CERT_FILE ${certFile}: cannot be used with ${keyFile} (${(e as Error).message})`);
  }
  return {
    cert,
    key,
    ca,
    serial: x509.serialNumber.toUpperCase(),
    validTo: validTo.toISOString(),
    subjectAltName: x509.subjectAltName ?? null,
  };
}

/** The outbound agent of `material`: keep-alive connections, the client certificate and the trusted CAs. */
function agentOf(material: TlsMaterial): Agent {
  return new Agent({
    connect: {
      ...(material.cert && material.key ? { cert: material.cert, key: material.key } : {}),
      ...(material.ca ? { ca: material.ca } : {}),
    },
  });
}

/** The fetch every service-to-service call goes through. */
export type ServiceFetch = (
  url: string | URL,
  init?: Parameters<typeof undiciFetch>[1],
) => ReturnType<typeof undiciFetch>;

/** What {@link ServiceTls.post} sends: a POST's headers (lower-case names), body and abort signal. */
export interface ServicePostInit {
  headers: Record<string, string>;
  body: string;
  signal?: AbortSignal;
}

/**
 * The answer of {@link ServiceTls.post}, its body read whole: the part of fetch's `Response` a
 * caller of a GraphQL service reads (status, headers, `text()`, `json()`).
 */
export interface ServiceResponse {
  readonly url: string;
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
  json(): Promise<unknown>;
}

/** A POST through undici's `request`, its body read whole. */
export type ServicePost = (url: string, init: ServicePostInit) => Promise<ServiceResponse>;

/**
 * A POST over `dispatcher` with undici's `request` rather than its `fetch`: the same connection
 * pool, without the WHATWG Request, Response and streams fetch builds around each call (a
 * quarter of the gateway's CPU time per request went to them). No redirects are followed and no
 * compressed answer is asked for, as a subgraph sends neither. Rejects, like fetch, on a lost
 * connection (undici's error itself, e.g. `UND_ERR_SOCKET`, `ECONNRESET`) or with the signal's
 * reason once it is aborted (the gateway's timer aborts with a `TimeoutError`).
 */
async function postOver(dispatcher: Dispatcher, url: string, init: ServicePostInit): Promise<ServiceResponse> {
  const target = new URL(url);
  const response = await dispatcher.request({
    origin: target.origin,
    path: `${target.pathname}${target.search}`,
    method: 'POST',
    headers: init.headers,
    body: init.body,
    signal: init.signal,
  });
  const text = await response.body.text();
  const headers = response.headers;
  const status = response.statusCode;
  return {
    url,
    status,
    statusText: STATUS_CODES[status] ?? '',
    ok: status >= 200 && status < 300,
    headers: {
      get: (name) => {
        const value = headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
    text: async () => text,
    json: async () => JSON.parse(text) as unknown,
  };
}

/** undici's fetch on its global agent: for a caller without a certificate of its own (keep-alive, Node's default CAs). */
export const plainFetch: ServiceFetch = (url, init) => undiciFetch(url, init);

/** What a reload did: the certificate now served, or why the old one was kept. */
export type TlsReload =
  { reloaded: true; serial: string | null; validTo: string | null } | { reloaded: false; error: string };

/** A short reason for a failed TLS handshake with a peer, naming what to check; null when it was no TLS failure. */
export function tlsFailureReason(error: unknown): string | null {
  let e = error as { code?: unknown; cause?: unknown; message?: unknown } | undefined;
  for (let depth = 0; e && depth < 4; depth += 1, e = e.cause as typeof e) {
    const code = typeof e.code === 'string' ? e.code : '';
    const text = typeof e.message === 'string' ? e.message : '';
    if (/UNABLE_TO_VERIFY|SELF_SIGNED|CERT_UNTRUSTED|UNABLE_TO_GET_ISSUER/.test(code)) {
      return `TLS: its certificate is not signed by a CA of TLS_CA_FILE (${code})`;
    }
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
      return `TLS: its certificate is not valid for this host name (${code})`;
    if (code === 'CERT_HAS_EXPIRED') return `TLS: its certificate has expired (${code})`;
    if (/ALERT_CERTIFICATE_REQUIRED|ALERT_UNKNOWN_CA|ALERT_BAD_CERTIFICATE|ALERT_HANDSHAKE_FAILURE/.test(code + text)) {
      return `TLS: it refused this service's client certificate (${code || text})`;
    }
    if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/.test(text)) {
      return `TLS: it does not speak TLS at this address (${code || 'wrong version number'})`;
    }
  }
  return null;
}

/**
 * The TLS state of one service: the listener's options and the outbound fetch, both swapped by
 * `reload()`. Without TLS configured it still gives the outbound fetch (plain keep-alive HTTP,
 * Node's default CAs for an https URL).
 */
export class ServiceTls {
  private agent: Agent;
  private listener: https.Server | null = null;

  private constructor(
    private readonly config: TlsConfig,
    private material: TlsMaterial,
    private readonly log: Logger,
  ) {
    this.agent = agentOf(material);
  }

  /** Reads the files (throwing an error that names the file when one is wrong) and logs the certificate served. */
  static async load(config: TlsConfig, log: Logger): Promise<ServiceTls> {
    const material = await readTlsMaterial(config);
    if (material.serial) {
      log.info(
        { serial: material.serial, validTo: material.validTo, subjectAltName: material.subjectAltName },
        'TLS certificate loaded',
      );
    }
    return new ServiceTls(config, material, log);
  }

  /** Whether the service listens with HTTPS. */
  get enabled(): boolean {
    return this.material.cert !== null;
  }

  /** The certificate served now (serial, expiry). */
  get current(): Pick<TlsMaterial, 'serial' | 'validTo'> {
    return { serial: this.material.serial, validTo: this.material.validTo };
  }

  /** Options of `https.createServer`: the certificate, and the client certificate required when `TLS_CLIENT_AUTH=require`. */
  serverOptions(): https.ServerOptions {
    const requireClient = this.config.clientAuth === 'require';
    return {
      cert: this.material.cert!,
      key: this.material.key!,
      ...(this.material.ca ? { ca: this.material.ca } : {}),
      requestCert: requireClient,
      rejectUnauthorized: requireClient,
      minVersion: 'TLSv1.2',
    };
  }

  /** The HTTPS server whose context `reload()` replaces. */
  attach(server: https.Server): void {
    this.listener = server;
  }

  /** undici's fetch over the current agent (client certificate, trusted CAs, keep-alive). */
  readonly fetch: ServiceFetch = (url, init) => undiciFetch(url, { ...init, dispatcher: this.agent });

  /** A POST over the current agent, its answer read whole (the gateway's subgraph fetches): {@link postOver}. */
  readonly post: ServicePost = (url, init) => postOver(this.agent, url, init);

  /**
   * The same POST on a connection of its own, never one of the pool's: for a retry after the
   * pool's connection was lost (the pool's other idle connections to that peer may be as stale).
   * Its agent closes once the response has been read.
   */
  readonly postOnNewConnection: ServicePost = async (url, init) => {
    const agent = agentOf(this.material);
    try {
      return await postOver(agent, url, init);
    } finally {
      void agent.close().catch(() => agent.destroy());
    }
  };

  /**
   * Reads the files again and swaps the new certificate, key and CAs in; a file that does not
   * make a usable context is logged and the old context kept. Never throws.
   */
  async reload(): Promise<TlsReload> {
    let material: TlsMaterial;
    try {
      material = await readTlsMaterial(this.config);
    } catch (e) {
      const error = (e as Error).message;
      this.log.error({ err: error, serial: this.material.serial }, 'TLS reload refused; the current certificate stays');
      return { reloaded: false, error };
    }
    if (this.listener && material.cert && material.key) {
      this.listener.setSecureContext({
        cert: material.cert,
        key: material.key,
        ...(material.ca ? { ca: material.ca } : {}),
      });
    }
    const retired = this.agent;
    this.agent = agentOf(material);
    // requests handed to the old agent just before the swap still go out on it; it closes once they are done
    setTimeout(() => void retired.close().catch(() => retired.destroy()), AGENT_RETIRE_DELAY_MS).unref();
    const previous = this.material.serial;
    this.material = material;
    this.log.info(
      { serial: material.serial, previousSerial: previous, validTo: material.validTo },
      'TLS certificate and CAs reloaded',
    );
    return { reloaded: true, serial: material.serial, validTo: material.validTo };
  }

  /** Closes the outbound connections (the service is stopping). */
  async close(): Promise<void> {
    await this.agent.close().catch(() => this.agent.destroy());
  }
}
