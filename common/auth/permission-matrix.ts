/**
 * The permission matrix for people (`docs/permissions.md`), generated from the policy and
 * the subgraph schemas: which agency type holds which field group, which fields each group
 * covers, and what partners may run.
 */
import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema } from '@apollo/subgraph';
import * as prettier from 'prettier';
import { isObjectType } from 'graphql';
import { SUBGRAPH_NAMES } from '../config/services.js';
import { subgraphTypeDefs } from '../server/sdl.js';
import {
  AGENCY_TYPES,
  MANDATES,
  AUTHENTICATED,
  DISCLOSING_QUERIES,
  MEMBER,
  PARTNER_OPERATIONS,
  SCOPES,
  SCOPE_NAMES,
  defaultScopes,
  fieldAccess,
  isPersonalScope,
  type FieldAccess,
} from './policy.js';
import { partnerDocuments } from './trusted-documents.js';
import { MASKED_VALUE } from '../audit/disclosed-queries.js';

const FEDERATION_TYPES = new Set(['_Service', 'Query._entities', 'Query._service']);

/** Every `Type.field` of every subgraph schema with the rule the policy gives it. */
export function policedFields(): { type: string; field: string; access: FieldAccess | undefined }[] {
  const seen = new Map<string, { type: string; field: string; access: FieldAccess | undefined }>();
  for (const name of SUBGRAPH_NAMES) {
    const schema = buildSubgraphSchema({ typeDefs: subgraphTypeDefs(name) });
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__') || FEDERATION_TYPES.has(type.name)) continue;
      for (const field of Object.keys(type.getFields())) {
        if (FEDERATION_TYPES.has(`${type.name}.${field}`)) continue;
        seen.set(`${type.name}.${field}`, { type: type.name, field, access: fieldAccess(type.name, field) });
      }
    }
  }
  return [...seen.values()].sort((a, b) => `${a.type}.${a.field}`.localeCompare(`${b.type}.${b.field}`));
}

function groupOf(access: FieldAccess | undefined): string {
  if (access === undefined) return 'denied (not in the policy)';
  if (access === AUTHENTICATED) return 'every verified caller';
  if (access === MEMBER) return 'TIMPORA member agency types';
  return typeof access === 'string' ? access : access.scope;
}

function renderMarkdown(): string {
  const lines: string[] = [];
  const out = (line = '') => lines.push(line);
  out('# Permission matrix');
  out();
  out('<!-- Generated from common/auth/policy.ts by `npm run docs:permissions`; a test fails when it is stale. -->');
  out();
  out('Every request carries a signed token naming its agency type, scopes and jurisdiction; the');
  out('gateway and every subgraph enforce the same policy. A denied field is `null` with a');
  out('`FORBIDDEN` error at its path. Personal data needs an `X-Purpose` header (`PURPOSE_REQUIRED`');
  out('otherwise) and every disclosure is written to the access log.');
  out();
  out('## Field groups held by default, by agency type');
  out();
  out(`| field group | covers | ${AGENCY_TYPES.join(' | ')} |`);
  out(`| --- | --- | ${AGENCY_TYPES.map(() => ':---:').join(' | ')} |`);
  const grants = new Map(AGENCY_TYPES.map((t) => [t, new Set(defaultScopes(t))]));
  for (const scope of SCOPE_NAMES) {
    const cells = AGENCY_TYPES.map((t) => (grants.get(t)!.has(scope) ? '✓' : ''));
    out(`| \`${scope}\` | ${SCOPES[scope].covers} | ${cells.join(' | ')} |`);
  }
  out();
  out(
    'Partners hold only the scopes written into their credential (by default `' +
      defaultScopes('PARTNER').join(' ') +
      '`).',
  );
  out(
    'Callers without `passport:read` see passport numbers masked: first two and last two characters kept, e.g. `E1****78`.',
  );
  out();
  out('### Members by mandate');
  out();
  for (const [type, why] of Object.entries(MANDATES)) out(`- \`${type}\`: ${why}`);
  out();
  out('## Fields in each group');
  out();
  const fields = policedFields();
  const groups = new Map<string, string[]>();
  for (const f of fields) {
    const group = groupOf(f.access);
    const masked =
      f.access && typeof f.access === 'object'
        ? 'maskedWithout' in f.access
          ? ` (masked without \`${f.access.maskedWithout}\`)`
          : ` (also needs \`${f.access.alsoNeeds}\`)`
        : '';
    const list = groups.get(group) ?? [];
    list.push(`\`${f.type}.${f.field}\`${masked}`);
    groups.set(group, list);
  }
  const order = [...SCOPE_NAMES, 'TIMPORA member agency types', 'every verified caller', 'denied (not in the policy)'];
  for (const group of order) {
    const list = groups.get(group);
    if (!list) continue;
    const isScope = (SCOPE_NAMES as string[]).includes(group);
    const personal = isScope && isPersonalScope(group as (typeof SCOPE_NAMES)[number]);
    out(`### ${isScope ? `\`${group}\`` : group}${personal ? ' — personal data' : ''}`);
    out();
    out(list.join(', '));
    out();
  }
  out('## Rows: jurisdiction');
  out();
  out('A token names region-code prefixes (`16.01`) or `*` for national. Rows outside them do not exist for');
  out('the caller — in lists, counts, single lookups and entity resolution — and writes outside them are `FORBIDDEN`.');
  out();
  out('| record | placed by |');
  out('| --- | --- |');
  out('| foreigner (and the permits, crossings, cekal entries and TAK under it) | domicile region |');
  out('| incident | incident region |');
  out('| self-report certificate (SKLD) | region of the reported address |');
  out('| residence certificate (SKTT) | residence region |');
  out('| employment | region of the workplace |');
  out('| community report | region reported |');
  out('| region, member institution | not restricted (reference data) |');
  out('| coordination meeting, joint operation | its region, for recording it; read: not restricted (see below) |');
  out(
    '| stay-permit check (`verifyStayPermit`) | not restricted: answers only about the permit; rate-limited, logged |',
  );
  out();
  out('TIMPORA meetings and joint operations are shared with every member agency whatever its jurisdiction (they');
  out("hold no personal data, and a province's TIMPORA meets for its regencies), but recording one is a write about");
  out("its region: a regency's team records its regency, a province's its province and regencies, a national caller");
  out('any region — `FORBIDDEN` naming `input.regionCode` otherwise.');
  out();
  out('## Access log');
  out();
  out('Every disclosure of personal data is a record (who, institution, purpose, records, field groups, when).');
  out('Every listing, count and lookup about foreigners is one too, whatever it selected — a page of ids, a');
  out('cursor or `totalCount` only — with the ids served and its `filter`: the arguments named below as given,');
  out(`every other value replaced by \`${MASKED_VALUE}\`. An idempotent replay is a record of its own (\`replayOf\`).`);
  out();
  out('| query | arguments recorded as given |');
  out('| --- | --- |');
  for (const [field, kept] of Object.entries(DISCLOSING_QUERIES)) {
    out(`| \`${field}\` | ${kept.length ? kept.map((a) => `\`${a}\``).join(', ') : 'none (all masked)'} |`);
  }
  out();
  out('Auditors (`audit:read`) read by jurisdiction: `*` every record; an auditor of some regions the records');
  out('naming a row placed in them (as in the table above), narrowed to those rows. A record naming no placed');
  out('row (a stay-permit check, a foreigner reference with nothing under it) is read by national auditors only.');
  out();
  out('## Counts: statistical disclosure control');
  out();
  out('Statistics are exact for callers who may list the rows counted (`foreignerStatistics`: `identity:read`;');
  out('`communityReportStatistics`: `community:read`). Everyone else — partners, `stats:read`-only roles, their');
  out('exports — gets no count below `STATS_MIN_CELL` (5 by default), nor one that can be worked out from other');
  out('figures: see [statistical-disclosure.md](statistical-disclosure.md).');
  out();
  out('## Partner operations');
  out();
  out('Partners may run only these trusted documents (`schema/operations/partner/`), sent in full or by');
  out('hash (`extensions.persistedQuery.sha256Hash`); anything else is refused with `OPERATION_NOT_ALLOWED`.');
  out();
  out('| operation | partners | SHA-256 of the normalized document | root fields |');
  out('| --- | --- | --- | --- |');
  for (const doc of partnerDocuments()) {
    const partners = Object.entries(PARTNER_OPERATIONS)
      .filter(([, names]) => names.includes(doc.name))
      .map(([agency]) => (agency === '*' ? 'every partner' : `\`${agency}\``));
    out(
      `| ${doc.name} | ${partners.join(', ')} | \`${doc.hash}\` | ${doc.rootFields.map((f) => `\`${f}\``).join(', ')} |`,
    );
  }
  out();
  return lines.join('\n');
}

export const PERMISSIONS_DOC = fileURLToPath(new URL('../../docs/permissions.md', import.meta.url));

/** The document as committed: rendered, then formatted with the project's Prettier settings. */
export async function renderPermissionsDoc(): Promise<string> {
  const options = (await prettier.resolveConfig(PERMISSIONS_DOC)) ?? {};
  return prettier.format(renderMarkdown(), { ...options, parser: 'markdown' });
}
