/**
 * Operation limits: what one request may ask of the gateway. Every check runs before the query
 * planner, so an operation over a limit is refused with `QUERY_TOO_COMPLEX` (HTTP 400,
 * `extensions.limit` naming the limit, `extensions.max` its value) and costs the subgraphs
 * nothing:
 *
 * - tokens: counted by `checkTokenLimit` on the raw document, right after the caller's token is
 *   verified and before the document is parsed, so an oversized document is never parsed;
 * - depth, aliases and directives: graphql-armor's validation rules (run once per distinct
 *   document: Apollo Server caches a document that passed validation);
 * - cost: `operationCost`, after the operation is resolved, because page sizes are variables.
 *
 * Beside them: field suggestions ("Did you mean …") are shown only to callers who may read the
 * schema anyway, and introspection follows `INTROSPECTION` (set in server.ts).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { GraphQLError } from 'graphql';
import {
  Kind,
  Lexer,
  Source,
  TokenKind,
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
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import type { OperationLimits } from '../../common/config.js';
import { QueryTooComplexError, type OperationLimit } from '../../common/errors.js';
import type { GatewayContext } from './server.js';

/**
 * Items assumed in a list that has no page size (a foreigner's permits, incidents, SKLD, …):
 * generous for one person's records, and what makes nested lists add up in the cost.
 */
export const ASSUMED_LIST_SIZE = 10;

/** The argument that sets a page's size (`foreigners(first: 1000)`). */
const PAGE_SIZE_ARGUMENT = 'first';

function tooComplex(limit: OperationLimit, max: number, message: string): QueryTooComplexError {
  return new QueryTooComplexError(`${message} Nothing was fetched.`, limit, max);
}

/**
 * graphql-armor reports a rejection as "Syntax Error: <what>"; the hub reports it as
 * QUERY_TOO_COMPLEX without the misleading prefix (Apollo Server wraps every validation error
 * as GRAPHQL_VALIDATION_FAILED; common/errors.ts unwraps the hub's own).
 */
function reportTo(limit: OperationLimit, max: number) {
  return [
    (context: ValidationContext | null, error: GraphQLError) => {
      context?.reportError(tooComplex(limit, max, error.message.replace(/^Syntax Error: /, '')));
    },
  ];
}

/** Depth, aliases and directives, as Apollo Server validation rules (graphql-armor). */
export function limitValidationRules(limits: OperationLimits): ValidationRule[] {
  return [
    maxDepthRule({
      n: limits.maxDepth,
      // fragments do not add a level: depth is the nesting of the answer
      flattenFragments: true,
      ignoreIntrospection: true,
      propagateOnRejection: false,
      onReject: reportTo('depth', limits.maxDepth),
    }),
    maxAliasesRule({
      n: limits.maxAliases,
      propagateOnRejection: false,
      onReject: reportTo('aliases', limits.maxAliases),
    }),
    maxDirectivesRule({
      n: limits.maxDirectives,
      propagateOnRejection: false,
      onReject: reportTo('directives', limits.maxDirectives),
    }),
  ] as ValidationRule[];
}

/**
 * Refuses a document of more than `max` lexical tokens, counting no further than `max + 1`.
 * A document that does not lex is left to the parser, which reports it properly.
 */
export function checkTokenLimit(query: unknown, max: number): void {
  if (typeof query !== 'string') return;
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      count += 1;
      if (count > max) {
        throw tooComplex('tokens', max, `Token limit of ${max} exceeded.`);
      }
    }
  } catch (e) {
    if (e instanceof QueryTooComplexError) throw e;
  }
}

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
 * - Any other list of objects is assumed to hold ASSUMED_LIST_SIZE items.
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
        const count = isList(field.type) ? Math.max(0, pageSize ?? ASSUMED_LIST_SIZE) : 1;
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

/** Refuses an operation whose estimated cost exceeds the limit, before it is planned. */
export function costLimitPlugin(maxCost: number): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const cost = operationCost(schema, document, operation, request.variables ?? {});
          if (cost > maxCost) {
            const found = Number.isFinite(cost) ? Math.round(cost).toLocaleString('en') : 'more';
            throw tooComplex(
              'cost',
              maxCost,
              `Query cost limit of ${maxCost.toLocaleString('en')} exceeded, found ${found}: ` +
                `ask for fewer items per page (first) or fewer nested lists.`,
            );
          }
        },
      };
    },
  };
}

const SUGGESTION = / ?Did you mean [^?]*\?/g;

/**
 * Field suggestions ("Did you mean …") name fields a caller did not ask for: they are shown only
 * to callers who could read the schema anyway — a verified token of a member agency (or an
 * auditor) while introspection is enabled. Partners (who may run only their registered
 * operations) and everyone when introspection is disabled get the message without them.
 * Callers without a valid token never get this far: they are answered 401 before parsing.
 */
export function fieldSuggestionsPlugin(introspection: boolean): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      if (introspection && contextValue.caller.agencyType !== 'PARTNER') return;
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            if (error.message.includes('Did you mean')) {
              error.message = error.message.replace(SUGGESTION, '');
            }
          }
        },
      };
    },
  };
}
