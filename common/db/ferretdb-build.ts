/**
 * Building the embedded database: FerretDB (pinned in `scripts/ferretdb/go.mod`) from its Go
 * module with the machine's Go toolchain and the hub's patches, cached under `.cache/ferretdb/`;
 * also `go test` of the patched source. Running instances is in `ferretdb.ts`.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT } from '../project-root.js';

const run = promisify(execFile);

export const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';
export const FERRETDB_VERSION = 'v1.24.2';

/** The oldest Go that builds the pinned module (its go.mod's `go` line, needed for its `tool` directive). */
export const GO_MINIMUM = [1, 24] as const;
/** The one command that installs Go on Debian/Ubuntu (amd64); Debian 12's `golang-go` is 1.19, too old. */
export const GO_INSTALL = 'curl -fsSL https://go.dev/dl/go1.26.8.linux-amd64.tar.gz | tar -C /usr/local -xz';

/** How long the first build usually takes (measured; README, "Quick start"). */
export const USUAL_BUILD_TIME = 'usually about 2 minutes on 2 idle cores, more on a busy machine';

/**
 * The hub's changes to FerretDB, applied to the module source before it is built: unified diffs
 * in `scripts/ferretdb/patches/`, one concern each, applied in file-name order. Each file starts
 * with a header saying why (text before the first `diff` line, which `git apply` skips).
 */
export const PATCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scripts/ferretdb/patches');

/** One patch file: its name and text. */
export interface SourcePatch {
  name: string;
  diff: string;
}

/** The patches in `scripts/ferretdb/patches/`, in the order they are applied. */
export async function hubPatches(): Promise<SourcePatch[]> {
  const names = (await fs.readdir(PATCH_DIR)).filter((n) => n.endsWith('.patch')).sort();
  return Promise.all(
    names.map(async (name) => ({ name, diff: await fs.readFile(path.join(PATCH_DIR, name), 'utf8') })),
  );
}

/** Names a build by its patches: a binary built with other patches (or none) is another file. */
export function buildTag(patches: readonly SourcePatch[]): string {
  if (patches.length === 0) return 'released';
  const hash = createHash('sha256');
  for (const p of patches) hash.update(p.name).update('\0').update(p.diff).update('\0');
  return `hub-${hash.digest('hex').slice(0, 12)}`;
}

const PIN_DIR = path.join(PROJECT_ROOT, 'scripts/ferretdb');
const CACHE_DIR = path.join(PROJECT_ROOT, '.cache/ferretdb');

/** Where the build with these patches is cached. */
export function ferretDbBinaryFor(patches: readonly SourcePatch[]): string {
  return path.join(CACHE_DIR, `ferretdb-${FERRETDB_VERSION}-${buildTag(patches)}`);
}

/** The embedded database cannot be provided on this machine; the message says what to do. */
export class EmbeddedDatabaseUnavailableError extends Error {
  constructor(reason: string) {
    super(
      `${reason}\n` +
        `The embedded database (FerretDB ${FERRETDB_VERSION}) is built from its Go module and needs Go ${GO_MINIMUM.join('.')} or newer ` +
        `on PATH (Debian's golang-go is older; install Go under /usr/local/go: ${GO_INSTALL}, ` +
        `then export PATH="$PATH:/usr/local/go/bin").\n` +
        `Alternatively set MONGODB_URI (e.g. mongodb://127.0.0.1:27017) to use an existing MongoDB.`,
    );
    this.name = 'EmbeddedDatabaseUnavailableError';
  }
}

export type Log = (message: string) => void;

async function fileExists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

/** Seconds between the "still …" lines of a long phase: readable on a terminal and in CI logs alike. */
const HEARTBEAT_MS = 15_000;

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/**
 * Runs one phase of a long job, logging its start, a line every 15 s while it runs (plain lines,
 * no carriage returns, so CI logs stay readable) and its duration.
 */
async function phase<T>(log: Log, label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  log(`  ${label}…`);
  const heartbeat = setInterval(() => log(`    still ${label}: ${seconds(performance.now() - started)}`), HEARTBEAT_MS);
  try {
    const result = await work();
    log(`    ${label}: done in ${seconds(performance.now() - started)}`);
    return result;
  } finally {
    clearInterval(heartbeat);
  }
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

/** What to build: the hub's patches (the default) or another set, e.g. none for the released build. */
export interface FerretDbBuild {
  patches: readonly SourcePatch[];
  /** Defaults to the cache path named by the patches (`ferretDbBinaryFor`). */
  binary?: string;
}

/** Applies one unified diff to the source tree in `src`; the error names the patch and the failing hunk. */
async function applyPatch(src: string, patch: SourcePatch, env: NodeJS.ProcessEnv): Promise<void> {
  const file = path.join(src, '..', patch.name);
  await fs.writeFile(file, patch.diff);
  // the source lies inside the hub's checkout; the ceiling keeps git from treating it as part of that repository
  const gitEnv = { ...env, GIT_CEILING_DIRECTORIES: path.dirname(src) };
  try {
    // all or nothing: git apply changes no file when any hunk fails
    await run('git', ['apply', file], { cwd: src, env: gitEnv });
  } catch (e) {
    const err = e as Error & { stderr?: string };
    throw new EmbeddedDatabaseUnavailableError(
      `The FerretDB patch scripts/ferretdb/patches/${patch.name} does not apply to ${FERRETDB_MODULE}@${FERRETDB_VERSION}:\n` +
        `${err.stderr?.trim() || err.message}`,
    );
  }
}

async function cacheDir(): Promise<string> {
  await fs.mkdir(CACHE_DIR, { recursive: true });
  return CACHE_DIR;
}

/**
 * Copies the pinned module's source to `work/src`, stamps `build/version/*.txt` (which FerretDB's
 * own build tooling would generate) and applies the patches; returns the source directory.
 */
async function preparePatchedSource(
  work: string,
  patches: readonly SourcePatch[],
  env: NodeJS.ProcessEnv,
  log: Log,
): Promise<string> {
  const src = path.join(work, 'src');
  await phase(log, `downloading ${FERRETDB_MODULE}@${FERRETDB_VERSION} and its dependencies`, async () => {
    try {
      // both are cached in Go's module cache after the first time
      const { stdout } = await run('go', ['mod', 'download', '-json', FERRETDB_MODULE], {
        cwd: PIN_DIR,
        env,
        maxBuffer: 1 << 20,
      });
      await fs.cp((JSON.parse(stdout) as { Dir: string }).Dir, src, { recursive: true });
      await run('chmod', ['-R', 'u+w', src]);
      await run('go', ['mod', 'download'], { cwd: src, env, maxBuffer: 16 << 20 });
    } catch (e) {
      const err = e as Error & { stderr?: string };
      throw new EmbeddedDatabaseUnavailableError(
        `Downloading ${FERRETDB_MODULE}@${FERRETDB_VERSION} failed: ${err.stderr?.trim() || err.message}`,
      );
    }
  });
  await phase(log, patches.length ? `applying ${patches.length} patches` : 'stamping the version', async () => {
    await fs.writeFile(path.join(src, 'build/version/version.txt'), `${FERRETDB_VERSION}\n`);
    await fs.writeFile(path.join(src, 'build/version/package.txt'), 'timpora-hub\n');
    for (const patch of patches) {
      log(`    ${patch.name}`);
      await applyPatch(src, patch, env);
    }
  });
  return src;
}

/** The Go packages the hub's patches change and test (their `_test.go` files come with the patches). */
export const PATCHED_GO_PACKAGES = ['./internal/backends/sqlite/...', './internal/handler/...', './internal/types/...'];

/**
 * Runs `go test` on the patched FerretDB source (`npm run ferretdb:build -- --test`): the patches'
 * own tests (filter, sort and count pushdown on adversarial documents) and FerretDB's unit tests of
 * the packages they touch. Needs no services; throws with `go test`'s output when a test fails.
 */
export async function testFerretDbPatches(
  log: Log = () => {},
  patches?: readonly SourcePatch[],
  packages: readonly string[] = PATCHED_GO_PACKAGES,
): Promise<void> {
  const env = await goEnv();
  const applied = patches ?? (await hubPatches());
  log(`Testing FerretDB ${FERRETDB_VERSION} with the hub's ${applied.length} patches (go test ${packages.join(' ')})…`);
  const work = await fs.mkdtemp(path.join(await cacheDir(), 'test-'));
  try {
    const src = await preparePatchedSource(work, applied, env, log);
    const stdout = await phase(log, 'testing (go test)', async () => {
      try {
        return (await run('go', ['test', '-count=1', ...packages], { cwd: src, env, maxBuffer: 64 << 20 })).stdout;
      } catch (e) {
        const err = e as Error & { stdout?: string; stderr?: string };
        throw new Error(
          `go test of the patched FerretDB failed:\n${[err.stdout, err.stderr].filter(Boolean).join('\n').trim() || err.message}`,
        );
      }
    });
    log(stdout.trim());
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

/**
 * Returns the path of the FerretDB binary, building it on first use (about two minutes on two
 * cores). The module is fetched through the Go module proxy and checked against
 * `scripts/ferretdb/go.sum`; the build stamps `build/version/version.txt`, which FerretDB's own
 * build tooling would generate, and applies the patches (by default the hub's, {@link hubPatches})
 * to the copied source with `git apply`, failing with the patch's name when one does not apply.
 */
export async function ensureFerretDbBinary(log: Log = () => {}, build?: FerretDbBuild): Promise<string> {
  const patches = build?.patches ?? (await hubPatches());
  const binary = build?.binary ?? ferretDbBinaryFor(patches);
  if (await fileExists(binary)) return binary;
  const env = await goEnv();
  const what = patches.length ? `with the hub's ${patches.length} patches` : 'as released';
  const started = performance.now();
  log(
    `Building FerretDB ${FERRETDB_VERSION} ${what} from its Go module (first run only; ${USUAL_BUILD_TIME}), ` +
      'in three steps: download the module and its dependencies, apply the patches, compile',
  );
  await fs.mkdir(path.dirname(binary), { recursive: true });
  const work = await fs.mkdtemp(path.join(await cacheDir(), 'build-'));
  try {
    const src = await preparePatchedSource(work, patches, env, log);
    const output = path.join(work, 'ferretdb');
    await phase(log, 'compiling (go build)', async () => {
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
    });
    // rename is atomic: concurrent builders never see a half-written binary
    await fs.rename(output, binary);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
  log(`FerretDB built in ${seconds(performance.now() - started)}: ${path.relative(process.cwd(), binary)}`);
  return binary;
}
