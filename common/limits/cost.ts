/**
 * The cost limit: the most objects an operation's answer can hold, estimated from the document and
 * its variables once the operation is resolved (page sizes are variables), before the gateway plans
 * it or a subgraph runs a resolver. Over `maxCost`, the operation is refused with `QUERY_TOO_COMPLEX`
 * (`extensions.limit: "cost"`).
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  Kind,
  getNamedType,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type GraphQLType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { MAX_BRIEF_REGENCIES } from '../brief/scope.js';
import { tooComplex } from './document.js';
import { message } from '../i18n/language.js';

/**
 * Items assumed in a list that has no page size (a foreigner's permits, incidents, SKLD, …):
 * generous for one person's records, and what makes nested lists add up in the cost.
 */
export const ASSUMED_LIST_SIZE = 10;

/**
 * Lists whose size is known from the data rather than assumed, by `Type.field`. `Region.children`
 * holds at most 108 regions (a province up to 38 regencies, a regency up to 51 districts, a district
 * up to 108 villages): assuming 10 let `regions { children { parent { children … } } }` pass the
 * estimate with a real answer of 257,364 regions.
 * test/unit/list-sizes.test.ts checks these against the official region tree.
 */
export const KNOWN_LIST_SIZES: Readonly<Record<string, number>> = {
  'Region.children': 108,
  // a meeting brief (common/brief/): one item per regency, at most MAX_BRIEF_REGENCIES; the
  // counts by category one per regency and category (9 incident categories); a regency's
  // population groups one per nationality and permit type found there
  'MeetingBrief.regencies': MAX_BRIEF_REGENCIES,
  'MeetingBrief.population': MAX_BRIEF_REGENCIES,
  'MeetingBrief.expiringBeforeMeeting': MAX_BRIEF_REGENCIES,
  'MeetingBrief.expiringAfterMeeting': MAX_BRIEF_REGENCIES,
  'MeetingBrief.overstays': MAX_BRIEF_REGENCIES,
  'MeetingBrief.selfReportGaps': MAX_BRIEF_REGENCIES,
  'MeetingBrief.residenceGaps': MAX_BRIEF_REGENCIES,
  'MeetingBrief.incidentsSinceLastMeeting': MAX_BRIEF_REGENCIES * 9,
  'MeetingBrief.communityReportsSinceLastMeeting': MAX_BRIEF_REGENCIES * 6,
  'BriefPopulation.groups': 200,
};

/** The argument that sets a page's size (`foreigners(first: 1000)`). */
const PAGE_SIZE_ARGUMENT = 'first';

/** The argument of `_entities` (asked by the gateway of a subgraph) listing the objects it answers. */
const REPRESENTATIONS_ARGUMENT = 'representations';

/** The value of an integer argument: literal, variable (with the operation's default) or the schema's default. */
function intArgument(
  field: GraphQLField<unknown, unknown>,
  name: string,
  value: ValueNode | undefined,
  variables: Record<string, unknown>,
  operation: OperationDefinitionNode,
): number | null {
  const fallback = field.args.find((a) => a.name === name)?.defaultValue;
  const schemaDefault = typeof fallback === 'number' ? fallback : null;
  if (!value) return schemaDefault;
  if (value.kind === Kind.INT) return Number.parseInt(value.value, 10);
  if (value.kind !== Kind.VARIABLE) return schemaDefault;
  const given = variables[value.name.value];
  if (typeof given === 'number' && Number.isFinite(given)) return given;
  if (given === undefined) {
    const declared = operation.variableDefinitions?.find((d) => d.variable.name.value === value.name.value);
    if (declared?.defaultValue?.kind === Kind.INT) return Number.parseInt(declared.defaultValue.value, 10);
  }
  return schemaDefault;
}

/** How many items a list argument holds (literal or variable), or null when it is not a list. */
function listLength(value: ValueNode | undefined, variables: Record<string, unknown>): number | null {
  if (value?.kind === Kind.LIST) return value.values.length;
  if (value?.kind !== Kind.VARIABLE) return null;
  const given = variables[value.name.value];
  return Array.isArray(given) ? given.length : null;
}

function isList(type: GraphQLType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/**
 * The estimated cost of an operation: the most objects its answer can hold.
 *
 * - Every object in the answer counts 1; scalars and enums are free (the token limit bounds
 *   how many an operation names), and so is introspection (`__schema`, `__type`, `__typename`).
 * - A field with a `first` argument is a page: the lists directly inside it (`nodes`, `edges`)
 *   hold `first` items — the variable's value, else the operation's default, else the schema's.
 * - `_entities` (a subgraph answering the gateway) holds as many objects as its `representations`.
 * - A list in KNOWN_LIST_SIZES holds that many items; any other list of objects is assumed to hold
 *   ASSUMED_LIST_SIZE items.
 * - Nested lists multiply: 1,000 foreigners with their incidents are 1,000 × (1 + 10) objects.
 * - Fragments count where they are spread (each fragment computed once per page size, so a
 *   document that spreads fragments in fragments cannot make this computation explode).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const fragmentCosts = new Map<string, number>();
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;

  /** The cost of one object of `type` answering `selectionSet`; lists directly inside hold `pageSize` items when given. */
  const costOf = (selectionSet: SelectionSetNode, type: GraphQLCompositeType, pageSize: number | null): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__') || !selection.selectionSet || isAbstractType(type)) continue;
        const field = type.getFields()[selection.name.value];
        if (!field) continue;
        const named = getNamedType(field.type);
        if (isLeafType(named)) continue;
        const representations = listLength(
          selection.arguments?.find((a) => a.name.value === REPRESENTATIONS_ARGUMENT)?.value,
          variables,
        );
        const known = KNOWN_LIST_SIZES[`${type.name}.${field.name}`];
        const count = isList(field.type) ? Math.max(0, representations ?? pageSize ?? known ?? ASSUMED_LIST_SIZE) : 1;
        const pageArgument = field.args.some((a) => a.name === PAGE_SIZE_ARGUMENT)
          ? intArgument(
              field,
              PAGE_SIZE_ARGUMENT,
              selection.arguments?.find((a) => a.name.value === PAGE_SIZE_ARGUMENT)?.value,
              variables,
              operation,
            )
          : null;
        cost += count * (1 + costOf(selection.selectionSet, named as GraphQLCompositeType, pageArgument));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        cost += costOf(selection.selectionSet, (on ?? type) as GraphQLCompositeType, pageSize);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment) continue;
        const key = `${fragment.name.value}:${pageSize}`;
        let fragmentCost = fragmentCosts.get(key);
        if (fragmentCost === undefined) {
          fragmentCosts.set(key, 0); // a cycle (refused by validation before this runs) would count nothing
          const on = schema.getType(fragment.typeCondition.name.value);
          fragmentCost = costOf(fragment.selectionSet, (on ?? type) as GraphQLCompositeType, pageSize);
          fragmentCosts.set(key, fragmentCost);
        }
        cost += fragmentCost;
      }
      if (!Number.isFinite(cost)) return Number.POSITIVE_INFINITY;
    }
    return cost;
  };
  return costOf(operation.selectionSet, root, null);
}

/** Refuses an operation whose estimated cost exceeds the limit, before it is planned or resolved. */
export function costLimitPlugin(maxCost: number): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const cost = operationCost(schema, document, operation, request.variables ?? {});
          if (cost > maxCost) {
            throw tooComplex(
              'cost',
              maxCost,
              Number.isFinite(cost)
                ? message('limits.cost', { max: maxCost, found: Math.round(cost) })
                : message('limits.costUnbounded', { max: maxCost }),
            );
          }
        },
      };
    },
  };
}
