/** The explorer's texts in English, for readers who switch to it. Same keys as `id.ts`. */
import type { Catalog } from './id.js';

export const en: Catalog = {
  language: { label: 'Language', id: 'Indonesia', en: 'English' },
  bar: {
    title: 'Explorer',
    hintToken: 'Put your token and the purpose of your request into the Headers editor below.',
    noTokenYetDev:
      'No token yet. Choose a role above, state the purpose, then press “Get development token” — or paste a token from the identity provider into the Headers editor.',
    noTokenYet:
      'No token yet. Paste a token from your agency’s identity provider into the Headers editor (“Authorization”: “Bearer …”) with the purpose of your request (“X-Purpose”).',
  },
  fetcher: {
    noTokenDev:
      'No token yet: choose a role above and press “Get development token”, or put a token into the Headers editor.',
    noToken:
      'No token yet: put your token into the Headers editor (Authorization: Bearer …) with the purpose of your request (X-Purpose).',
  },
  welcome: [
    '# TIMPORA Hub explorer',
    '#',
    '# Every operation needs a token in the',
    '# Headers editor ("Authorization":',
    '# "Bearer …") and, for personal data,',
    '# the purpose of the request',
    '# ("X-Purpose"); each disclosure of',
    '# personal data is recorded with it.',
    '# Ctrl-Enter runs the operation.',
    '#',
    '# Saved operations (star icon on the',
    '# left): examples for coordination',
    '# meetings, each in its own tab.',
    '# Docs (book icon): every type and',
    '# field. Results show as JSON and as',
    '# a table below, which downloads as CSV.',
    '',
  ].join('\n'),
  roles: {
    form: 'Development token',
    role: 'Role',
    agencyType: 'Agency type',
    agency: 'Agency',
    jurisdiction: 'Jurisdiction',
    jurisdictionTitle: 'Region-code prefixes, e.g. 16.01, 16.08 — or * for national',
    purpose: 'Purpose',
    defaultPurpose: 'Exploring the hub (development)',
    custom: 'Custom',
    submit: 'Get development token',
    ok: 'Token for {{agency}} ({{agencyType}}, {{jurisdiction}}) until {{until}}',
    failed: 'No token: {{reason}}',
    answered: 'the gateway answered {{status}}',
    labels: {},
  },
  saved: {
    title: 'Saved operations',
    needToken: 'Saved operations appear once there is a token: which ones depends on your agency.',
    loading: 'Loading saved operations …',
    failed: 'The saved operations could not be loaded: {{reason}}',
    none: 'No saved operations for this token.',
    partner: 'The operations registered for partner {{agency}} — the only ones it can run.',
    member: 'Example operations for coordination meetings. Each opens in its own tab.',
  },
  table: {
    title: 'Result table',
    show: 'Show table',
    hide: 'Hide table',
    list: 'List',
    rows_one: '{{count}} row',
    rows_other: '{{count}} rows',
    download: 'Download CSV',
    empty: 'No result yet. Run an operation (Ctrl-Enter); the lists in its answer show here as a table.',
    noList: 'This result holds no list of objects to show as a table.',
    notJson: 'This result is not JSON.',
    zones: 'Times in the zone of the row’s region (WIB when the row has no region code).',
    yes: 'yes',
    no: 'no',
  },
};
