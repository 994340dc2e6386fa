/**
 * A subgraph reached directly is as strict with partners as the gateway: a partner may ask it
 * only for the root fields that its registered operations select.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind } from 'graphql';
import { OperationNotAllowedError } from '../errors.js';
import type { PermissionContext } from './permissions.js';
import { partnerRootFields } from './trusted-documents.js';

export function partnerRootFieldsPlugin(): ApolloServerPlugin<PermissionContext> {
  return {
    async requestDidStart({ contextValue }) {
      if (contextValue.caller.agencyType !== 'PARTNER') return;
      const allowed = partnerRootFields(contextValue.caller.agency);
      return {
        async didResolveOperation({ operation }) {
          for (const selection of operation?.selectionSet.selections ?? []) {
            const name = selection.kind === Kind.FIELD ? selection.name.value : null;
            if (name === '__typename') continue;
            if (!name || !allowed.has(name)) {
              throw new OperationNotAllowedError(
                `Partner ${contextValue.caller.agency} may only run its registered operations (${name ?? 'fragment'} is not part of them)`,
              );
            }
          }
        },
      };
    },
  };
}
