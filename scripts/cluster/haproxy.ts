/**
 * HAProxy configurations of the cluster — the load balancer in front of the gateways, and each
 * agency's own front of its subgraph replicas — and its runtime API (a Unix socket in the state
 * directory, reachable from the machine whatever namespace HAProxy runs in).
 */
import { connect } from 'node:net';

/** Timeouts and retries both fronts share. */
const DEFAULTS = `defaults
  mode http
  option httplog
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout http-keep-alive 10s
  # a connection that fails (refused, reset before it was established) is tried again, on another
  # server after the first failure: nothing was sent, so nothing can run twice
  retries 3
  option redispatch 1
  retry-on conn-failure
  # a connection to a server per request: a server closing an idle keep-alive connection (Node
  # does after 5 s, and a replica that stops does at once) can never race a request sent on it
  option http-server-close
  default-server inter 500ms fastinter 250ms downinter 500ms rise 2 fall 2
`;

export interface Server {
  name: string;
  address: string;
  port: number;
}

/**
 * The load balancer: round robin over the gateways, health-checked on `/health` (alive). Not on
 * `/ready`: a gateway is not ready while one agency is unreachable, and taking every gateway out
 * for it would turn one agency's outage into the whole hub's.
 */
/** TLS of an HAProxy: its own certificate bundle, the CA it trusts, and the name each server's certificate must carry. */
export interface HaproxyTls {
  bundle: string;
  ca: string;
  serverName: (server: Server) => string;
}

/** A front's `bind` line: plain, HTTPS, or HTTPS requiring a client certificate of the CA. */
function bindLine(address: string, tls: HaproxyTls | null, requireClientCertificate: boolean): string {
  if (!tls) return `bind ${address}`;
  const client = requireClientCertificate ? ` ca-file ${tls.ca} verify required` : '';
  return `bind ${address} ssl crt ${tls.bundle}${client} alpn http/1.1`;
}

/** A `server` line: health-checked, and over TLS verifying the server's certificate (and presenting this HAProxy's own). */
function serverLine(server: Server, tls: HaproxyTls | null, presentCertificate: boolean): string {
  const base = `server ${server.name} ${server.address}:${server.port} check`;
  if (!tls) return base;
  const client = presentCertificate ? ` crt ${tls.bundle}` : '';
  return `${base} ssl verify required ca-file ${tls.ca} verifyhost ${tls.serverName(server)}${client}`;
}

/** One HTTP front and its backend: round robin over `servers`, health-checked on `check`. */
function frontConfig(options: {
  bind: string;
  socket: string;
  servers: Server[];
  tls: HaproxyTls | null;
  /** The front requires client certificates, and presents its own to the servers (mutual TLS both ways). */
  mutual: boolean;
  check: string;
}): string {
  return `global
  stats socket ${options.socket} mode 600 level admin
  maxconn 4096

${DEFAULTS}
frontend front
  ${bindLine(options.bind, options.tls, options.mutual)}
  default_backend servers

backend servers
  balance roundrobin
  option httpchk GET ${options.check}
  http-check expect status 200
${options.servers.map((server) => `  ${serverLine(server, options.tls, options.mutual)}`).join('\n')}
`;
}

/** The backend of both fronts, as the runtime API names it. */
export const BACKEND = 'servers';

export function loadBalancerConfig(options: {
  bind: string;
  socket: string;
  gateways: Server[];
  tls: HaproxyTls | null;
}): string {
  return frontConfig({ ...options, servers: options.gateways, mutual: false, check: '/health' });
}

/**
 * An agency's front: round robin over its subgraph replicas, health-checked on `/ready` (the
 * replica and its database). A replica being restarted is first set to drain through the
 * runtime API, so it gets no new request; see `rollingRestart` in index.ts.
 */
export function agencyFrontConfig(options: {
  bind: string;
  socket: string;
  replicas: Server[];
  tls: HaproxyTls | null;
}): string {
  return frontConfig({ ...options, servers: options.replicas, mutual: true, check: '/ready' });
}

/** Sends one command to HAProxy's runtime API and returns its answer. */
export function haproxyCommand(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const conn = connect(socket);
    let answer = '';
    conn.setTimeout(5000, () => conn.destroy(new Error(`HAProxy runtime API (${socket}) did not answer`)));
    conn.on('data', (chunk) => (answer += chunk.toString()));
    conn.on('end', () => resolve(answer));
    conn.on('error', reject);
    conn.end(`${command}\n`);
  });
}

/** One server's state and current sessions, from `show stat`. */
export async function serverStat(
  socket: string,
  backend: string,
  server: string,
): Promise<{ status: string; current: number }> {
  const csv = await haproxyCommand(socket, 'show stat');
  const lines = csv.split('\n');
  const header = lines[0]!.replace(/^# /, '').split(',');
  const row = lines.map((l) => l.split(',')).find((f) => f[0] === backend && f[1] === server);
  if (!row) throw new Error(`HAProxy has no server ${backend}/${server}`);
  const field = (name: string) => row[header.indexOf(name)] ?? '';
  return { status: field('status'), current: Number(field('scur')) };
}
