import { z } from 'zod';
import { parse, type Env } from './parse.js';

/**
 * Operation limits, enforced from the same code (common/limits/) and the same variables by the
 * gateway, before it plans anything, and by every subgraph, before any resolver runs — whether
 * the request came through the gateway or straight to the subgraph's port (README, "Limits and faults").
 */
export interface OperationLimits {
  /** Deepest field nesting, the root field counting 1 (fragments do not add a level). */
  maxDepth: number;
  /** Aliased fields in one operation. */
  maxAliases: number;
  /** Lexical tokens in the document, counted before it is parsed. */
  maxTokens: number;
  /** Directives in one operation. */
  maxDirectives: number;
  /** Estimated objects in the answer, page sizes taken from the variables (see `common/limits/cost.ts`). */
  maxCost: number;
  /** Largest request body, in bytes (413 beyond it); at a subgraph, of every request the gateway did not sign. */
  maxRequestBytes: number;
  /**
   * Largest body of a request whose gateway signature verifies (before the body is read), at a
   * subgraph: the entity references of a page of 1,000 run past `maxRequestBytes`.
   */
  maxSignedRequestBytes: number;
  /** Objects one answer may hold, counted while resolving (subgraphs) and before sending (everywhere). */
  maxResponseObjects: number;
}

const MIB = 1024 * 1024;

/** Operation limits of every service (gateway and subgraphs read the same variables). */
export function loadOperationLimits(env: Env): OperationLimits {
  const c = parse(
    z.object({
      MAX_QUERY_DEPTH: z.coerce.number().int().min(2).max(100).default(10),
      MAX_QUERY_ALIASES: z.coerce.number().int().min(0).max(1000).default(20),
      MAX_QUERY_TOKENS: z.coerce.number().int().min(100).max(100_000).default(2000),
      MAX_QUERY_DIRECTIVES: z.coerce.number().int().min(0).max(1000).default(10),
      MAX_QUERY_COST: z.coerce.number().int().min(100).max(100_000_000).default(50_000),
      MAX_REQUEST_BYTES: z.coerce
        .number()
        .int()
        .min(1024)
        .max(100 * MIB)
        .default(100 * 1024),
      MAX_SIGNED_REQUEST_BYTES: z.coerce
        .number()
        .int()
        .min(1024)
        .max(100 * MIB)
        .default(8 * MIB),
      MAX_RESPONSE_OBJECTS: z.coerce.number().int().min(100).max(10_000_000).default(50_000),
    }),
    env,
  );
  return {
    maxDepth: c.MAX_QUERY_DEPTH,
    maxAliases: c.MAX_QUERY_ALIASES,
    maxTokens: c.MAX_QUERY_TOKENS,
    maxDirectives: c.MAX_QUERY_DIRECTIVES,
    maxCost: c.MAX_QUERY_COST,
    maxRequestBytes: c.MAX_REQUEST_BYTES,
    maxSignedRequestBytes: c.MAX_SIGNED_REQUEST_BYTES,
    maxResponseObjects: c.MAX_RESPONSE_OBJECTS,
  };
}
