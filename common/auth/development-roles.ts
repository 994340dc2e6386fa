/**
 * Typical roles of TIMPORA OKU Raya for development tokens: the ones `npm start` prints and
 * the explorer's role picker offers. Demo identities only; production tokens come from the
 * identity provider.
 */
import type { TokenRequest } from './tokens.js';

export type DevelopmentRole = TokenRequest & { label: string };

export const DEVELOPMENT_ROLES: readonly DevelopmentRole[] = [
  {
    label: 'Immigration office Muara Enim, Baturaja work unit',
    agencyType: 'IMMIGRATION',
    agency: 'KANIM-BATURAJA',
    jurisdiction: ['16.01', '16.08', '16.09'],
  },
  { label: 'Polres OKU', agencyType: 'POLICE', agency: 'POLRES-OKU', jurisdiction: ['16.01'] },
  { label: 'Dukcapil OKU', agencyType: 'LOCAL_GOVERNMENT', agency: 'DUKCAPIL-OKU', jurisdiction: ['16.01'] },
  {
    label: 'Kodim 0403/OKU',
    agencyType: 'MILITARY',
    agency: 'KODIM-0403-OKU',
    jurisdiction: ['16.01', '16.08', '16.09'],
  },
  {
    label: 'Partner (employer; runs only its registered operations)',
    agencyType: 'PARTNER',
    agency: 'PT-SAWIT-OGAN-LESTARI',
    jurisdiction: ['16.01'],
    scopes: ['permit:read', 'stats:read'],
  },
  { label: 'Auditor', agencyType: 'AUDITOR', agency: 'ITJEN-AUDIT', jurisdiction: ['*'] },
  {
    label: 'Data-protection officer, Kanim Baturaja (subject-access reports)',
    agencyType: 'IMMIGRATION',
    agency: 'KANIM-BATURAJA',
    jurisdiction: ['16.01', '16.08', '16.09'],
    scopes: ['identity:read', 'subject-access:read'],
  },
];
