/**
 * The supergraph the benchmark's Hive Gateway serves: the hub's subgraph SDL composed as
 * `npm run compose` composes it, at the subgraphs' configured URLs, with one change for Hive
 * alone (below). The hub's own gateway serves the committed `schema/supergraph.graphql`,
 * untouched, and the hub's API keeps its type names.
 *
 * Why: Hive Gateway builds its schema with graphql-tools' stitching, whose
 * `isolateComputedFieldsTransformer` moves a type that a subgraph returns only from computed
 * (`@requires`) fields into a subschema of its own marked `canonical`. When two subgraphs do
 * that with the same (shared, `@shareable`) type, two subschemas claim it canonical and
 * stitching refuses ("Multiple canonical definitions for "SubjectAccessSection""): a 500 for
 * every request. Apollo composes and plans these schemas correctly; `@graphql-tools/stitch`
 * 10.3.1 (the newest on npm when written) still refuses them. The hub has three such types:
 * - `SubjectAccessSection` (common/audit/subject-access.graphql), returned by
 *   `SubjectAccessReport.immigration`, `.police` and `.localGovernment`, one per subgraph;
 * - `BriefCategoryCount` and `BriefRegistrationGap` (common/brief/meeting-brief.graphql),
 *   returned by `MeetingBrief.incidentsSinceLastMeeting` and `selfReportGaps` in police,
 *   `communityReportsSinceLastMeeting` and `residenceGaps` in local-government.
 *
 * The change: in every subgraph but one returning such a type, the type gets a name of its own
 * (the subgraph's name before it, e.g. `PoliceSubjectAccessSection`), so each isolated type is
 * canonical alone. These are the only types Hive sees under other names, and the fields
 * returning them are in no benchmark workload, so every workload's query and plan are the
 * hub's. test/schema/hive-supergraph.test.ts builds Hive's schema from this supergraph.
 */
import { visit, type DocumentNode } from 'graphql';
import type { SubgraphName } from '../../common/config/services.js';
import { composeSupergraph } from '../../schema/compose.js';
import { subgraphDefinitions } from '../../schema/subgraphs.js';

/** The types each subgraph names differently for Hive (see above): `{ type: nameForHive }`. */
const HIVE_TYPE_RENAMES: Record<SubgraphName, Record<string, string>> = {
  immigration: {},
  police: { SubjectAccessSection: 'PoliceSubjectAccessSection' },
  'local-government': {
    SubjectAccessSection: 'LocalGovernmentSubjectAccessSection',
    BriefCategoryCount: 'LocalGovernmentBriefCategoryCount',
    BriefRegistrationGap: 'LocalGovernmentBriefRegistrationGap',
  },
};

/** The subgraph's SDL with each type of `renames` under its new name: its definition and every reference. */
function renameTypes(typeDefs: DocumentNode, renames: Record<string, string>): DocumentNode {
  const rename = <T extends { name: { value: string } }>(node: T): T | undefined => {
    const to = renames[node.name.value];
    return to ? { ...node, name: { ...node.name, value: to } } : undefined;
  };
  return visit(typeDefs, { NamedType: rename, ObjectTypeDefinition: rename });
}

/** The supergraph SDL Hive Gateway serves, with each subgraph at its URL in `urls` (by default its local default URL). */
export function hiveSupergraph(urls: Partial<Record<SubgraphName, string>> = {}): string {
  return composeSupergraph(
    subgraphDefinitions().map((definition) => {
      const name = definition.name as SubgraphName;
      const typeDefs = renameTypes(definition.typeDefs, HIVE_TYPE_RENAMES[name]);
      return { ...definition, url: urls[name] ?? definition.url, typeDefs };
    }),
  );
}
