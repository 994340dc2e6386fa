/**
 * Idempotent writes. A client that may retry a mutation sends an `Idempotency-Key` header
 * (1 to 255 visible ASCII characters, e.g. a UUID); the gateway forwards it to every subgraph
 * fetch with a fingerprint of the client's request, and each subgraph, in this plugin:
 *
 * - binds the key to the caller and the request: a claim `{ _id: "k:<sha256(agency, key)>",
 *   fingerprint, subject }` whose fingerprint covers the token's subject, the institution (code
 *   and type), the operation name and a hash of the request (document and variables; the gateway's fingerprint of
 *   the client's request only when the gateway signed it). A key is the calling institution's own
 *   (two institutions may use the same key); within it, the same key from another subject, or with
 *   a different request, is refused with IDEMPOTENCY_KEY_REUSED (field `Idempotency-Key`) and never
 *   gets the stored answer;
 * - runs each mutation it receives under the key once: it inserts a pending marker
 *   `{ _id: "r:<sha256(agency, key, fetch)>" }` before the mutation runs (a unique `_id`, so of
 *   two concurrent requests only one inserts it), and stores the answer in that document when
 *   the mutation ends; a retry is answered from it without running anything. A request that
 *   finds the marker pending waits up to IN_PROGRESS_WAIT_MS for the answer, then gets
 *   IDEMPOTENCY_KEY_IN_PROGRESS (retry later).
 *
 * Only answers of mutations that ran are kept (their root field has data). A refused one
 * (BAD_USER_INPUT, FORBIDDEN, DATABASE_UNAVAILABLE, …) wrote nothing, so its records are removed
 * and a retry simply runs again — with the same key, even with corrected input.
 *
 * A replay is authorized again before the stored answer is returned (`authorizeReplay`): it needs a
 * purpose, the write scope of each mutation, every scope the first caller held and a jurisdiction
 * covering the first caller's — another token of the same subject with less (other regions, no write
 * scope) gets FORBIDDEN, one without a purpose PURPOSE_REQUIRED. A replayed answer discloses what the
 * first one did, so the access log records it again, with the replay's own request id and purpose
 * and `replayOf` naming the first request (and withholds it when it cannot). Every lookup is by `_id`.
 * Keys expire after KEY_TTL_MS: an older record counts as absent and is replaced on the next use
 * (nothing purges records nobody reuses; they are small).
 */
import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import { Kind, type GraphQLFormattedError, type OperationDefinitionNode } from 'graphql';
import type { Connection } from 'mongoose';
import type { RecordRegion } from '../audit/access-log.js';
import { coversRegion } from '../auth/jurisdiction.js';
import { fieldAccess, isPersonalScope, isScope, type Scope } from '../auth/policy.js';
import type { Caller } from '../auth/tokens.js';
import { isDuplicateKey } from '../db/errors.js';
import { ErrorCode } from '../errors.js';
import { message } from '../i18n/language.js';
import type { RequestInfo } from './request-context.js';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** SHA-256 of the client's request, set by the gateway: every fetch of one client request shares it. */
export const IDEMPOTENCY_FINGERPRINT_HEADER = 'x-idempotency-fingerprint';
export const IDEMPOTENCY_COLLECTION = 'idempotency_keys';

/** 1 to 255 visible ASCII characters. */
const KEY = /^[!-~]{1,255}$/;
const FINGERPRINT = /^[0-9a-f]{64}$/;

/** How long a key is remembered. */
export const KEY_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a request waits for the answer of a concurrent one with the same key. */
export const IN_PROGRESS_WAIT_MS = 5000;
/** A pending marker this old belongs to a request that never finished (its process died): taken over. */
export const ABANDONED_AFTER_MS = 60_000;
const POLL_MS = 50;

/** Whether a mutation ran: some root field of its answer has data (a refused one has none). */
function ran(result: { data?: Record<string, unknown> | null }): boolean {
  return Object.values(result.data ?? {}).some((value) => value !== null && value !== undefined);
}

export function isValidIdempotencyKey(key: string): boolean {
  return KEY.test(key);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** JSON with object keys sorted, so equal values give equal text whatever their key order. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The fingerprint of a GraphQL request: its document (or the document's hash), operation name and variables. */
export function requestFingerprint(query: string, operationName: unknown, variables: unknown): string {
  return sha256(stableJson([query, typeof operationName === 'string' ? operationName : null, variables ?? {}]));
}

/** What the first answer was given on: the caller's scopes and jurisdiction, and its request id. */
interface Authorization {
  requestId: string;
  scopes: string[];
  jurisdiction: string[];
}

interface IdempotencyRecord {
  _id: string;
  /** Claim: the fingerprint of the caller and request the key belongs to. */
  fingerprint?: string;
  /** Claim: the subject (`sub`) of the token that first used the key. */
  subject?: string;
  /** Result: `pending` while the mutation runs, `done` with the answer after. */
  state?: 'pending' | 'done';
  /** Result: when the pending marker was set or taken over (ms since the epoch). */
  startedAt?: number;
  /** Result: the answer, as JSON. */
  response?: string;
  /** Result: what the answer disclosed; a replay is a disclosure too, and is written to the access log again. */
  disclosed?: {
    recordIds: string[];
    foreignerIds: string[];
    fieldGroups: string[];
    /** The records placed in a region, for auditors' jurisdiction (objects: FerretDB stores no nested arrays). */
    regions?: RecordRegion[];
  };
  /** Result: who the answer was given to; a replay must be allowed at least as much. */
  authorizedFor?: Authorization;
  agency: string;
  createdAt: Date;
}

function errorResponse(
  operation: OperationDefinitionNode,
  code: ErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
): GraphQLResponse {
  // at the mutation's (first) root field, as a resolver's error would be
  const root = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
  const path = root?.kind === Kind.FIELD ? [(root.alias ?? root.name).value] : undefined;
  const error: GraphQLFormattedError = { message, ...(path ? { path } : {}), extensions: { code, ...extra } };
  return {
    http: { status: 200, headers: new HeaderMap() },
    body: { kind: 'single', singleResult: { data: null, errors: [error] } },
  };
}

/** The mutations an operation runs, by root field name (fragments at the root are not used by clients). */
function rootFieldNames(operation: OperationDefinitionNode): string[] {
  return operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
}

/**
 * Authorizes a replay as the first request was: the stored answer is returned only to a caller
 * allowed at least what the first caller was. Needs a purpose (writes and what they disclose back
 * are personal data), the scope of each mutation, every scope the first caller held (the answer may
 * hold fields only they could see) and a jurisdiction covering the first caller's (the records
 * written lie in it). Null when allowed; otherwise the refusal, and the stored answer stays unsent.
 */
export function authorizeReplay(
  operation: OperationDefinitionNode,
  ctx: { caller: Caller; purpose: string | null },
  stored: Pick<IdempotencyRecord, 'authorizedFor' | 'disclosed'>,
): GraphQLResponse | null {
  const { caller } = ctx;
  const field = 'Idempotency-Key';
  const rootScopes = rootFieldNames(operation).flatMap((name) => {
    const access = fieldAccess('Mutation', name);
    return typeof access === 'string' && isScope(access) ? [access] : [];
  });
  const personal = rootScopes.some(isPersonalScope) || (stored.disclosed?.fieldGroups.length ?? 0) > 0;
  if (personal && !ctx.purpose) {
    return errorResponse(operation, ErrorCode.PURPOSE_REQUIRED, message('idempotency.replayNeedsPurpose'), { field });
  }
  // an answer stored before answers kept who they were for is replayed to a national caller only
  const first = stored.authorizedFor ?? { scopes: [], jurisdiction: ['*'] };
  const missing = [...rootScopes, ...first.scopes].find((scope) => !caller.scopes.has(scope as Scope));
  if (missing) {
    return errorResponse(operation, ErrorCode.FORBIDDEN, message('idempotency.replayScope', { scope: missing }), {
      field,
      scope: missing,
    });
  }
  const uncovered = first.jurisdiction.find((prefix) => !coversRegion(caller, prefix));
  if (uncovered) {
    return errorResponse(
      operation,
      ErrorCode.FORBIDDEN,
      message('idempotency.replayJurisdiction', { jurisdiction: caller.jurisdiction.join(', ') }),
      { field },
    );
  }
  return null;
}

const expired = (record: IdempotencyRecord, now: number) => now - record.createdAt.getTime() > KEY_TTL_MS;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The idempotency plugin of a subgraph, over `idempotency_keys` in its own database. */
export function idempotencyPlugin(connection: Connection): ApolloServerPlugin<RequestInfo> {
  const records = () => connection.collection<IdempotencyRecord>(IDEMPOTENCY_COLLECTION);

  /** Inserts `record`, or returns the one already there (null once it was inserted). */
  async function insertOrRead(record: IdempotencyRecord): Promise<IdempotencyRecord | null> {
    try {
      await records().insertOne(record);
      return null;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      return (await records().findOne({ _id: record._id })) ?? record;
    }
  }

  /**
   * Binds the key to the fingerprint: `new`ly, the `same` caller and request's again, or refused:
   * `other` request of the same subject, or another `caller`'s key.
   */
  async function claim(
    id: string,
    fingerprint: string,
    agency: string,
    subject: string,
  ): Promise<'new' | 'same' | 'other' | 'caller'> {
    const now = Date.now();
    const existing = await insertOrRead({ _id: id, fingerprint, subject, agency, createdAt: new Date(now) });
    if (!existing) return 'new';
    if (existing.fingerprint === fingerprint) return 'same';
    const refusal = existing.subject !== undefined && existing.subject !== subject ? 'caller' : 'other';
    if (!expired(existing, now)) return refusal;
    // an expired claim is rebound to this request (if another request rebinds it first, its fingerprint decides)
    await records().updateOne(
      { _id: id, createdAt: existing.createdAt },
      { $set: { fingerprint, subject, createdAt: new Date(now) } },
    );
    return (await records().findOne({ _id: id }))?.fingerprint === fingerprint ? 'same' : refusal;
  }

  return {
    async requestDidStart({ request, contextValue }) {
      const key = request.http?.headers.get(IDEMPOTENCY_KEY_HEADER);
      if (!key) return;
      /** The result document this request owns while its mutation runs, if any. */
      let owned: string | null = null;
      /** The claim this request made, removed again when its mutation is refused. */
      let claimed: string | null = null;
      return {
        async responseForOperation({ operation, queryHash, request: { variables } }) {
          if (operation?.operation !== 'mutation') return null;
          if (!isValidIdempotencyKey(key)) {
            return errorResponse(operation, ErrorCode.BAD_USER_INPUT, message('idempotency.keyInvalid'), {
              field: 'Idempotency-Key',
            });
          }
          const { agency, agencyType, subject } = contextValue.caller;
          const fetch = requestFingerprint(queryHash ?? '', null, variables);
          // the gateway's fingerprint of the client's request, only from the gateway itself
          const forwarded = contextValue.viaGateway ? request.http?.headers.get(IDEMPOTENCY_FINGERPRINT_HEADER) : null;
          const requestHash = forwarded && FINGERPRINT.test(forwarded) ? forwarded : fetch;
          const operationName = contextValue.clientOperationName ?? request.operationName ?? null;
          const fingerprint = sha256(stableJson([subject, agency, agencyType, operationName, requestHash]));
          const keyId = sha256(`${agency}\n${key}`);
          const binding = await claim(`k:${keyId}`, fingerprint, agency, subject);
          if (binding === 'new') claimed = `k:${keyId}`;
          if (binding === 'caller') {
            return errorResponse(operation, ErrorCode.IDEMPOTENCY_KEY_REUSED, message('idempotency.reusedByCaller'), {
              field: 'Idempotency-Key',
            });
          }
          if (binding === 'other') {
            return errorResponse(operation, ErrorCode.IDEMPOTENCY_KEY_REUSED, message('idempotency.reusedForOther'));
          }
          const id = `r:${sha256(`${keyId}\n${fetch}`)}`;
          const deadline = Date.now() + IN_PROGRESS_WAIT_MS;
          for (;;) {
            const now = Date.now();
            const existing = await insertOrRead({
              _id: id,
              state: 'pending',
              startedAt: now,
              agency,
              createdAt: new Date(now),
            });
            if (!existing) {
              owned = id;
              return null;
            }
            if (expired(existing, now)) {
              await records().deleteOne({ _id: id, createdAt: existing.createdAt });
              continue;
            }
            if (existing.state === 'done' && existing.response) {
              const refusal = authorizeReplay(operation, contextValue, existing);
              if (refusal) return refusal;
              contextValue.log.info({ idempotent: 'replayed' }, 'answered a retried mutation from its first answer');
              const { disclosures } = contextValue;
              disclosures.replayOf = existing.authorizedFor?.requestId ?? 'unknown';
              for (const id of existing.disclosed?.recordIds ?? []) disclosures.recordIds.add(id);
              for (const id of existing.disclosed?.foreignerIds ?? []) disclosures.foreignerIds.add(id);
              for (const group of existing.disclosed?.fieldGroups ?? []) disclosures.fieldGroups.add(group as never);
              for (const r of existing.disclosed?.regions ?? []) disclosures.regions.set(r.recordId, r.regionCode);
              return {
                http: { status: 200, headers: new HeaderMap([['idempotent-replayed', 'true']]) },
                body: { kind: 'single', singleResult: JSON.parse(existing.response) as never },
              };
            }
            if (now - (existing.startedAt ?? now) > ABANDONED_AFTER_MS) {
              const taken = await records().updateOne(
                { _id: id, state: 'pending', startedAt: existing.startedAt },
                { $set: { startedAt: now } },
              );
              if (taken.modifiedCount === 1) {
                owned = id;
                return null;
              }
            }
            if (now >= deadline) {
              return errorResponse(operation, ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS, message('idempotency.inProgress'));
            }
            await sleep(POLL_MS);
          }
        },

        async willSendResponse({ response, contextValue: { disclosures, caller, requestId } }) {
          if (!owned || response.body.kind !== 'single') return;
          const id = owned;
          owned = null;
          const { singleResult } = response.body;
          try {
            if (!ran(singleResult)) {
              // refused: nothing was written, so nothing is kept and a retry runs again
              await records().deleteOne({ _id: id });
              if (claimed) await records().deleteOne({ _id: claimed });
            } else {
              const disclosed = {
                recordIds: [...disclosures.recordIds],
                foreignerIds: [...disclosures.foreignerIds],
                fieldGroups: [...disclosures.fieldGroups],
                regions: [...disclosures.regions].map(([recordId, regionCode]) => ({ recordId, regionCode })),
              };
              const authorizedFor: Authorization = {
                requestId,
                scopes: [...caller.scopes].sort(),
                jurisdiction: [...caller.jurisdiction],
              };
              await records().updateOne(
                { _id: id },
                { $set: { state: 'done', response: JSON.stringify(singleResult), disclosed, authorizedFor } },
              );
            }
          } catch (e) {
            // the mutation ran; a retry within ABANDONED_AFTER_MS is told to wait, later it runs again
            contextValue.log.error({ err: e }, 'could not record the answer of an idempotent mutation');
          }
        },
      };
    },
  };
}
