/**
 * docs/permissions.md is generated from the policy; it must match what the policy says today.
 */
import fs from 'node:fs';
import { PERMISSIONS_DOC, policedFields, renderPermissionsDoc } from '../../common/auth/permission-matrix.js';

it('docs/permissions.md is current (run `npm run docs:permissions` after changing the policy)', async () => {
  expect(fs.readFileSync(PERMISSIONS_DOC, 'utf8')).toBe(await renderPermissionsDoc());
});

it('the policy names every field of every subgraph (nothing is denied by omission)', () => {
  expect(policedFields().filter((f) => f.access === undefined)).toEqual([]);
});
