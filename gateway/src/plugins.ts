/**
 * Gateway plugins: partners run only their trusted documents (by hash), and every operation
 * is logged — who, which operation, how long, which error codes — without personal data.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { documentHash, documentsForPartner } from '../../common/auth/trusted-documents.js';
import { OperationNotAllowedError } from '../../common/errors.js';
import type { GatewayContext } from './server.js';

export function partnerOperationsPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      if (contextValue.caller.agencyType !== 'PARTNER') return;
      const allowed = new Set(documentsForPartner(contextValue.caller.agency).map((d) => d.hash));
      return {
        async didResolveOperation({ document, operationName }) {
          if (!allowed.has(documentHash(document))) {
            throw new OperationNotAllowedError(
              `Partner ${contextValue.caller.agency} may only run its registered operations` +
                `${operationName ? ` (${operationName} is not one of them)` : ''}`,
            );
          }
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
