/**
 * The first step of `npm test`, before Jest starts: checks that the machine has what the suite
 * needs besides Node and npm, and when something is missing says exactly what and the one
 * command that installs it, then stops. Silent when everything is there.
 *
 * - Chromium for the explorer's browser test (test/explorer/explorer.test.ts);
 * - Redis for the limits shared between replicas (test/security/permit-oracle.test.ts);
 * - Go 1.24 or newer, and git, while a FerretDB build the suite starts (the hub's, and the
 *   released one of the differential test) is not yet in `.cache/ferretdb/`; with
 *   `TEST_MONGODB_URI` (a MongoDB of the caller's) the hub's build is not needed.
 * - HAProxy and iproute2 when the suite runs as root, where the fault tests on the multi-host
 *   cluster run (test/cluster/; skipped when not root);
 * - the official region list unpacked by `npm install` (common/region-data.ts).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { ferretDbBinaryFor, hubPatches } from '../common/db/ferretdb-build.js';
import { officialRegionFiles } from '../common/region-data.js';
import {
  CHROMIUM_INSTALL,
  CHROMIUM_PATH,
  CLUSTER_INSTALL,
  GIT_INSTALL,
  GO_INSTALL,
  GO_MINIMUM,
  REDIS_INSTALL,
  TEST_REDIS_URL,
} from './helpers/machine.js';

const run = promisify(execFile);

function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function redisAnswers(url: URL): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    // +PONG, or -NOAUTH from a Redis with a password: either way Redis answers
    socket.once('data', (data) => done(/^[+-]/.test(data.toString())));
  });
}

async function goVersion(): Promise<[number, number] | null> {
  try {
    const { stdout } = await run('go', ['env', 'GOVERSION'], { env: { ...process.env, GOTOOLCHAIN: 'local' } });
    const match = /^go(\d+)\.(\d+)/.exec(stdout.trim());
    return match ? [Number(match[1]), Number(match[2])] : null;
  } catch {
    return null;
  }
}

async function onPath(command: string, versionFlag = '--version'): Promise<boolean> {
  return run(command, [versionFlag]).then(
    () => true,
    () => false,
  );
}

async function problems(): Promise<string[]> {
  const found: string[] = [];
  if (!executable(CHROMIUM_PATH)) {
    found.push(
      `Chromium is missing: the explorer's browser test drives ${CHROMIUM_PATH}` +
        `${process.env.CHROMIUM_PATH ? ' (CHROMIUM_PATH)' : ''}.\n  Install it: ${CHROMIUM_INSTALL}`,
    );
  }
  if (!(await redisAnswers(TEST_REDIS_URL))) {
    found.push(
      `Redis does not answer at ${TEST_REDIS_URL.host} (TEST_REDIS_URL): the limit tests between replicas use it.\n` +
        `  Install and start it: ${REDIS_INSTALL} (where no service manager runs: redis-server --daemonize yes)`,
    );
  }
  const builds = [ferretDbBinaryFor([])];
  if (!process.env.TEST_MONGODB_URI) builds.push(ferretDbBinaryFor(await hubPatches()));
  const missing = builds.filter((binary) => !fs.existsSync(binary));
  if (missing.length > 0) {
    const go = await goVersion();
    const [major, minor] = GO_MINIMUM;
    if (!go || go[0] < major || (go[0] === major && go[1] < minor)) {
      found.push(
        `${go ? `Go ${go.join('.')} is too old` : 'Go is not on PATH'}: the suite builds FerretDB ` +
          `(${missing.map((b) => path.basename(b)).join(', ')}, not yet in .cache/ferretdb/) and needs Go ${major}.${minor} or newer.\n` +
          `  Install it (Debian's golang-go is older): ${GO_INSTALL}\n  then put it on PATH: export PATH="$PATH:/usr/local/go/bin"`,
      );
    }
    if (!(await onPath('git'))) {
      found.push(
        `git is missing: the FerretDB build applies the hub's patches with git apply.\n  Install it: ${GIT_INSTALL}`,
      );
    }
  }
  if (process.getuid?.() === 0) {
    const absent = [];
    if (!(await onPath('haproxy', '-v'))) absent.push('HAProxy');
    if (!(await onPath('ip', '-V'))) absent.push('iproute2 (ip)');
    if (absent.length > 0) {
      found.push(
        `${absent.join(' and ')} ${absent.length > 1 ? 'are' : 'is'} missing: run as root, the suite runs the fault tests on the multi-host cluster (test/cluster/).\n` +
          `  Install: ${CLUSTER_INSTALL}`,
      );
    }
  }
  try {
    officialRegionFiles();
  } catch (e) {
    found.push((e as Error).message);
  }
  return found;
}

const found = await problems();
if (found.length > 0) {
  console.error(`npm test cannot run on this machine yet:\n\n${found.map((p) => `- ${p}`).join('\n\n')}\n`);
  process.exit(1);
}
