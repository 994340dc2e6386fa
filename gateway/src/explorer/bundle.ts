/**
 * The explorer's bundle: `gateway/explorer/` (React, GraphiQL with its CSS and fonts) built
 * by esbuild into `.cache/explorer/`, rebuilt when missing or older than its sources, and
 * held in memory (with gzip) by the gateway that serves it. Nothing comes from another address.
 */
import { randomBytes, createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { PROJECT_ROOT } from '../../../common/project-root.js';

export const EXPLORER_SOURCE_DIR = path.join(PROJECT_ROOT, 'gateway/explorer');
export const EXPLORER_BUILD_DIR = path.join(PROJECT_ROOT, '.cache/explorer');
const ENTRY = path.join(EXPLORER_SOURCE_DIR, 'main.tsx');
const HTML = 'index.html';
const MANIFEST = 'manifest.json';
/** Installed packages whose upgrade (a new package.json) makes the bundle stale. */
const BUNDLED_PACKAGES = [
  'graphiql',
  '@graphiql/react',
  '@graphiql/toolkit',
  'react',
  'react-dom',
  'graphql',
  'i18next',
  'react-i18next',
  'i18n-iso-countries',
];

/** One file of the bundle, ready to send. */
export interface ExplorerAsset {
  body: Buffer;
  gzip: Buffer;
  contentType: string;
  etag: string;
}

export interface ExplorerBundle {
  /** The page's HTML template; the gateway puts the settings in at `<!--settings-->`. */
  html: string;
  /** `main.js`, `main.css` and the licence notices, by file name. */
  assets: ReadonlyMap<string, ExplorerAsset>;
  /** Whether this call built the bundle (false: the cached build was current). */
  built: boolean;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The newest modification among the page's sources: `gateway/explorer/`, the project's own
 * modules the last build took in from outside it (`common/i18n/labels.ts`, `common/time-zones.ts`,
 * …, listed in its manifest) and the bundled packages. A source that no longer exists, or a
 * build made by another checkout sharing the cache, counts as changed.
 */
async function newestSourceTime(): Promise<number> {
  const sources = (await fs.readdir(EXPLORER_SOURCE_DIR, { recursive: true })).map((f) =>
    path.join(EXPLORER_SOURCE_DIR, f),
  );
  for (const name of BUNDLED_PACKAGES) sources.push(path.join(PROJECT_ROOT, 'node_modules', name, 'package.json'));
  const manifest = await fs
    .readFile(path.join(EXPLORER_BUILD_DIR, MANIFEST), 'utf8')
    .then((text) => JSON.parse(text) as { projectRoot?: string; projectInputs?: string[] })
    .catch(() => ({ projectRoot: undefined, projectInputs: [] }));
  // another checkout sharing this cache (a git worktree with `.cache` linked) built it: not ours
  if (manifest.projectRoot !== PROJECT_ROOT) return Infinity;
  for (const input of manifest.projectInputs ?? []) sources.push(path.join(PROJECT_ROOT, input));
  const times = await Promise.all(
    sources.map((f) =>
      fs.stat(f).then(
        (s) => s.mtimeMs,
        () => Infinity,
      ),
    ),
  );
  return Math.max(...times);
}

/** The time the cached build was made, or null when there is none. */
async function cachedBuildTime(): Promise<number | null> {
  return fs.stat(path.join(EXPLORER_BUILD_DIR, MANIFEST)).then(
    (s) => s.mtimeMs,
    () => null,
  );
}

export async function isExplorerBuildCurrent(): Promise<boolean> {
  const built = await cachedBuildTime();
  return built !== null && built >= (await newestSourceTime());
}

/** Bundles the page with esbuild: one JS and one CSS file (fonts inlined), minified. */
async function bundle(): Promise<Map<string, Uint8Array>> {
  const result = await esbuild.build({
    entryPoints: { main: ENTRY },
    tsconfig: path.join(EXPLORER_SOURCE_DIR, 'tsconfig.json'),
    bundle: true,
    write: false,
    outdir: EXPLORER_BUILD_DIR,
    format: 'esm',
    platform: 'browser',
    target: ['chrome109', 'firefox115', 'safari15', 'edge109'],
    jsx: 'automatic',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    // GraphiQL's fonts are data: URLs in its CSS; anything else referenced is inlined too
    loader: { '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.svg': 'dataurl', '.png': 'dataurl' },
    legalComments: 'linked',
    logLevel: 'silent',
    metafile: true,
    absWorkingDir: PROJECT_ROOT,
  });
  // the project's modules outside gateway/explorer/ that went into the bundle: editing one makes it stale
  const projectInputs = Object.keys(result.metafile.inputs)
    .map((input) => path.relative(PROJECT_ROOT, path.resolve(PROJECT_ROOT, input)))
    .filter((input) => !input.split(path.sep).includes('node_modules') && !input.startsWith('gateway/explorer/'))
    .sort();
  const files = new Map<string, Uint8Array>();
  for (const file of result.outputFiles) files.set(path.basename(file.path), file.contents);
  files.set(HTML, await fs.readFile(path.join(EXPLORER_SOURCE_DIR, HTML)));
  const sizes = Object.fromEntries([...files].map(([name, contents]) => [name, contents.byteLength]));
  files.set(
    MANIFEST,
    Buffer.from(
      `${JSON.stringify({ builtAt: new Date().toISOString(), sizes, projectRoot: PROJECT_ROOT, projectInputs }, null, 2)}\n`,
    ),
  );
  return files;
}

/**
 * Writes the files to a fresh directory and swaps it in, so a gateway starting at the same
 * moment sees either the old build or the new one, never half of one.
 */
async function writeBuild(files: Map<string, Uint8Array>): Promise<void> {
  const parent = path.dirname(EXPLORER_BUILD_DIR);
  await fs.mkdir(parent, { recursive: true });
  const fresh = await fs.mkdtemp(`${EXPLORER_BUILD_DIR}.tmp-`);
  try {
    // the manifest last: its time is the build's time
    for (const [name, contents] of [...files].sort(([a], [b]) => Number(a === MANIFEST) - Number(b === MANIFEST))) {
      await fs.writeFile(path.join(fresh, name), contents);
    }
    const old = `${EXPLORER_BUILD_DIR}.old-${randomBytes(4).toString('hex')}`;
    await fs.rename(EXPLORER_BUILD_DIR, old).catch(() => {});
    await fs.rename(fresh, EXPLORER_BUILD_DIR).catch(() => {}); // another process swapped in the same build first
    await fs.rm(old, { recursive: true, force: true });
  } finally {
    await fs.rm(fresh, { recursive: true, force: true });
  }
}

/** Builds the bundle into `.cache/explorer/` and returns its files. */
export async function buildExplorer(): Promise<Map<string, Uint8Array>> {
  const files = await bundle();
  await writeBuild(files);
  return files;
}

async function readBuild(): Promise<Map<string, Uint8Array> | null> {
  try {
    const files = new Map<string, Uint8Array>();
    for (const name of await fs.readdir(EXPLORER_BUILD_DIR)) {
      files.set(name, await fs.readFile(path.join(EXPLORER_BUILD_DIR, name)));
    }
    return files.has(HTML) && files.has('main.js') && files.has('main.css') ? files : null;
  } catch {
    return null; // swapped out under us by a concurrent build: build our own
  }
}

function asset(name: string, contents: Uint8Array): ExplorerAsset {
  const body = Buffer.from(contents);
  return {
    body,
    gzip: gzipSync(body),
    contentType: CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
  };
}

/** The current bundle: the cached build when it is newer than every source, else a fresh one. */
export async function loadExplorerBundle(): Promise<ExplorerBundle> {
  const cached = (await isExplorerBuildCurrent()) ? await readBuild() : null;
  const files = cached ?? (await buildExplorer());
  const assets = new Map<string, ExplorerAsset>();
  for (const [name, contents] of files) {
    if (name !== HTML && name !== MANIFEST) assets.set(name, asset(name, contents));
  }
  return { html: Buffer.from(files.get(HTML)!).toString('utf8'), assets, built: cached === null };
}
