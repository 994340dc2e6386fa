/**
 * Operation limits, one implementation for the gateway and every subgraph, from the same
 * configuration (`MAX_QUERY_*`, `MAX_REQUEST_BYTES`, `MAX_RESPONSE_OBJECTS`; common/config/limits.ts).
 * A request over a limit is refused with `QUERY_TOO_COMPLEX` (or 413 `PAYLOAD_TOO_LARGE` for its
 * body) before the gateway plans it and before a subgraph runs any resolver; the cap on the
 * objects of an answer is the one limit found while resolving (common/limits/response-objects.ts).
 *
 * In order: the body size (express, before the body is read further), the tokens (before the
 * document is parsed), depth, aliases and directives (validation), the cost (once the operation
 * and its variables are known), the objects of the answer (while resolving and before sending).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import express, { type RequestHandler } from 'express';
import type { OperationLimits } from '../config/limits.js';
import { costLimitPlugin } from './cost.js';
import { responseObjectsPlugin } from './response-objects.js';

export { responseObjectsMiddleware } from './response-objects.js';

export { ASSUMED_LIST_SIZE, KNOWN_LIST_SIZES, operationCost } from './cost.js';
export { checkTokenLimit, limitValidationRules, requestBodyOf } from './document.js';

/** The limits found once an operation is resolved or run: its cost, and the objects of its answer. */
export function operationLimitPlugins(
  limits: OperationLimits,
  options: { onResolverCalls?: (count: number) => void } = {},
): ApolloServerPlugin<BaseContext>[] {
  return [
    costLimitPlugin(limits.maxCost),
    responseObjectsPlugin({ max: limits.maxResponseObjects, onResolverCalls: options.onResolverCalls }),
  ];
}

export interface JsonBodyOptions {
  /** Called with the raw body once read (the gateway's signature covers its exact bytes). */
  verify?: (req: IncomingMessage, res: ServerResponse, buffer: Buffer) => void;
  /**
   * Whether a request carries a genuine signature of the gateway, told before its body is read:
   * such a request may carry up to `maxSignedRequestBytes` (the entity references of a large
   * page); every other one `maxRequestBytes`. What the signature covers (the body, the headers)
   * is checked once the body is read.
   */
  signedByGateway?: (req: IncomingMessage) => Promise<boolean>;
}

/** The JSON body parser, refusing a body over the limit with 413 (common/server/request-errors.ts). */
export function limitedJsonBody(limits: OperationLimits, options: JsonBodyOptions = {}): RequestHandler {
  const direct = express.json({ limit: limits.maxRequestBytes, verify: options.verify });
  const { signedByGateway } = options;
  if (!signedByGateway) return direct;
  const signed = express.json({
    limit: Math.max(limits.maxRequestBytes, limits.maxSignedRequestBytes),
    verify: options.verify,
  });
  return (req, res, next) => {
    signedByGateway(req).then(
      (genuine) => (genuine ? signed : direct)(req, res, next),
      (e: unknown) => next(e),
    );
  };
}
