/**
 * Unpacks the official region list — the CSV files of the npm package `idn-area-data`, at the
 * version and integrity pinned under `regionData` in package.json — into `.cache/idn-area-data/`.
 * `npm install` and `npm ci` run it (the `postinstall` script); `common/regions.ts` reads the
 * files it leaves (`common/region-data.ts` says where).
 *
 * Why not an ordinary dependency: idn-area-data 4 carries the current official codes
 * (Kepmendagri No. 300.2.2-2138 Tahun 2025) but declares `engines: node >=22`, so installing it
 * on Node 20 prints an EBADENGINE warning; 3.1.2, the last release that declares Node 20, carries
 * the 2022 edition. Only the package's data is used (docs/architecture.md, "Dependencies on Node 20").
 *
 * The tarball comes from the npm registry through `npm pack` (npm's own registry, proxy, cache
 * and offline settings apply) and must match the pinned integrity, as a dependency's would.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tar from 'tar';
import { REGION_DATA_COMPLETE, regionDataDir, regionDataPin } from '../common/region-data.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function npmPack(spec: string, destination: string): { filename: string; integrity: string } {
  const out = execFileSync('npm', ['pack', spec, '--pack-destination', destination, '--json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [packed] = JSON.parse(out) as { filename: string; integrity: string }[];
  if (!packed) throw new Error(`npm pack ${spec} packed nothing`);
  return packed;
}

/** Unpacks the pinned release unless it already is; returns its directory. */
export function ensureRegionData(log: (line: string) => void = console.log): string {
  const pin = regionDataPin();
  const dir = regionDataDir(pin);
  const marker = path.join(dir, REGION_DATA_COMPLETE);
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').trim() === pin.integrity) return dir;

  const spec = `${pin.package}@${pin.version}`;
  log(`Official region list: unpacking ${spec} from the npm registry into ${path.relative(root, dir)}/…`);
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'region-data-'));
  try {
    const packed = npmPack(spec, temp);
    const tarball = fs.readFileSync(path.join(temp, packed.filename));
    const algorithm = pin.integrity.slice(0, pin.integrity.indexOf('-'));
    const integrity = `${algorithm}-${crypto.createHash(algorithm).update(tarball).digest('base64')}`;
    if (integrity !== pin.integrity) {
      throw new Error(`${spec} from the registry has integrity ${integrity}, not the pinned ${pin.integrity}`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    // the package's data/*.csv, package.json and LICENSE, without the `package/` folder of a tarball
    const kept = (name: string) => /^package\/(data\/[^/]+|package\.json|LICENSE)$/.test(name);
    tar.x({ file: path.join(temp, packed.filename), cwd: dir, strip: 1, sync: true, filter: kept });
    const data = path.join(dir, 'data');
    const csv = fs.existsSync(data) ? fs.readdirSync(data).filter((name) => name.endsWith('.csv')).length : 0;
    if (csv === 0) throw new Error(`${spec} holds no data/*.csv`);
    fs.writeFileSync(marker, `${pin.integrity}\n`);
    log(`Official region list: ${spec} unpacked (${csv} CSV files).`);
    return dir;
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureRegionData();
  } catch (e) {
    console.error(`Could not unpack the official region list: ${(e as Error).message}`);
    process.exit(1);
  }
}
