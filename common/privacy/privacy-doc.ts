/**
 * docs/privacy.md — the record of processing and the DPIA under UU 27/2022 — generated from
 * what the hub enforces: the personal fields of each subgraph's schema and the field group
 * (scope) the policy gives each (common/auth/policy.ts), the agency types holding each group by
 * default, and the retention rules at their default ages (common/retention/rule-docs.ts). The legal
 * bases and the DPIA's reasoning are written here, beside the tables they speak of.
 */
import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { getNamedType, isObjectType } from 'graphql';
import * as prettier from 'prettier';
import { loadRetentionConfig } from '../config/retention.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../config/services.js';
import { AGENCY_TYPES, SCOPES, defaultScopes, fieldAccess, isPersonalScope, type Scope } from '../auth/policy.js';
import { subgraphTypeDefs } from '../server/sdl.js';
import { describeRules, type RuleDoc } from '../retention/rule-docs.js';

export const PRIVACY_DOC = fileURLToPath(new URL('../../docs/privacy.md', import.meta.url));

/** The agency holding each subgraph's data, and its lawful basis beside UU 27/2022. */
const HOLDERS: Record<SubgraphName, { agency: string; basis: string }> = {
  immigration: {
    agency: 'Directorate General of Immigration (Ditjen Imigrasi) and its offices',
    basis:
      'UU 6/2011 on Immigration (art. 66–69: supervision of foreigners, the immigration information system; ' +
      'art. 69: TIMPORA) and PP 31/2013; UU 27/2022 art. 20(2)(c) and (e): a legal obligation and a task in the public interest or of official authority',
  },
  police: {
    agency: 'Kepolisian Negara Republik Indonesia (Polri): Polda, Polres',
    basis:
      'UU 2/2002 on the Police (art. 13–15: its duties and powers, the supervision of foreigners among them) and KUHAP for ' +
      'incident reports; UU 27/2022 art. 20(2)(c) and (e); crime data are specific personal data (art. 4(2)(d))',
  },
  'local-government': {
    agency: 'Provincial and regency governments: Dukcapil, Kesbangpol, manpower offices',
    basis:
      'UU 24/2013 and UU 23/2006 on Population Administration (SKTT of foreigners), UU 23/2014 on Regional Government, ' +
      'UU 13/2003 and UU 6/2023 on Manpower (foreign workers); UU 27/2022 art. 20(2)(c) and (e)',
  },
};

/** The collection behind each type that holds personal data, for its retention rule. */
const COLLECTION_OF: Record<string, string> = {
  Foreigner: 'foreigners',
  StayPermit: 'stay_permits',
  Sponsor: 'stay_permits',
  BorderCrossing: 'border_crossings',
  WatchlistEntry: 'watchlist_entries',
  ImmigrationAction: 'immigration_actions',
  Incident: 'incidents',
  IncidentParty: 'incidents',
  SelfReportCertificate: 'self_report_certificates',
  Residence: 'residences',
  Employment: 'employments',
  CommunityReport: 'community_reports',
};

interface PersonalField {
  type: string;
  field: string;
  scope: Scope;
}

/** The personal fields a subgraph's own schema serves (not the root fields), with their field group. */
function personalFields(subgraph: SubgraphName): PersonalField[] {
  const schema = buildSubgraphSchema({ typeDefs: subgraphTypeDefs(subgraph) });
  const fields: PersonalField[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('_') || ['Query', 'Mutation'].includes(type.name)) continue;
    for (const [name, field] of Object.entries(type.getFields())) {
      if (field.astNode?.directives?.some((d) => d.name.value === 'external')) continue;
      // a relation: the record it leads to has its own row
      if (isObjectType(getNamedType(field.type))) continue;
      const access = fieldAccess(type.name, name);
      const scope = typeof access === 'object' ? access.scope : access;
      // the access log's own fields: its row below; the subject-access report only restates what is listed here
      if (scope === 'audit:read' || scope === 'subject-access:read') continue;
      if (scope && scope in SCOPES && isPersonalScope(scope as Scope)) {
        fields.push({ type: type.name, field: name, scope: scope as Scope });
      }
    }
  }
  return fields.sort((a, b) => `${a.type}.${a.field}`.localeCompare(`${b.type}.${b.field}`));
}

function retentionOf(subgraph: SubgraphName, collection: string | undefined, rules: RuleDoc[]): string {
  if (!collection) return 'not stored: derived at each request from the records above';
  const rule = rules.find((r) => r.subgraph === subgraph && r.collection === collection);
  if (!rule) return `kept while the agency keeps it: no rule yet (\`${collection}\`)`;
  return `${rule.describe} (\`${rule.setting}\`)`;
}

function renderMarkdown(): string {
  const rules = describeRules(loadRetentionConfig({}));
  const lines: string[] = [];
  const out = (...text: string[]) => lines.push(...(text.length ? text : ['']));
  out(
    '# Personal data: inventory, DPIA, and the data subject’s rights',
    '',
    '<!-- Generated by `npm run docs:privacy` from common/auth/policy.ts, the subgraph schemas and the retention ' +
      'defaults (common/retention/rule-docs.ts); a test fails when it is stale. -->',
    '',
    'The hub combines what three kinds of agency hold about foreigners (WNA) in one graph. Under UU 27/2022',
    'on Personal Data Protection (UU PDP) each agency stays the controller of its own data; the hub is the',
    'processing they share. This is the record of that processing (art. 31), the impact assessment for',
    'combining the data (art. 34), and how the rights of art. 5–13 are served. The legal bases name the',
    'statutes each agency works under; each agency’s legal office confirms them for its own record.',
    '',
    '## Data inventory',
    '',
    'Per agency: the personal fields it holds (as the graph serves them), the field group that guards',
    'each (who holds a group: [permissions.md](permissions.md)), and the retention rule at its default age',
    '(README, "Retention"). Every field here needs a stated purpose (`X-Purpose`), and every disclosure',
    'is recorded in the holding agency’s access log.',
  );
  for (const subgraph of SUBGRAPH_NAMES) {
    const holder = HOLDERS[subgraph];
    out('', `### ${subgraph}`, '', `Held by: ${holder.agency}.`, '', `Legal basis: ${holder.basis}.`, '');
    out('| record | personal fields (field group) | retention |', '| --- | --- | --- |');
    const byType = new Map<string, PersonalField[]>();
    for (const f of personalFields(subgraph)) byType.set(f.type, [...(byType.get(f.type) ?? []), f]);
    for (const [type, fields] of byType) {
      const listed = fields.map((f) => `\`${f.field}\` (${f.scope})`).join(', ');
      // the other subgraphs' Foreigner fields are derived from their own records
      const collection = type === 'Foreigner' && subgraph !== 'immigration' ? undefined : COLLECTION_OF[type];
      out(`| \`${type}\` | ${listed} | ${retentionOf(subgraph, collection, rules)} |`);
    }
    out(
      `| access log (\`access_log\`) | who (officer, institution), purpose, records and foreigners disclosed, field groups, when | ${retentionOf(subgraph, 'access_log', rules)} |`,
    );
  }
  out('', '## Who may read each field group by default', '');
  out(`| field group | covers | agency types |`, '| --- | --- | --- |');
  for (const scope of Object.keys(SCOPES) as Scope[]) {
    if (!isPersonalScope(scope) || scope.endsWith(':write')) continue;
    const holders = AGENCY_TYPES.filter((t) => defaultScopes(t).includes(scope));
    out(`| \`${scope}\` | ${SCOPES[scope].covers} | ${holders.join(', ') || 'none'} (${holders.length}) |`);
  }
  out(
    '',
    '## DPIA: combining the three agencies’ data in one graph',
    '',
    'What is combined: identity, permits, crossings, cekal and TAK (immigration), incidents and SKLD',
    '(police), residence, employment and community reports (local government), joined on the foreigner’s',
    'id at the moment of a request. The hub keeps no combined copy: each agency’s data stays in its own',
    'database, and the gateway joins only what one request asks and its token may see.',
    '',
    '| risk | mitigation in the hub | residual |',
    '| --- | --- | --- |',
    '| Function creep: data collected for immigration control used for something else (art. 16 purpose limitation) | A stated purpose on every request for personal data (`PURPOSE_REQUIRED` otherwise); the purpose is recorded with every disclosure (README, "The access log") | The purpose is free text the officer writes; auditors read it, the hub does not judge it |',
    '| One agency sees more than its task needs | Field policy: a field group per kind of data, held by default only by the agency types whose task needs it (table above, [permissions.md](permissions.md)); passport numbers masked without `passport:read`; incident narratives only for police and prosecutors | A token’s scopes are as broad as its issuer makes them |',
    '| An office sees other regions’ foreigners | Jurisdiction: rows outside the token’s region prefixes do not exist for it, in lists, counts, lookups and entity resolution ([permissions.md](permissions.md#rows-jurisdiction)) | National tokens (`*`) see every region |',
    '| Counts single people out (a cell of 1 is a person) | Statistical disclosure control for callers without the personal-data scope: threshold `STATS_MIN_CELL` and complementary suppression ([statistical-disclosure.md](statistical-disclosure.md)) | Members with the scope see exact counts, as they may see the rows |',
    '| Partners run arbitrary queries | Partners run only registered trusted documents (`OPERATION_NOT_ALLOWED` otherwise) and hold `stats:read` only by default | A registered document is as wide as its review let it be |',
    '| No one can tell who saw a person’s data, or an insider erases that | Access log in each agency’s database, hash-chained, signed with the agency’s key and witnessed by the other agencies; `npm run audit -- verify` | Records newer than the last witnessed head; a rollback of all three databases together |',
    '| Passport numbers guessed through permit checks | `verifyStayPermit` answers only about the permit, is rate-limited per caller and logged (README, "Permit checks") | A slow, distributed guesser |',
    '| Data kept longer than needed | Retention rules per collection, applied by each subgraph on a timer (daily by default) and by `npm run retention`, which alone applies the rule on foreigners (its holds span agencies) (below) | Collections without a rule yet (marked above) |',
    '| A compromised service reads other agencies’ data | Subgraphs accept only requests signed by the gateway for gateway-only headers; separate databases and keys per agency | One FerretDB serves all three databases in a single-machine hub |',
  );
  out(
    '',
    '## Subject access (art. 7, 31–32)',
    '',
    'A foreigner (or their representative) asks an immigration office; the answer is due within',
    '3 × 24 hours. A data-protection officer (scope `subject-access:read`; auditors hold it too) of the',
    'office’s jurisdiction runs `npm run subject-access -- --foreigner ID --out report.pdf` (or the',
    '`subjectAccessReport` query, saved operation `SubjectAccessReport`), with a purpose naming the request:',
    'a PDF in Bahasa Indonesia and English, and the JSON it was made from, with what each agency holds about',
    'the foreigner and every disclosure of it recorded in the three access logs (when, which institution,',
    'which field groups, which purpose, the outcome), each log checked against its chain and the other',
    'agencies’ witnesses as `npm run audit -- verify` does (README, "Subject access"). The report request',
    'is itself recorded in the three access logs. Disclosures older than the access-log',
    'rule survive only as counts in the checkpoint (agency, purpose, outcome, month).',
    '',
    '## Correction (art. 6)',
    '',
    'The hub serves each agency’s records as that agency holds them; it has no mutation that edits one.',
    'A correction is made by the holding agency (the inventory above names it) in its own records; the',
    'graph shows it at the next request, since nothing is copied.',
    '',
    '## Retention (art. 16(2))',
    '',
    'Each rule, at its default age (README, "Configuration"), what it does and what holds a record back.',
    'Every rule is idempotent and resumable; the access log keeps a signed checkpoint of what was',
    'summarised, from which it still verifies.',
    '',
    '| agency | collection | rule | held back by |',
    '| --- | --- | --- | --- |',
  );
  for (const rule of rules) {
    out(`| ${rule.subgraph} | \`${rule.collection}\` | ${rule.describe} (\`${rule.setting}\`) | ${rule.holds} |`);
  }
  out('');
  return lines.join('\n');
}

/** The document as committed: rendered, then formatted with the project's Prettier settings. */
export async function renderPrivacyDoc(): Promise<string> {
  const options = (await prettier.resolveConfig(PRIVACY_DOC)) ?? {};
  return prettier.format(renderMarkdown(), { ...options, parser: 'markdown' });
}
