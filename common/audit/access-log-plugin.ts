/**
 * Apollo Server plugin that appends what a request disclosed to the subgraph's access log
 * before the answer leaves. If the record cannot be written, the data is withheld: no
 * personal data is disclosed unlogged.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { isDatabaseUnavailable } from '../db/errors.js';
import type { RequestInfo } from '../server/subgraph-server.js';
import type { AccessLog } from './access-log.js';
import { disclosedExtras } from './disclosed-queries.js';

export function accessLogPlugin(accessLog: AccessLog): ApolloServerPlugin<RequestInfo> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue: ctx, operationName, response }) {
          const { disclosures } = ctx;
          if (disclosures.isEmpty) return;
          try {
            await accessLog.append({
              requestId: ctx.requestId,
              subject: ctx.caller.subject,
              agency: ctx.caller.agency,
              agencyType: ctx.caller.agencyType,
              purpose: ctx.purpose,
              operationName: ctx.clientOperationName ?? operationName ?? null,
              recordIds: [...disclosures.recordIds].sort(),
              foreignerIds: [...disclosures.foreignerIds].sort(),
              fieldGroups: [...disclosures.fieldGroups].sort(),
              at: new Date(),
              ...disclosedExtras(disclosures),
            });
          } catch (e) {
            ctx.log.error({ err: e }, 'access log append failed; withholding the response');
            if (response.body.kind === 'single') {
              response.body.singleResult.data = null;
              response.body.singleResult.errors = [
                new GraphQLError('The access log could not record this disclosure; nothing was disclosed', {
                  // the database being down is worth a retry; anything else is a fault of the hub
                  extensions: { code: isDatabaseUnavailable(e) ? 'DATABASE_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR' },
                }),
              ];
            }
          }
        },
      };
    },
  };
}
