/**
 * docs/privacy.md is generated from the policy, the schemas and the retention defaults; it must
 * match what they say today, and name the fields that identify a person, each with its holder.
 */
import fs from 'node:fs';
import { PRIVACY_DOC, renderPrivacyDoc } from '../../common/privacy/privacy-doc.js';

it('docs/privacy.md is current (run `npm run docs:privacy` after changing the policy, schema or retention)', async () => {
  expect(fs.readFileSync(PRIVACY_DOC, 'utf8')).toBe(await renderPrivacyDoc());
});

it('the inventory names what identifies a person, under the agency that holds it, with its retention', async () => {
  const doc = await renderPrivacyDoc();
  const section = (agency: string) => doc.split(`### ${agency}\n`)[1]!.split('\n### ')[0]!;
  const row = (agency: string, type: string) =>
    section(agency)
      .split('\n')
      .find((line) => line.startsWith(`| \`${type}\``));
  const expected: [string, string, string, RegExp][] = [
    ['immigration', 'Foreigner', 'fullName', /RETENTION_FOREIGNER_YEARS/],
    ['immigration', 'Foreigner', 'passportNumber', /pseudonymised|replaced/],
    ['immigration', 'Sponsor', 'name', /RETENTION_PERMIT_YEARS/],
    ['immigration', 'WatchlistEntry', 'reason', /ended .*deleted .*RETENTION_FOREIGNER_YEARS/],
    ['immigration', 'BorderCrossing', 'carrier', /carrier .* removed/],
    ['immigration', 'ImmigrationAction', 'reason', /reason .* replaced/],
    ['police', 'SelfReportCertificate', 'address', /address is replaced/],
    ['police', 'Incident', 'summary', /RETENTION_INCIDENT_YEARS/],
    ['local-government', 'Residence', 'address', /RETENTION_FOREIGNER_YEARS/],
    ['local-government', 'Employment', 'employer', /employer .* replaced/],
    ['local-government', 'CommunityReport', 'reportedBy', /reporter .* replaced.*RETENTION_INCIDENT_YEARS/],
  ];
  for (const [agency, type, field, retention] of expected) {
    expect([agency, type, row(agency, type)]).toEqual([agency, type, expect.stringContaining(`\`${field}\``)]);
    expect(row(agency, type)).toMatch(retention);
  }
  expect(doc).not.toContain('no rule yet');
  expect(doc).toContain('## DPIA');
  expect(doc).toMatch(/\| police +\| `incidents` +\| closed/);
});
