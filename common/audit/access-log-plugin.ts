/**
 * Apollo Server plugin that appends what a request disclosed to the subgraph's access log
 * before the answer leaves. If the record cannot be written, the data is withheld: no
 * personal data is disclosed unlogged.
 *
 * A request refused something (`FORBIDDEN`, `PURPOSE_REQUIRED`, `OPERATION_NOT_ALLOWED`) is
 * recorded too, with its outcome and what was refused, so attempts are visible to auditors.
 * A request without a valid token (`UNAUTHENTICATED`) is not: it never reaches this plugin,
 * and its claims, unverified, would let anyone write names of their choosing into the log
 * (the service log and metrics count it).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isDatabaseUnavailable } from '../db/errors.js';
import { ErrorCode } from '../errors.js';
import { message } from '../i18n/language.js';
import type { RequestInfo } from '../server/request-context.js';
import type { AccessLog, AccessOutcome, Denial } from './access-log.js';
import { disclosedExtras } from './disclosed-queries.js';

/** Error codes that make a request an attempt worth recording. */
const DENIAL_CODES: ReadonlySet<unknown> = new Set([
  ErrorCode.FORBIDDEN,
  ErrorCode.PURPOSE_REQUIRED,
  ErrorCode.OPERATION_NOT_ALLOWED,
]);

/** What a response refused: each refusal's code and path (or the field its error names). */
export function denialsOf(errors: readonly GraphQLFormattedError[] | undefined): Denial[] {
  const denials: Denial[] = [];
  for (const error of errors ?? []) {
    const code = error.extensions?.code;
    if (!DENIAL_CODES.has(code)) continue;
    const field = error.extensions?.field;
    const path = error.path ? error.path.join('.') : typeof field === 'string' ? field : null;
    denials.push({ code: code as string, path });
  }
  return denials;
}

export function accessLogPlugin(accessLog: AccessLog): ApolloServerPlugin<RequestInfo> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue: ctx, operationName, response }) {
          const { disclosures } = ctx;
          const denials = denialsOf(response.body.kind === 'single' ? response.body.singleResult.errors : undefined);
          if (disclosures.isEmpty && denials.length === 0) return;
          const outcome: AccessOutcome =
            denials.length === 0 ? 'DISCLOSED' : disclosures.isEmpty ? 'DENIED' : 'PARTLY_DENIED';
          try {
            await accessLog.append({
              requestId: ctx.requestId,
              subject: ctx.caller.subject,
              agency: ctx.caller.agency,
              agencyType: ctx.caller.agencyType,
              purpose: ctx.purpose,
              operationName: ctx.clientOperationName ?? operationName ?? null,
              recordIds: [...disclosures.recordIds].sort(),
              foreignerIds: [...new Set([...disclosures.foreignerIds, ...disclosures.refusedForeignerIds])].sort(),
              fieldGroups: [...disclosures.fieldGroups].sort(),
              at: new Date(),
              outcome,
              denials,
              ...disclosedExtras(disclosures),
            });
          } catch (e) {
            ctx.log.error({ err: e }, 'access log append failed; withholding the response');
            if (response.body.kind === 'single') {
              response.body.singleResult.data = null;
              response.body.singleResult.errors = [
                new GraphQLError(message('accessLog.notRecorded'), {
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
