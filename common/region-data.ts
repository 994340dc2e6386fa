/**
 * Where the official region list lies: the data files of the npm package `idn-area-data`, at the
 * version and integrity pinned under `regionData` in package.json, unpacked into
 * `.cache/idn-area-data/<version>/` by `scripts/region-data.ts` (the `postinstall` script of
 * `npm install` and `npm ci`). Why it is not an ordinary dependency: docs/architecture.md, "Dependencies on Node 20".
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface RegionDataPin {
  package: string;
  version: string;
  integrity: string;
}

/** File written last into the unpacked directory, holding the integrity it was checked against. */
export const REGION_DATA_COMPLETE = '.integrity';

/** The pinned package, version and integrity (package.json `regionData`). */
export function regionDataPin(): RegionDataPin {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { regionData: RegionDataPin };
  return pkg.regionData;
}

/** Where the pinned release's files are unpacked (its `data/*.csv`, `package.json`, licences). */
export function regionDataDir(pin: RegionDataPin = regionDataPin()): string {
  return path.join(root, '.cache', pin.package, pin.version);
}

/** The unpacked data directory of the pinned release; a readable error when it is missing. */
export function officialRegionFiles(): { dir: string; pin: RegionDataPin } {
  const pin = regionDataPin();
  const dir = regionDataDir(pin);
  const marker = path.join(dir, REGION_DATA_COMPLETE);
  if (!fs.existsSync(marker) || fs.readFileSync(marker, 'utf8').trim() !== pin.integrity) {
    throw new Error(
      `The official region list (${pin.package}@${pin.version}) is not unpacked in ` +
        `${path.relative(process.cwd(), dir) || dir}: run \`npm install\` (or \`npm ci\`), whose postinstall step unpacks it.`,
    );
  }
  return { dir: path.join(dir, 'data'), pin };
}
