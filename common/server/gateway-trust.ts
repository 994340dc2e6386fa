/**
 * What a subgraph grants only to its gateway. A request is the gateway's when its
 * `X-Gateway-Signature` verifies (common/auth/gateway-signature.ts); any other request — a
 * member agency calling the subgraph's port directly — is served under exactly the same
 * policy and limits, but:
 *
 * - headers only the gateway may set (request id, client operation name, idempotency
 *   fingerprint, trusted operation) are dropped before anything reads them;
 * - `_entities` (entity references are the gateway's to make: each subgraph trusts the owner's
 *   decision that a reference is in the caller's jurisdiction), `_service` and introspection are
 *   refused (`SUBGRAPH_INTROSPECTION=enabled` opens the last two to every verified caller);
 * - partner tokens are refused: partners run only registered operations, which the gateway matches.
 *
 * A request with a signature that does not verify is refused outright (401); one whose signature
 * cannot be checked against the used ones, because the shared store (Redis) does not answer, 503.
 */
import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import { TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';
import {
  GATEWAY_ONLY_HEADERS,
  GATEWAY_SIGNATURE_HEADER,
  type GatewaySignatureVerifier,
} from '../auth/gateway-signature.js';
import type { PermissionContext } from '../auth/permissions.js';
import { documentsForPartner } from '../auth/trusted-documents.js';
import { ErrorCode, OperationNotAllowedError, PublicError } from '../errors.js';
import { message, translate } from '../i18n/language.js';
import type { Logger } from '../logger.js';
import { TRUSTED_OPERATION_HEADER, header } from './request-headers.js';

/** The raw request body, kept by `express.json({ verify })` so the signature can cover its exact bytes. */
export function keepRawBody(req: IncomingMessage, _res: unknown, buffer: Buffer): void {
  (req as IncomingMessage & { rawBody?: Buffer }).rawBody = buffer;
}

/** Where the middleware leaves its verdict for the GraphQL context. */
export interface GatewayTrustLocals {
  viaGateway?: boolean;
}

/**
 * Express middleware, after the body is parsed: verifies the gateway's signature and sets
 * `res.locals.viaGateway`; drops the gateway's headers from any other request.
 */
export function gatewayTrust(verify: GatewaySignatureVerifier, log: Logger): RequestHandler {
  return (req, res, next) => {
    const signature = header(req.headers, GATEWAY_SIGNATURE_HEADER);
    const locals = res.locals as GatewayTrustLocals;
    if (signature === undefined) {
      const dropped = GATEWAY_ONLY_HEADERS.filter((name) => req.headers[name] !== undefined);
      for (const name of dropped) delete req.headers[name];
      if (dropped.length > 0)
        log.warn({ dropped }, 'headers only the gateway may set were ignored on a direct request');
      locals.viaGateway = false;
      next();
      return;
    }
    const body = (req as { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0);
    verify(signature, body, (name) => header(req.headers, name)).then(
      (refused) => {
        if (refused === null) {
          locals.viaGateway = true;
          next();
          return;
        }
        const reason = `auth.gatewaySignature.${refused}` as const;
        // the store of used signatures (Redis) did not answer: a fault of this subgraph, retried later, not a forgery
        const unavailable = refused === 'unavailable';
        if (unavailable) log.error({ reason: translate('en', reason) }, 'gateway signature cannot be checked');
        else log.warn({ reason: translate('en', reason) }, 'gateway signature refused');
        res.status(unavailable ? 503 : 401).json({
          errors: [
            {
              message: message('auth.gatewaySignature', { reason: message(reason) }),
              extensions: {
                code: unavailable ? ErrorCode.SUBGRAPH_UNAVAILABLE : ErrorCode.UNAUTHENTICATED,
                field: 'X-Gateway-Signature',
              },
            },
          ],
        });
      },
      (e: unknown) => next(e),
    );
  };
}

/** The context a subgraph's plugins read: who asks, and whether through the gateway. */
export interface GatewayTrustContext extends PermissionContext {
  viaGateway: boolean;
}

const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

/**
 * Root fields that only the gateway may ask for, wherever the document selects them (in an
 * operation, a fragment or an inline fragment on Query; the whole document is read, so another
 * operation beside the chosen one counts too).
 */
function gatewayOnlyFields(schema: GraphQLSchema, document: DocumentNode, introspection: boolean): string[] {
  const found = new Set<string>();
  const query = schema.getQueryType();
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        if (typeInfo.getParentType() !== query) return;
        const name = node.name.value;
        if (name === '_entities' || (!introspection && (name === '_service' || INTROSPECTION_FIELDS.has(name)))) {
          found.add(name);
        }
      },
    }),
  );
  return [...found];
}

/**
 * Refuses, before any resolver runs, what only the gateway may ask of a subgraph: partners'
 * requests the gateway did not match to a registered operation, `_entities`, and (unless
 * `introspection` is open to everyone) `_service` and introspection.
 */
export function gatewayOnlyPlugin(options: { introspection: boolean }): ApolloServerPlugin<GatewayTrustContext> {
  return {
    async requestDidStart({ contextValue, request }) {
      const { caller, viaGateway } = contextValue;
      return {
        async didResolveOperation({ schema, document, operation }) {
          if (caller.agencyType === 'PARTNER') {
            if (!viaGateway) {
              throw new OperationNotAllowedError(message('partner.throughGateway', { agency: caller.agency }));
            }
            const name = request.http?.headers.get(TRUSTED_OPERATION_HEADER);
            if (!name || !documentsForPartner(caller.agency).some((d) => d.name === name)) {
              throw new OperationNotAllowedError(
                name
                  ? message('partner.notRegisteredNamed', { agency: caller.agency, operation: name })
                  : message('partner.notRegistered', { agency: caller.agency }),
              );
            }
          }
          if (viaGateway || !operation) return;
          const refused = gatewayOnlyFields(schema, document, options.introspection);
          if (refused.length > 0) {
            throw new PublicError(
              message('forbidden.gatewayOnly', { fields: refused.join(', ') }),
              ErrorCode.FORBIDDEN,
              { field: refused[0], http: { status: 403 } },
            );
          }
        },
      };
    },
  };
}
