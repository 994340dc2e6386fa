/**
 * `npm run cluster -- up|down|status|token ROLE|restart AGENCY`: the hub as agencies deploy it,
 * on one machine, in network namespaces (scripts/cluster/index.ts; README, "Cluster").
 *
 *   up [--seed N] [--tls on|off]
 *                     bring it up (N fictional foreigners, default 1000) and print the LB's URL;
 *                     TLS between hosts and to the LB (scripts/cluster/tls.ts)
 *   down              stop every process, delete namespaces, veths and data/cluster
 *   status            each host's processes: pid, whether it answers, resident memory
 *   token ROLE        a token for a development role (agency code, e.g. POLRES-OKU), signed
 *                     with the cluster's key (the gateway mints none off loopback)
 *   restart AGENCY    rolling restart of an agency's subgraph replicas (zero failed requests)
 */
import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DEVELOPMENT_ROLES } from '../common/auth/development-roles.js';
import { createTokenSigner } from '../common/auth/tokens.js';
import { loadHubConfig } from '../common/config/hub.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../common/config/services.js';
import { Cluster, teardown, up } from './cluster/index.js';
import { isAlive, probe, readState } from './cluster/processes.js';
import { clusterUnavailableReason } from './cluster/net.js';
import { DEFAULT_TLS, KEYS_DATA_DIR, TOXIPROXY_API } from './cluster/topology.js';

const out = (m: string) => process.stdout.write(`${m}\n`);
const fail = (m: string): never => {
  process.stderr.write(`cluster: ${m}\n`);
  process.exit(1);
};

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { seed: { type: 'string', default: '1000' }, tls: { type: 'string', default: DEFAULT_TLS ? 'on' : 'off' } },
});
const [command, argument] = positionals;

async function sign(role: string | undefined): Promise<string> {
  const found = DEVELOPMENT_ROLES.find((r) => r.agency.toLowerCase() === role?.toLowerCase());
  if (!found) fail(`token needs a role: one of ${[...new Set(DEVELOPMENT_ROLES.map((r) => r.agency))].join(', ')}`);
  const signer = await createTokenSigner(loadHubConfig({ DATA_DIR: KEYS_DATA_DIR, JWT_DEV_KEYS: 'true' }).auth);
  const { label: _label, ...request } = found!;
  return signer(request);
}

async function status(): Promise<void> {
  const state = await readState();
  if (!state) {
    out('No cluster (data/cluster/state.json is absent). `npm run cluster -- up` starts one.');
    return;
  }
  out(`Load balancer: ${state.lbUrl}`);
  out(`${'host'.padEnd(18)}${'process'.padEnd(14)}${'pid'.padEnd(9)}${'health'.padEnd(10)}${'RSS MB'.padEnd(8)}probe`);
  let total = 0;
  for (const p of state.processes) {
    const alive = isAlive(p.pid);
    const answers = alive && (await probe(p.probe));
    const rss = await fs.readFile(`/proc/${p.pid}/status`, 'utf8').then(
      (s) => Number(/VmRSS:\s+(\d+)/.exec(s)?.[1] ?? 0) / 1024,
      () => 0,
    );
    total += rss;
    const health = !alive ? 'dead' : answers ? 'ok' : 'failing';
    out(
      `${p.host.padEnd(18)}${p.name.padEnd(14)}${String(p.pid).padEnd(9)}${health.padEnd(10)}${rss.toFixed(0).padEnd(8)}${p.probe}`,
    );
  }
  out(`Resident memory, all processes: ${total.toFixed(0)} MB`);
}

async function main(): Promise<void> {
  if (command === 'token') {
    out(await sign(argument));
    return;
  }
  if (!['up', 'down', 'status', 'restart'].includes(command ?? '')) {
    fail('usage: npm run cluster -- up [--seed N] | down | status | token ROLE | restart AGENCY');
  }
  const unavailable = await clusterUnavailableReason();
  if (unavailable) fail(unavailable);
  if (command === 'down') {
    await teardown(out);
    out('Cluster removed (processes, namespaces, veths, data/cluster).');
    return;
  }
  if (command === 'status') return status();
  if (command === 'restart') {
    if (!SUBGRAPH_NAMES.includes(argument as SubgraphName))
      fail(`restart needs an agency: ${SUBGRAPH_NAMES.join(', ')}`);
    const state = await readState();
    if (!state) fail('no cluster is running');
    const cluster = new Cluster(out, state!.tls);
    cluster.processes.push(...state!.processes);
    await cluster.rollingRestart(argument as SubgraphName);
    out(`${argument}: every replica restarted.`);
    return;
  }
  const seedCount = Number(values.seed);
  if (!Number.isInteger(seedCount) || seedCount < 1 || seedCount > 200_000) fail('--seed must be 1 to 200000');
  // an interrupted start removes what it made
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      out(`\n${signal}: removing the half-started cluster…`);
      void teardown(out).then(() => process.exit(130));
    });
  }
  if (values.tls !== 'on' && values.tls !== 'off') fail('--tls must be on or off');
  const tls = values.tls === 'on';
  const started = Date.now();
  let cluster: Cluster;
  try {
    cluster = await up({ seedCount, tls, log: out });
  } catch (e) {
    if (stopping) return;
    fail(`${(e as Error).message}\nThe cluster was removed.`);
  }
  const lb = cluster!.lbUrl;
  const curlTls = tls ? ` --cacert data/cluster/tls/ca.crt` : '';
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const memory = (await Cluster.residentMemory()) / 1024 / 1024;
  out(`\nCluster up in ${seconds} s; ${memory.toFixed(0)} MB resident in all its processes.`);
  out(`Load balancer: ${lb}   (TLS ${tls ? 'on' : 'off'}; Toxiproxy API: ${TOXIPROXY_API})`);
  out('\nTry:');
  out('  TOKEN=$(npm run -s cluster -- token POLRES-OKU)');
  out(
    `  curl -s${curlTls} ${lb} -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" -H 'x-purpose: demo' ` +
      `-d '{"query":"{ foreigners(first: 3, filter: {regionCode: \\"16.01\\"}) { totalCount nodes { fullName nationality } } }"}'`,
  );
  out('\n`npm run cluster -- status` shows every process; `npm run cluster -- down` removes it all.');
  process.exit(0);
}

await main();
