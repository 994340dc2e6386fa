/**
 * docs/permissions.md is generated from the policy; it must match what the policy says today.
 */
import fs from 'node:fs';
import { PERMISSIONS_DOC, policedFields, renderPermissionsDoc } from '../../common/auth/permission-matrix.js';
import { MANDATES, MEMBER_AGENCY_TYPES, defaultScopes } from '../../common/auth/policy.js';

it('docs/permissions.md is current (run `npm run docs:permissions` after changing the policy)', async () => {
  expect(fs.readFileSync(PERMISSIONS_DOC, 'utf8')).toBe(await renderPermissionsDoc());
});

it('the policy names every field of every subgraph (nothing is denied by omission)', () => {
  expect(policedFields().filter((f) => f.access === undefined)).toEqual([]);
});

describe('the members by mandate', () => {
  const BASELINE = ['identity:read', 'permit:read', 'selfreport:read', 'community:read', 'stats:read'];

  it('Kemenag (RELIGIOUS_AFFAIRS) holds the member baseline and no more: no passport, crossings, cekal, TAK, incidents, address or employment', () => {
    expect(defaultScopes('RELIGIOUS_AFFAIRS').sort()).toEqual([...BASELINE].sort());
  });

  it('manpower adds employment; tourism holds the baseline; neither writes', () => {
    expect(defaultScopes('MANPOWER').sort()).toEqual([...BASELINE, 'employment:read'].sort());
    expect(defaultScopes('TOURISM').sort()).toEqual([...BASELINE].sort());
  });

  it('are TIMPORA members (they read the coordination data) and their mandate is documented', () => {
    for (const type of ['RELIGIOUS_AFFAIRS', 'MANPOWER', 'TOURISM'] as const) {
      expect(MEMBER_AGENCY_TYPES).toContain(type);
      expect(fs.readFileSync(PERMISSIONS_DOC, 'utf8')).toContain(`- \`${type}\`: ${MANDATES[type]}`);
    }
  });
});
