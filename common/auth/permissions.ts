/**
 * Field-level permissions, generated from the declarative policy (`FIELD_POLICY`) with
 * graphql-shield and applied in every subgraph, on entity fields as well as root
 * fields, so `_entities` cannot read around them. A denied field resolves to null with a `FORBIDDEN`
 * error at its path; personal data without `X-Purpose` gets `PURPOSE_REQUIRED`; masked fields
 * keep their first two and last two characters. Every personal field served is noted in the
 * request's disclosure collector, which becomes one access-log record.
 */
import { applyMiddleware, type IMiddleware, type IMiddlewareTypeMap } from 'graphql-middleware';
import { allow, rule, shield, type IRule, type IRules } from 'graphql-shield';
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

/** A shield rule: a rule of ours or one of shield's constants (`allow`). */
type Rule = IRule | typeof allow;

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

function scopeRule(scope: Scope): IRule {
  const personal = isPersonalScope(scope);
  // evaluated for every parent (no cache): each personal field served is noted for the access log
  return rule(`scope:${scope}`, { cache: 'no_cache' })(
    (parent: unknown, args: Record<string, unknown>, ctx: PermissionContext, info: GraphQLResolveInfo) => {
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
    },
  );
}

/**
 * A derived field: every scope is needed, the first missing one is named, and each personal
 * group is noted as disclosed (the derived fact tells something of each).
 */
function scopesRule(scopes: Scope[]): IRule {
  const personal = scopes.filter(isPersonalScope);
  return rule(`scopes:${scopes.join('+')}`, { cache: 'no_cache' })(
    (parent: unknown, args: Record<string, unknown>, ctx: PermissionContext, info: GraphQLResolveInfo) => {
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
    },
  );
}

// not cached per request: a refusal names the field it refuses, not the first one refused
const memberRule = rule('member', { cache: 'no_cache' })(
  (_parent: unknown, _args: unknown, ctx: PermissionContext, info: GraphQLResolveInfo) =>
    NON_MEMBERS.has(ctx.caller.agencyType)
      ? new ForbiddenError(message('forbidden.membersOnly', { field: fieldName(info) }))
      : true,
);

const notInPolicy = rule('not-in-policy', { cache: 'no_cache' })(
  (_parent: unknown, _args: unknown, _ctx: unknown, info: GraphQLResolveInfo) =>
    new ForbiddenError(message('forbidden.notInPolicy', { field: fieldName(info) })),
);

/** Federation's own entry points: `_entities` resolves entities whose fields carry their own rules. */
const FEDERATION_FIELDS: Record<string, string[]> = { Query: ['_entities', '_service'], _Service: ['sdl'] };

function ruleFor(access: FieldAccess, rules: Map<string, IRule>): Rule {
  if (access === AUTHENTICATED) return allow;
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
 * The shield rule tree of a schema and its masks, derived from the policy: every field of every
 * object type has its rule, `allow` where every verified caller may read it (`AUTHENTICATED`,
 * federation's entry points), `notInPolicy` where the policy does not name it.
 */
export function permissionsFor(schema: GraphQLSchema): {
  rules: Record<string, Record<string, Rule>>;
  masks: Record<string, Record<string, Scope>>;
} {
  const byScope = new Map<string, IRule>();
  const rules: Record<string, Record<string, Rule>> = {};
  const masks: Record<string, Record<string, Scope>> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const typeRules: Record<string, Rule> = {};
    for (const field of Object.keys(type.getFields())) {
      if (FEDERATION_FIELDS[type.name]?.includes(field)) {
        typeRules[field] = allow;
        continue;
      }
      const access = fieldAccess(type.name, field);
      typeRules[field] = access ? ruleFor(access, byScope) : notInPolicy;
      if (access && typeof access === 'object' && 'maskedWithout' in access) {
        (masks[type.name] ??= {})[field] = access.maskedWithout;
      }
    }
    rules[type.name] = typeRules;
  }
  return { rules, masks };
}

/**
 * graphql-shield's middleware for the rule tree, without the wrappers of fields it allows to
 * everyone: shield wraps every field of the schema in an async function (three promises deep per
 * field and row), and for an `allow`ed field that wrapper decides nothing — it resolves as it would
 * unprotected. Every other field, the refused and the not-in-policy ones included, keeps shield's.
 */
function policyMiddleware(schema: GraphQLSchema, rules: Record<string, Record<string, Rule>>): IMiddlewareTypeMap {
  const generated = shield(rules as IRules, {
    fallbackRule: notInPolicy,
    // errors thrown by resolvers (bad input, unexpected faults) keep their own handling
    allowExternalErrors: true,
    // ... by being thrown on, not returned as the field's value (which is all `debug` changes):
    // graphql-js takes a returned value for an error only when it is an `instanceof Error` of its
    // own realm, and anything else became the field's value — a raw socket error that the
    // database driver lets through, say, became a payload object without fields ("Cannot return
    // null for non-nullable field …", INTERNAL_SERVER_ERROR). A thrown value is an error whatever it is.
    debug: true,
  }).generate(schema) as Record<string, Record<string, unknown>>;
  const guarded: Record<string, Record<string, unknown>> = {};
  for (const [type, fields] of Object.entries(generated)) {
    for (const [field, middleware] of Object.entries(fields)) {
      if (rules[type]?.[field] === allow) continue;
      (guarded[type] ??= {})[field] = middleware;
    }
  }
  return guarded as IMiddlewareTypeMap;
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
  const protectedSchema = applyMiddleware(schema, policyMiddleware(schema, rules), maskingMiddleware(masks), ...inner);
  for (const type of Object.values(schema.getTypeMap())) {
    const resolveReference = (type as { resolveReference?: unknown }).resolveReference;
    if (!resolveReference) continue;
    const rebuilt = protectedSchema.getType(type.name) as { resolveReference?: unknown } | undefined;
    if (rebuilt) rebuilt.resolveReference = resolveReference;
  }
  return protectedSchema;
}
