/**
 * The repository's root directory, from which scripts, tests and the embedded database find
 * the files they read (the FerretDB pin and build cache, the bench's data, the explorer's sources).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
