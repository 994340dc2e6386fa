/**
 * Field-level permissions, generated from the declarative policy (`FIELD_POLICY`) as a
 * graphql-middleware field map and applied in every subgraph, on entity fields as well as root
 * fields, so `_entities` cannot read around them. A denied field resolves to null with a `FORBIDDEN`
 * error at its path; personal data without `X-Purpose` gets `PURPOSE_REQUIRED`; masked fields
 * keep their first two and last two characters. Every personal field served is noted in the
 * request's disclosure collector, which becomes one access-log record.
 */
import { applyMiddleware, type IMiddleware, type IMiddlewareTypeMap } from 'graphql-middleware';
import { getNamedType, isObjectType, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { afterResolved, type FieldMiddleware } from '../field-middleware.js';
import { ForbiddenError, PurposeRequiredError } from '../errors.js';
import { message } from '../i18n/language.js';
import {
  AUTHENTICATED,
  MEMBER,
  fieldAccess,
  isPersonalScope,
  type AgencyType,
  type FieldAccess,
  type Scope,
} from './policy.js';
import type { Caller } from './tokens.js';

/** What a permission rule needs from the request context. */
export interface PermissionContext {
  caller: Caller;
  purpose: string | null;
  disclosures: DisclosureCollector;
}

/** A query that answered about foreigners, as recorded: the root field and its arguments, personal values masked. */
export interface DisclosedQuery {
  field: string;
  arguments: Record<string, unknown>;
}

/** The region a row is placed in for jurisdiction: a foreigner's domicile, or the region of a record. */
function regionOfRow(row: Record<string, unknown>): string | null {
  const region = row.domicileRegionCode ?? row.regionCode;
  return typeof region === 'string' ? region : null;
}

/** Gathers what one request disclosed: records, the foreigners they concern, field groups, queries. */
export class DisclosureCollector {
  readonly recordIds = new Set<string>();
  readonly foreignerIds = new Set<string>();
  readonly fieldGroups = new Set<Scope>();
  /** Where each disclosed record lies (`Type:id` → region code), when the row says: auditors see by it. */
  readonly regions = new Map<string, string>();
  /** Listings, counts and lookups that answered about foreigners, even with no id or only a count. */
  readonly queries: DisclosedQuery[] = [];
  /** The request id of the first answer when this request is an idempotent replay of it. */
  replayOf: string | null = null;
  /** Foreigners whose data a refused field asked for: a refused request's record names them. */
  readonly refusedForeignerIds = new Set<string>();
  /** Checks noted with `noteCheck`: each makes the request a record, even when it matched nothing. */
  private checks = 0;

  note(scope: Scope, typeName: string, parent: unknown): void {
    this.fieldGroups.add(scope);
    this.noteRow(typeName, parent);
  }

  /**
   * A row served, whatever of it was shown (its id alone links it to the query that found it):
   * its record id, the foreigners it concerns and its region.
   */
  noteRow(typeName: string, parent: unknown): void {
    const id = recordKey(parent);
    if (id !== undefined) {
      const recordId = `${typeName}:${id}`;
      this.recordIds.add(recordId);
      const region = regionOfRow(parent as Record<string, unknown>);
      if (region) this.regions.set(recordId, region);
    }
    addForeigners(this.foreignerIds, typeName, parent);
  }

  /**
   * A field refused (no scope, no purpose): the foreigner it concerns — its parent's, or the
   * `id` / `foreignerId` argument of a root field — is named in the request's record.
   */
  noteRefusal(info: GraphQLResolveInfo, parent: unknown, args: Record<string, unknown>): void {
    addForeigners(this.refusedForeignerIds, info.parentType.name, parent);
    if (typeof args.foreignerId === 'string') this.refusedForeignerIds.add(args.foreignerId);
    if (typeof args.id === 'string' && getNamedType(info.returnType).name === 'Foreigner') {
      this.refusedForeignerIds.add(args.id);
    }
  }

  /** A listing, count or lookup that answered about foreigners: recorded even when it returned no id. */
  noteQuery(query: DisclosedQuery): void {
    this.queries.push(query);
  }

  /**
   * A check whose every answer discloses something, even "no match" (a stay-permit check: each
   * answer tells whether a passport number goes with a permit), so the attempt itself is recorded:
   * with the record it was made against and its foreigner, or with no ids when there is none.
   */
  noteCheck(scope: Scope, against: { typeName: string; id: string; foreignerId: string } | null): void {
    this.fieldGroups.add(scope);
    this.checks += 1;
    if (!against) return;
    this.recordIds.add(`${against.typeName}:${against.id}`);
    this.foreignerIds.add(against.foreignerId);
  }

  get isEmpty(): boolean {
    return this.recordIds.size === 0 && this.foreignerIds.size === 0 && this.checks === 0 && this.queries.length === 0;
  }
}

/** The key of a record object (`_id`, `id` or `code`), or undefined. */
function recordKey(parent: unknown): string | undefined {
  if (!parent || typeof parent !== 'object') return undefined;
  const record = parent as Record<string, unknown>;
  const id = record._id ?? record.id ?? record.code;
  return typeof id === 'string' ? id : undefined;
}

/** Adds the foreigners a record concerns: itself when it is one, its `foreignerId` or `foreignerIds`. */
function addForeigners(into: Set<string>, typeName: string, parent: unknown): void {
  if (!parent || typeof parent !== 'object') return;
  const record = parent as Record<string, unknown>;
  const id = recordKey(parent);
  if (id !== undefined && typeName === 'Foreigner') into.add(id);
  if (typeof record.foreignerId === 'string') into.add(record.foreignerId);
  if (Array.isArray(record.foreignerIds)) {
    for (const f of record.foreignerIds) if (typeof f === 'string') into.add(f);
  }
}

/** Masks a value, keeping its first two and last two characters: `E1234578` → `E1****78`. */
export function maskValue(value: string): string {
  if (value.length <= 4) return '*'.repeat(value.length);
  return `${value.slice(0, 2)}${'*'.repeat(value.length - 4)}${value.slice(-2)}`;
}

const NON_MEMBERS: ReadonlySet<AgencyType> = new Set(['PARTNER', 'AUDITOR']);

/** The field a rule refuses, as a message names it: `Foreigner.passportNumber`. */
function fieldName(info: GraphQLResolveInfo): string {
  return `${info.parentType.name}.${info.fieldName}`;
}

/**
 * What a field's rule decides for one parent: `true` to resolve it, or the error it is refused
 * with. Decided synchronously, before the resolver runs (no promise of its own per field and row).
 */
export type FieldDecision = (
  parent: unknown,
  args: Record<string, unknown>,
  ctx: PermissionContext,
  info: GraphQLResolveInfo,
) => true | Error;

/** One scope: evaluated for every parent, as each personal field served is noted for the access log. */
function scopeRule(scope: Scope): FieldDecision {
  const personal = isPersonalScope(scope);
  return (parent, args, ctx, info) => {
    if (!ctx.caller.scopes.has(scope)) {
      ctx.disclosures.noteRefusal(info, parent, args);
      return new ForbiddenError(message('forbidden.scope', { field: fieldName(info), scope }), { scope });
    }
    if (personal) {
      if (!ctx.purpose) {
        ctx.disclosures.noteRefusal(info, parent, args);
        return new PurposeRequiredError();
      }
      ctx.disclosures.note(scope, info.parentType.name, parent);
    }
    return true;
  };
}

/**
 * A derived field: every scope is needed, the first missing one is named, and each personal
 * group is noted as disclosed (the derived fact tells something of each).
 */
function scopesRule(scopes: Scope[]): FieldDecision {
  const personal = scopes.filter(isPersonalScope);
  return (parent, args, ctx, info) => {
    const missing = scopes.find((scope) => !ctx.caller.scopes.has(scope));
    if (missing) {
      ctx.disclosures.noteRefusal(info, parent, args);
      return new ForbiddenError(
        message('forbidden.scopes', { field: fieldName(info), scopes: scopes.join(' + '), missing }),
        { scope: missing },
      );
    }
    if (personal.length > 0) {
      if (!ctx.purpose) {
        ctx.disclosures.noteRefusal(info, parent, args);
        return new PurposeRequiredError();
      }
      for (const scope of personal) ctx.disclosures.note(scope, info.parentType.name, parent);
    }
    return true;
  };
}

const memberRule: FieldDecision = (_parent, _args, ctx, info) =>
  NON_MEMBERS.has(ctx.caller.agencyType)
    ? new ForbiddenError(message('forbidden.membersOnly', { field: fieldName(info) }))
    : true;

const notInPolicy: FieldDecision = (_parent, _args, _ctx, info) =>
  new ForbiddenError(message('forbidden.notInPolicy', { field: fieldName(info) }));

/** Federation's own entry points: `_entities` resolves entities whose fields carry their own rules. */
const FEDERATION_FIELDS: Record<string, string[]> = { Query: ['_entities', '_service'], _Service: ['sdl'] };

/** The rule of a field the policy names; null when every verified caller may read it (`AUTHENTICATED`). */
function ruleFor(access: FieldAccess, rules: Map<string, FieldDecision>): FieldDecision | null {
  if (access === AUTHENTICATED) return null;
  if (access === MEMBER) return memberRule;
  const scopes =
    typeof access === 'string' ? [access] : 'alsoNeeds' in access ? [access.scope, access.alsoNeeds] : [access.scope];
  const name = scopes.join('+');
  let r = rules.get(name);
  if (!r) {
    r = scopes.length === 1 ? scopeRule(scopes[0]!) : scopesRule(scopes);
    rules.set(name, r);
  }
  return r;
}

/**
 * The rule of every field of a schema and its masks, derived from the policy. A field every
 * verified caller may read (`AUTHENTICATED`, federation's entry points) has no rule: it resolves
 * as it would unprotected. A field the policy does not name is refused.
 */
export function permissionsFor(schema: GraphQLSchema): {
  rules: Record<string, Record<string, FieldDecision>>;
  masks: Record<string, Record<string, Scope>>;
} {
  const byScope = new Map<string, FieldDecision>();
  const rules: Record<string, Record<string, FieldDecision>> = {};
  const masks: Record<string, Record<string, Scope>> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const typeRules: Record<string, FieldDecision> = {};
    for (const field of Object.keys(type.getFields())) {
      if (FEDERATION_FIELDS[type.name]?.includes(field)) continue;
      const access = fieldAccess(type.name, field);
      const decide = access ? ruleFor(access, byScope) : notInPolicy;
      if (decide) typeRules[field] = decide;
      if (access && typeof access === 'object' && 'maskedWithout' in access) {
        (masks[type.name] ??= {})[field] = access.maskedWithout;
      }
    }
    if (Object.keys(typeRules).length > 0) rules[type.name] = typeRules;
  }
  return { rules, masks };
}

/** A graphql-middleware field map: `wrap` of each field's entry of `byType`. */
function fieldMap<T>(
  byType: Record<string, Record<string, T>>,
  wrap: (entry: T) => FieldMiddleware<PermissionContext>,
): IMiddlewareTypeMap {
  const middleware: Record<string, Record<string, FieldMiddleware<PermissionContext>>> = {};
  for (const [type, fields] of Object.entries(byType)) {
    middleware[type] = {};
    for (const [field, entry] of Object.entries(fields)) middleware[type][field] = wrap(entry);
  }
  return middleware as IMiddlewareTypeMap;
}

/**
 * The rules as a graphql-middleware field map: a refused field throws its error before its
 * resolver runs; a served one returns what its resolver returns, a value or a promise, so a
 * scalar field costs no promise and no microtask (graphql-shield, used before, made every field
 * of every row async, three promises deep).
 */
function policyMiddleware(rules: Record<string, Record<string, FieldDecision>>): IMiddlewareTypeMap {
  return fieldMap(rules, (decide) => (resolve, parent, args, ctx, info) => {
    const decision = decide(parent, args, ctx, info);
    if (decision !== true) throw decision;
    return resolve(parent, args, ctx, info);
  });
}

function maskingMiddleware(masks: Record<string, Record<string, Scope>>): IMiddlewareTypeMap {
  return fieldMap(masks, (unmaskedBy) => (resolve, parent, args, ctx, info) => {
    const mask = (value: unknown) =>
      typeof value === 'string' && !ctx.caller.scopes.has(unmaskedBy) ? maskValue(value) : value;
    return afterResolved(resolve(parent, args, ctx, info), mask);
  });
}

/**
 * The subgraph schema with the policy applied, then `inner` middleware (what a request disclosed,
 * the cap on response objects) around the resolvers. Errors thrown by resolvers (bad input,
 * unexpected faults) pass through untouched. graphql-middleware rebuilds the schema's types and drops the
 * `resolveReference` functions that @apollo/subgraph keeps on entity types, so they are carried
 * over to the rebuilt types.
 */
export function protectSchema(schema: GraphQLSchema, ...inner: IMiddleware[]): GraphQLSchema {
  const { rules, masks } = permissionsFor(schema);
  const protectedSchema = applyMiddleware(schema, policyMiddleware(rules), maskingMiddleware(masks), ...inner);
  for (const type of Object.values(schema.getTypeMap())) {
    const resolveReference = (type as { resolveReference?: unknown }).resolveReference;
    if (!resolveReference) continue;
    const rebuilt = protectedSchema.getType(type.name) as { resolveReference?: unknown } | undefined;
    if (rebuilt) rebuilt.resolveReference = resolveReference;
  }
  return protectedSchema;
}
