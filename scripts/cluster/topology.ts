/**
 * The cluster's hosts, addresses and ports (`npm run cluster`). Every name the cluster creates
 * on the machine starts with {@link PREFIX}, so `down` (and the next `up`) finds what a killed
 * run left behind: namespaces `tmp-<host>`, veths `tmp-v<n>`, the bridge `tmp-br0`.
 *
 * One bridge in the machine's own namespace joins the hosts (a flat /24, no routing), and gives
 * the machine itself an address on it, 10.77.0.1, from which `up`, `status` and the tests reach
 * every host.
 */
import path from 'node:path';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../common/config/services.js';
import { PROJECT_ROOT } from '../../common/project-root.js';

export const PREFIX = 'tmp-';
export const BRIDGE = `${PREFIX}br0`;
export const SUBNET_PREFIX = '10.77.0';
export const BRIDGE_ADDRESS = `${SUBNET_PREFIX}.1`;
export const STATE_DIR = path.join(PROJECT_ROOT, 'data/cluster');
/** Keys shared by the cluster's services: the DATA_DIR of every process (tokens, gateway signature, access logs). */
export const KEYS_DATA_DIR = path.join(STATE_DIR, 'shared');

export type HostName = SubgraphName | 'gateway-1' | 'gateway-2' | 'lb' | 'redis' | 'faults';

export interface Host {
  name: HostName;
  /** Network namespace. */
  namespace: string;
  address: string;
  /** The host's end of its veth pair (in the machine's namespace, enslaved to the bridge). */
  veth: string;
}

const ADDRESSES: Record<HostName, number> = {
  lb: 10,
  'gateway-1': 11,
  'gateway-2': 12,
  faults: 5,
  immigration: 21,
  police: 22,
  'local-government': 23,
  redis: 30,
};

export const HOSTS: Host[] = (Object.keys(ADDRESSES) as HostName[]).map((name, i) => ({
  name,
  namespace: `${PREFIX}${name}`,
  address: `${SUBNET_PREFIX}.${ADDRESSES[name]}`,
  veth: `${PREFIX}v${i}`,
}));

export function host(name: HostName): Host {
  return HOSTS.find((h) => h.name === name)!;
}

export const GATEWAYS = ['gateway-1', 'gateway-2'] as const;
export type GatewayHost = (typeof GATEWAYS)[number];

export const PORTS = {
  /** The load balancer's front: HTTP, or HTTPS with TLS on. */
  lb: 8080,
  lbTls: 8443,
  gateway: 4000,
  /** Each agency's FerretDB, on the agency's address (the seed reaches it from the machine). */
  ferretdb: 27017,
  ferretdbDebug: 27018,
  /** The agency's own HAProxy in front of its subgraph replicas. */
  agencyFront: 4100,
  /** Replica n of a subgraph listens on agencyReplica + n (4101, 4102). */
  agencyReplica: 4100,
  redis: 6379,
  toxiproxyApi: 8474,
} as const;

/** Where the gateways reach each agency: a Toxiproxy listener on the faults host (the fault proxy). */
export const AGENCY_PUBLIC_PORTS: Record<SubgraphName, number> = {
  immigration: 4001,
  police: 4002,
  'local-government': 4003,
};

/** Subgraph replicas per agency: two for the police, so that it can be restarted replica by replica. */
export const REPLICAS: Record<SubgraphName, number> = { immigration: 1, police: 2, 'local-government': 1 };

/** TLS between hosts and to the load balancer: `up --tls on|off`, on by default (scripts/cluster/tls.ts). */
export const DEFAULT_TLS = true;
/** The cluster's development CA and certificates (`npm run certs`), and the HAProxy bundles made from them. */
export const TLS_DIR = path.join(STATE_DIR, 'tls');
/** The DNS name in a host's certificate, which HAProxy verifies (`verifyhost`). */
export function tlsName(name: string): string {
  return `${name}.timpora.test`;
}

function scheme(tls: boolean): string {
  return tls ? 'https' : 'http';
}

export function agencyUrl(name: SubgraphName, tls: boolean): string {
  return `${scheme(tls)}://${host('faults').address}:${AGENCY_PUBLIC_PORTS[name]}/graphql`;
}

export function replicaAddress(name: SubgraphName, replica: number): { host: string; port: number } {
  return { host: host(name).address, port: PORTS.agencyReplica + replica };
}

export function lbUrl(tls: boolean): string {
  return `${scheme(tls)}://${host('lb').address}:${tls ? PORTS.lbTls : PORTS.lb}/graphql`;
}
export const TOXIPROXY_API = `http://${host('faults').address}:${PORTS.toxiproxyApi}`;
export const REDIS_URL = `redis://${host('redis').address}:${PORTS.redis}`;

export function gatewayUrl(name: GatewayHost, tls: boolean): string {
  return `${scheme(tls)}://${host(name).address}:${PORTS.gateway}/graphql`;
}

export function replicaUrl(name: SubgraphName, replica: number, tls: boolean): string {
  const own = replicaAddress(name, replica);
  return `${scheme(tls)}://${own.host}:${own.port}/graphql`;
}

export { SUBGRAPH_NAMES };
