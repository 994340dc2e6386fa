/**
 * The hub's FerretDB patches as files: each is a unified diff with a header saying why, they are
 * applied in name order, a build is named by them, and a patch that does not apply stops the
 * build with a message naming it (before anything is compiled).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  EmbeddedDatabaseUnavailableError,
  buildTag,
  ensureFerretDbBinary,
  ferretDbBinaryFor,
  hubPatches,
} from '../../common/db/ferretdb-build.js';

describe("the hub's FerretDB patches", () => {
  it('are unified diffs in name order, each with a header before its first diff', async () => {
    const patches = await hubPatches();
    expect(patches.length).toBeGreaterThanOrEqual(8);
    expect(patches.map((p) => p.name)).toEqual([...patches.map((p) => p.name)].sort());
    for (const patch of patches) {
      expect(patch.name).toMatch(/^\d{4}-[a-z0-9-]+\.patch$/);
      const header = patch.diff.slice(0, patch.diff.indexOf('diff --git'));
      expect(header.trim().length).toBeGreaterThan(80);
      expect(patch.diff).toMatch(/^diff --git a\/\S+ b\/\S+$/m);
    }
  });

  it('name the build: other patches, or none, are another binary', async () => {
    const patches = await hubPatches();
    expect(buildTag([])).toBe('released');
    expect(buildTag(patches)).toMatch(/^hub-[0-9a-f]{12}$/);
    expect(buildTag(patches.slice(0, -1))).not.toBe(buildTag(patches));
    const changed = patches.map((p, i) => (i === 0 ? { ...p, diff: `${p.diff}\n` } : p));
    expect(ferretDbBinaryFor(changed)).not.toBe(ferretDbBinaryFor(patches));
  });

  it('stop the build with the name of a patch that does not apply', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'timpora-patch-'));
    const broken = {
      name: '9999-broken.patch',
      diff:
        'A patch whose context is not in the source.\n\n' +
        'diff --git a/internal/backends/sqlite/collection.go b/internal/backends/sqlite/collection.go\n' +
        '--- a/internal/backends/sqlite/collection.go\n' +
        '+++ b/internal/backends/sqlite/collection.go\n' +
        '@@ -1,3 +1,3 @@\n' +
        ' no such line\n' +
        '-nor this one\n' +
        '+replaced\n' +
        ' end\n',
    };
    try {
      const build = ensureFerretDbBinary(() => {}, { patches: [broken], binary: path.join(dir, 'ferretdb') });
      await expect(build).rejects.toBeInstanceOf(EmbeddedDatabaseUnavailableError);
      await expect(build).rejects.toThrow(/scripts\/ferretdb\/patches\/9999-broken\.patch does not apply/);
      await expect(fs.access(path.join(dir, 'ferretdb'))).rejects.toThrow();
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
