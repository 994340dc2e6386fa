/**
 * The embedded database: builds FerretDB (pinned in `scripts/ferretdb/go.mod`) from its Go
 * module with the machine's Go toolchain, caches the binary under `.cache/ferretdb/`, and runs
 * instances with the SQLite backend on loopback. Each instance has its own port, state
 * directory and debug address, so a running hub and a test run never collide.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);

export const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';
export const FERRETDB_VERSION = 'v1.24.2';

/** A change applied to FerretDB's source before it is built: one exact text replaced by another. */
export interface SourcePatch {
  file: string;
  before: string;
  after: string;
  why: string;
}

/**
 * The embedded build's two fixes, applied to the module source before it is built.
 *
 * 1. Its `_id` index, measured in docs/BENCHMARKS.md.
 * FerretDB's SQLite backend filters `{ _id: value }` (finds, updates, deletes) with
 * `_ferretdb_sjson->'$._id' = ?`, but creates the unique `_id` index on `_ferretdb_sjson->'_id'`.
 * SQLite uses an expression index only for the same expression, so every `_id` lookup read the
 * whole table: 328 ms at 50,000 foreigners, 1.1 ms with the index. `->'_id'` and `->'$._id'`
 * select the same JSON value, so stored data and results are unchanged.
 *
 * 2. Atomic updates. The SQLite backend applies `update` and `findAndModify` by querying the
 * documents and writing them back, with nothing held in between: two concurrent `$addToSet`s on
 * one document kept one of the two values (9 concurrent writes about one foreigner kept 5 ids).
 * A lock per collection around each update makes it atomic for every client, as a single-
 * document update is in MongoDB; SQLite runs one write at a time anyway.
 */
export const FERRETDB_PATCHES: readonly SourcePatch[] = [
  {
    file: 'internal/backends/sqlite/metadata/metadata.go',
    before: `IDColumn = DefaultColumn + "->'$._id'"`,
    after: `IDColumn = DefaultColumn + "->'_id'"`,
    why: 'filter `_id` with the expression of its unique index, so SQLite searches the index',
  },
  {
    file: 'internal/handler/msg_update.go',
    before: `import (\n\t"context"\n\t"fmt"\n`,
    after: `import (\n\t"context"\n\t"fmt"\n\t"sync"\n`,
    why: 'the lock below needs package sync',
  },
  {
    file: 'internal/handler/msg_update.go',
    before: `func (h *Handler) updateDocument(ctx context.Context, params *common.UpdateParams) (int32, int32, *types.Array, error) {\n`,
    after:
      `// collectionLocks serializes updates per collection (timpora-hub patch): the SQLite backend applies\n` +
      `// an update by reading the documents and writing them back, so concurrent updates of one\n` +
      `// document lost each other's changes.\n` +
      `var collectionLocks sync.Map\n\n` +
      `func lockCollection(db, collection string) func() {\n` +
      `\tm, _ := collectionLocks.LoadOrStore(db+"."+collection, new(sync.Mutex))\n` +
      `\tmu := m.(*sync.Mutex)\n` +
      `\tmu.Lock()\n\n` +
      `\treturn mu.Unlock\n` +
      `}\n\n` +
      `func (h *Handler) updateDocument(ctx context.Context, params *common.UpdateParams) (int32, int32, *types.Array, error) {\n` +
      `\tdefer lockCollection(params.DB, params.Collection)()\n\n`,
    why: 'make each update atomic, as in MongoDB: read and write back under a per-collection lock',
  },
  {
    file: 'internal/handler/msg_findandmodify.go',
    before: `func (h *Handler) findAndModifyDocument(ctx context.Context, params *common.FindAndModifyParams) (*findAndModifyResult, error) {\n`,
    after:
      `func (h *Handler) findAndModifyDocument(ctx context.Context, params *common.FindAndModifyParams) (*findAndModifyResult, error) {\n` +
      `\tdefer lockCollection(params.DB, params.Collection)()\n\n`,
    why: 'findAndModify reads and writes back too: the same lock',
  },
];

/** Names the build: a binary built with other patches (or none) is another file. */
const BUILD_TAG = 'id-index-atomic-update';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PIN_DIR = path.join(PROJECT_ROOT, 'scripts/ferretdb');
const CACHE_DIR = path.join(PROJECT_ROOT, '.cache/ferretdb');
export const FERRETDB_BINARY = path.join(CACHE_DIR, `ferretdb-${FERRETDB_VERSION}-${BUILD_TAG}`);

/** The embedded database cannot be provided on this machine; the message says what to do. */
export class EmbeddedDatabaseUnavailableError extends Error {
  constructor(reason: string) {
    super(
      `${reason}\n` +
        `The embedded database (FerretDB ${FERRETDB_VERSION}) is built from its Go module and needs Go 1.24 or newer ` +
        `on PATH (Debian: apt-get install golang-go; or install Go under /usr/local/go).\n` +
        `Alternatively set MONGODB_URI (e.g. mongodb://127.0.0.1:27017) to use an existing MongoDB.`,
    );
    this.name = 'EmbeddedDatabaseUnavailableError';
  }
}

type Log = (message: string) => void;

async function fileExists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

async function goEnv(): Promise<NodeJS.ProcessEnv> {
  try {
    await run('go', ['version']);
  } catch {
    throw new EmbeddedDatabaseUnavailableError('The `go` command was not found.');
  }
  // The pinned module is built with the local toolchain; go.mod's `go 1.24` line is a minimum.
  return { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', CGO_ENABLED: '0' };
}

/**
 * Returns the path of the FerretDB binary, building it on first use (about a minute on two cores).
 * The module is fetched through the Go module proxy and checked against `scripts/ferretdb/go.sum`;
 * the build stamps `build/version/version.txt`, which FerretDB's own build tooling would generate,
 * and applies `patches` (by default {@link FERRETDB_PATCHES}) to the copied source.
 */
export async function ensureFerretDbBinary(
  log: Log = () => {},
  build: { binary: string; patches: readonly SourcePatch[] } = { binary: FERRETDB_BINARY, patches: FERRETDB_PATCHES },
): Promise<string> {
  const { binary, patches } = build;
  if (await fileExists(binary)) return binary;
  const env = await goEnv();
  log(`Building FerretDB ${FERRETDB_VERSION} from its Go module (first run only)…`);
  let moduleDir: string;
  try {
    const { stdout } = await run('go', ['mod', 'download', '-json', FERRETDB_MODULE], {
      cwd: PIN_DIR,
      env,
      maxBuffer: 1 << 20,
    });
    moduleDir = (JSON.parse(stdout) as { Dir: string }).Dir;
  } catch (e) {
    throw new EmbeddedDatabaseUnavailableError(
      `Downloading ${FERRETDB_MODULE}@${FERRETDB_VERSION} failed: ${(e as Error).message}`,
    );
  }
  await fs.mkdir(CACHE_DIR, { recursive: true });
  const work = await fs.mkdtemp(path.join(CACHE_DIR, 'build-'));
  try {
    const src = path.join(work, 'src');
    await fs.cp(moduleDir, src, { recursive: true });
    await run('chmod', ['-R', 'u+w', src]);
    await fs.writeFile(path.join(src, 'build/version/version.txt'), `${FERRETDB_VERSION}\n`);
    await fs.writeFile(path.join(src, 'build/version/package.txt'), 'timpora-hub\n');
    for (const patch of patches) {
      const file = path.join(src, patch.file);
      const text = await fs.readFile(file, 'utf8');
      if (!text.includes(patch.before)) {
        throw new EmbeddedDatabaseUnavailableError(
          `FerretDB ${FERRETDB_VERSION}'s ${patch.file} has no \`${patch.before}\` (patch: ${patch.why}).`,
        );
      }
      await fs.writeFile(file, text.replace(patch.before, patch.after));
    }
    const output = path.join(work, 'ferretdb');
    try {
      await run('go', ['build', '-trimpath', '-o', output, './cmd/ferretdb'], {
        cwd: src,
        env,
        maxBuffer: 16 << 20,
      });
    } catch (e) {
      const err = e as Error & { stderr?: string };
      throw new EmbeddedDatabaseUnavailableError(`Building FerretDB failed: ${err.stderr?.trim() || err.message}`);
    }
    // rename is atomic: concurrent builders never see a half-written binary
    await fs.rename(output, binary);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
  log(`FerretDB built: ${path.relative(process.cwd(), binary)}`);
  return binary;
}

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
}

/** A running FerretDB process. */
export interface FerretDbInstance {
  uri: string;
  port: number;
  process: ChildProcess;
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

function isAlive(pid: number): boolean {
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
  const binary = await ensureFerretDbBinary(options.log);
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
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let exited: number | null | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code) => {
      exited = code;
      resolve();
    });
  });

  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  while (!(await isPortInUse(options.port))) {
    if (exited !== undefined) {
      throw new Error(`FerretDB exited with code ${exited} during start-up:\n${stderr.trim()}`);
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
