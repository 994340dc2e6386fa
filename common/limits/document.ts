/**
 * The limits read off the document itself, before anything runs:
 *
 * - tokens: counted by `checkTokenLimit` on the raw document, right after the caller's token is
 *   verified and before the document is parsed, so an oversized document is never parsed;
 * - depth, aliases and directives: graphql-armor's validation rules (run once per distinct
 *   document: Apollo Server caches a document that passed validation).
 *
 * Over a limit, the operation is refused with `QUERY_TOO_COMPLEX` (HTTP 400, `extensions.limit`
 * naming the limit, `extensions.max` its value).
 */
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { Lexer, Source, TokenKind, type GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import type { OperationLimits } from '../config/limits.js';
import { QueryTooComplexError, type OperationLimit } from '../errors.js';
import { message } from '../i18n/language.js';

/** The refusal of an operation over a limit: nothing of it runs. */
export function tooComplex(limit: OperationLimit, max: number, text: string): QueryTooComplexError {
  return new QueryTooComplexError(text, limit, max);
}

const ARMOR_MESSAGES = { depth: 'limits.depth', aliases: 'limits.aliases', directives: 'limits.directives' } as const;

/**
 * graphql-armor reports a rejection as "Syntax Error: <what> limit of N exceeded, found M."; the
 * hub reports it as QUERY_TOO_COMPLEX in the request's language, with the number found (Apollo
 * Server wraps every validation error as GRAPHQL_VALIDATION_FAILED; common/errors.ts unwraps the
 * hub's own).
 */
function reportTo(limit: keyof typeof ARMOR_MESSAGES, max: number) {
  return [
    (context: ValidationContext | null, error: GraphQLError) => {
      const found = /found (\d+)/.exec(error.message)?.[1] ?? '?';
      context?.reportError(
        tooComplex(limit, max, message(ARMOR_MESSAGES[limit], { max, found: Number(found) || found })),
      );
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
      // an aliased `__typename` counts too (graphql-armor lets any number through by default)
      allowList: [],
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
        throw tooComplex('tokens', max, message('limits.tokens', { max }));
      }
    }
  } catch (e) {
    if (e instanceof QueryTooComplexError) throw e;
  }
}

/** The GraphQL document of an HTTP request: in the JSON body (POST) or the query string (GET). */
export function requestBodyOf(req: {
  method: string;
  query: unknown;
  body?: unknown;
}): Record<string, unknown> | undefined {
  return (req.method === 'GET' ? req.query : req.body) as Record<string, unknown> | undefined;
}
