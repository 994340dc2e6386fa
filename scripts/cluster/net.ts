/**
 * The cluster's network: a namespace per host, a veth pair from each into the bridge. Everything
 * is named with the topology's prefix; {@link removeNetwork} deletes whatever carries it,
 * whether this run made it or a killed one did.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BRIDGE, BRIDGE_ADDRESS, HOSTS, PREFIX } from './topology.js';

const run = promisify(execFile);

async function ip(...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('ip', args);
    return stdout;
  } catch (e) {
    const err = e as Error & { stderr?: string };
    throw new Error(`ip ${args.join(' ')}: ${err.stderr?.trim() || err.message}`);
  }
}

/** Why the cluster cannot run here, or null: it needs root and `ip netns`. */
export async function clusterUnavailableReason(): Promise<string | null> {
  if (process.getuid?.() !== 0) return 'the cluster needs root (network namespaces)';
  try {
    await run('ip', ['netns', 'list']);
  } catch (e) {
    return `\`ip netns\` is unavailable: ${(e as Error).message}`;
  }
  return null;
}

/** The namespaces carrying the prefix, made by this run or an earlier one. */
export async function clusterNamespaces(): Promise<string[]> {
  const out = await ip('netns', 'list');
  return out
    .split('\n')
    .map((line) => line.split(' ')[0]!)
    .filter((name) => name.startsWith(PREFIX));
}

/** The pids of the processes running in a namespace. */
export async function pidsIn(namespace: string): Promise<number[]> {
  const out = await ip('netns', 'pids', namespace).catch(() => '');
  return out.split(/\s+/).filter(Boolean).map(Number);
}

export async function createNetwork(): Promise<void> {
  await ip('link', 'add', BRIDGE, 'type', 'bridge');
  await ip('addr', 'add', `${BRIDGE_ADDRESS}/24`, 'dev', BRIDGE);
  await ip('link', 'set', BRIDGE, 'up');
  for (const h of HOSTS) {
    await ip('netns', 'add', h.namespace);
    await ip('link', 'add', h.veth, 'type', 'veth', 'peer', 'name', `${h.veth}p`);
    await ip('link', 'set', `${h.veth}p`, 'netns', h.namespace);
    await ip('link', 'set', h.veth, 'master', BRIDGE);
    await ip('link', 'set', h.veth, 'up');
    const inside = (...args: string[]) => ip('-n', h.namespace, ...args);
    await inside('link', 'set', `${h.veth}p`, 'name', 'eth0');
    await inside('addr', 'add', `${h.address}/24`, 'dev', 'eth0');
    await inside('link', 'set', 'eth0', 'up');
    await inside('link', 'set', 'lo', 'up');
  }
}

/** Deletes every namespace, veth and bridge carrying the prefix (processes must be gone first). */
export async function removeNetwork(): Promise<void> {
  for (const ns of await clusterNamespaces()) await ip('netns', 'del', ns).catch(() => {});
  const links = await ip('-o', 'link', 'show');
  for (const line of links.split('\n')) {
    const name = /^\d+: ([^:@]+)/.exec(line)?.[1];
    if (name?.startsWith(PREFIX)) await ip('link', 'del', name).catch(() => {});
  }
}
