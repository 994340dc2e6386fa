/**
 * The embedded database running: FerretDB instances with the SQLite backend on loopback (start,
 * stop, the data directory's lock, free ports). Each instance has its own port, state directory
 * and debug address, so a running hub and a test run never collide. The binary they run is built
 * by `ferretdb-build.ts`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ensureFerretDbBinary, type Log } from './ferretdb-build.js';

/** A free loopback TCP port, as chosen by the kernel. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not determine a free port'));
      });
    });
  });
}

/** Does something accept TCP connections on this loopback port? */
export async function isPortInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface FerretDbOptions {
  port: number;
  debugPort: number;
  /** Directory holding the SQLite files (one per database) and FerretDB's state. */
  dataDir: string;
  log?: Log;
  startTimeoutMs?: number;
  /** A FerretDB binary to run instead of the hub's build (e.g. the released one, for differential tests). */
  binary?: string;
  /**
   * Run it in a session (and process group) of its own, so that a Ctrl-C in the terminal reaches
   * only the process that manages it (`npm start` stops the database last, after the services).
   */
  detached?: boolean;
}

/** A running FerretDB process. */
export interface FerretDbInstance {
  uri: string;
  port: number;
  process: ChildProcess;
  /** Settles once the process has ended, whatever ended it (an exit code, or a signal). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/** Who runs FerretDB on a data directory: written at start, removed at stop. */
interface DataDirLock {
  pid: number;
  port: number;
}

function lockFile(dataDir: string): string {
  return path.join(dataDir, 'ferretdb.lock.json');
}

/** Whether a process with this pid is running. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The FerretDB instance that is serving `dataDir` right now, if any. Two instances on one
 * directory would write the same SQLite files, so the directory is locked while one runs.
 */
export async function runningOn(dataDir: string): Promise<DataDirLock | null> {
  try {
    const lock = JSON.parse(await fs.readFile(lockFile(dataDir), 'utf8')) as DataDirLock;
    return isAlive(lock.pid) ? lock : null;
  } catch {
    return null;
  }
}

export async function startFerretDb(options: FerretDbOptions): Promise<FerretDbInstance> {
  const running = await runningOn(options.dataDir);
  if (running) {
    throw new Error(
      `The embedded database in ${options.dataDir} is already served by FerretDB (pid ${running.pid}, ` +
        `port ${running.port}); stop the hub that runs it, or use another DATA_DIR.`,
    );
  }
  const binary = options.binary ?? (await ensureFerretDbBinary(options.log));
  if (await isPortInUse(options.port)) {
    throw new Error(
      `Port ${options.port} on 127.0.0.1 is already in use; set FERRETDB_PORT to a free port ` +
        `(is another hub running?).`,
    );
  }
  const sqliteDir = path.join(options.dataDir, 'sqlite');
  const stateDir = path.join(options.dataDir, 'state');
  await fs.mkdir(sqliteDir, { recursive: true });
  await fs.mkdir(stateDir, { recursive: true });
  const child = spawn(
    binary,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${sqliteDir}/`,
      `--listen-addr=127.0.0.1:${options.port}`,
      `--debug-addr=127.0.0.1:${options.debugPort}`,
      `--state-dir=${stateDir}`,
      '--telemetry=disable',
      '--log-level=warn',
      '--log-format=text',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], detached: options.detached ?? false },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitPromise = new Promise<NonNullable<typeof exited>>((resolve) => {
    child.once('exit', (code, signal) => resolve((exited = { code, signal })));
  });

  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  while (!(await isPortInUse(options.port))) {
    if (exited !== undefined) {
      const how = exited.signal ? `was killed by ${exited.signal}` : `exited with code ${exited.code}`;
      throw new Error(`FerretDB ${how} during start-up:\n${stderr.trim()}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`FerretDB did not accept connections on port ${options.port} in time:\n${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  await fs.writeFile(lockFile(options.dataDir), JSON.stringify({ pid: child.pid, port: options.port }));
  return {
    uri: `mongodb://127.0.0.1:${options.port}/`,
    port: options.port,
    process: child,
    exited: exitPromise,
    async stop() {
      if (exited === undefined) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exitPromise;
        clearTimeout(timer);
      }
      await fs.rm(lockFile(options.dataDir), { force: true });
    },
  };
}
