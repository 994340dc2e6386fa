/**
 * Gateway plugins: partners run only their trusted documents (by hash; the match is vouched for
 * to the subgraphs), and every operation
 * is logged — who, which operation, how long, which error codes — without personal data.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { documentHash, documentsForPartner } from '../../common/auth/trusted-documents.js';
import { ErrorCode, OperationNotAllowedError } from '../../common/errors.js';
import { message } from '../../common/i18n/language.js';
import type { GatewayContext } from './context.js';

export function partnerOperationsPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      if (contextValue.caller.agencyType !== 'PARTNER') return;
      const allowed = new Map(documentsForPartner(contextValue.caller.agency).map((d) => [d.hash, d.name]));
      return {
        async didResolveOperation({ document, operationName }) {
          const registered = allowed.get(documentHash(document));
          if (!registered) {
            const agency = contextValue.caller.agency;
            throw new OperationNotAllowedError(
              operationName
                ? message('partner.notRegisteredNamed', { agency, operation: operationName })
                : message('partner.notRegistered', { agency }),
            );
          }
          // vouched for to the subgraphs (X-Trusted-Operation, under the gateway's signature)
          contextValue.trustedOperation = registered;
        },
      };
    },
  };
}

export function operationLogPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      let operationHash: string | null = null;
      return {
        async didResolveOperation({ document }) {
          operationHash = documentHash(document);
        },
        async willSendResponse({ operationName, response }) {
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          contextValue.log.info(
            {
              subject: contextValue.caller.subject,
              agencyType: contextValue.caller.agencyType,
              purpose: contextValue.purpose,
              operationName: operationName ?? null,
              operationHash,
              durationMs: Math.round(performance.now() - started),
              errorCodes: [...new Set(errors.map((e) => String(e.extensions?.code ?? 'UNKNOWN')))],
            },
            'operation',
          );
        },
      };
    },
  };
}

/**
 * A mutation refused because its `Idempotency-Key` belongs to another request (or to one still
 * running) has no data: answered with HTTP 409, as HTTP clients expect of a conflict.
 */
export function idempotencyConflictStatusPlugin(): ApolloServerPlugin<GatewayContext> {
  const CONFLICTS = new Set<unknown>([ErrorCode.IDEMPOTENCY_KEY_REUSED, ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS]);
  return {
    async requestDidStart({ contextValue }) {
      if (!contextValue.idempotency) return;
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single' || response.body.singleResult.data) return;
          if (response.body.singleResult.errors?.some((e) => CONFLICTS.has(e.extensions?.code))) {
            response.http.status = 409;
          }
        },
      };
    },
  };
}

/**
 * A document whose operation cannot be chosen — `operationName` names none of its operations, or
 * it holds several and names none — is the client's mistake: 400 OPERATION_RESOLUTION_FAILURE.
 * (@apollo/gateway would throw while building the query plan, which Apollo Server answers 500.)
 */
export function operationResolutionPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (operation) return;
          const name = request.operationName;
          throw new GraphQLError(
            name ? message('operation.unknownName', { name }) : message('operation.nameRequired'),
            { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } },
          );
        },
      };
    },
  };
}
