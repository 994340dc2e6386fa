/**
 * The permission rules run through graphql-shield without the wrappers of the fields everybody may
 * read, and the masks pass values on without a promise (common/auth/permissions.ts). Over every
 * field of every subgraph's schema, for every agency type's default scopes (and a caller holding
 * no scope), with and without a purpose, they decide exactly as shield wrapping every field did,
 * masks awaited: the same fields served, the same values masked, the same errors, and the same
 * disclosures and refusals noted for the access log.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { isObjectType, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { rule, shield, type IRules } from 'graphql-shield';
import {
  DisclosureCollector,
  maskValue,
  permissionsFor,
  protectSchema,
  type PermissionContext,
} from '../../common/auth/permissions.js';
import { AGENCY_TYPES, defaultScopes, type Scope } from '../../common/auth/policy.js';
import { SUBGRAPH_NAMES } from '../../common/config/services.js';
import { subgraphTypeDefs } from '../../common/server/sdl.js';

/** What every field resolves to, unprotected: a value masking would change. */
const RESOLVED = 'E1234578';

/** Every field of the schema resolving to `RESOLVED`. */
function stubbed(typeDefs: ReturnType<typeof subgraphTypeDefs>): GraphQLSchema {
  const schema = buildSubgraphSchema({ typeDefs });
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) field.resolve = () => RESOLVED;
  }
  return schema;
}

/**
 * The same rules as graphql-shield applied them before, with the hub's options: every field
 * wrapped, the ones everybody may read included, and the masks awaited. (Each field is resolved
 * under a context of its own below, so shield's per-request caching of a rule changes nothing here.)
 */
function shielded(schema: GraphQLSchema): GraphQLSchema {
  const { rules, masks } = permissionsFor(schema);
  // every field has a rule or is allowed: reaching the fallback is a failure of the test
  const unexpected = rule('unexpected', { cache: 'no_cache' })((_p, _a, _c, info: GraphQLResolveInfo) => {
    throw new Error(`no rule for ${info.parentType.name}.${info.fieldName}`);
  });
  const masking: Record<string, Record<string, unknown>> = {};
  for (const [type, fields] of Object.entries(masks)) {
    masking[type] = {};
    for (const [field, unmaskedBy] of Object.entries(fields)) {
      masking[type][field] = async (
        resolve: GraphQLFieldResolver<unknown, PermissionContext>,
        parent: unknown,
        args: Record<string, unknown>,
        ctx: PermissionContext,
        info: GraphQLResolveInfo,
      ) => {
        const value: unknown = await resolve(parent, args, ctx, info);
        return typeof value === 'string' && !ctx.caller.scopes.has(unmaskedBy) ? maskValue(value) : value;
      };
    }
  }
  return applyMiddleware(
    schema,
    shield(rules as IRules, { fallbackRule: unexpected, allowExternalErrors: true, debug: true }),
    masking,
  );
}

interface Outcome {
  value?: unknown;
  error?: { name: string; message: string; code: unknown };
  disclosures: Record<string, unknown>;
}

/** One field resolved for one parent, as its protected resolver answers it, with what it noted. */
async function resolveField(
  schema: GraphQLSchema,
  typeName: string,
  fieldName: string,
  caller: { scopes: Scope[]; agencyType: (typeof AGENCY_TYPES)[number] },
  purpose: string | null,
): Promise<Outcome> {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
  const field = type.getFields()[fieldName]!;
  const disclosures = new DisclosureCollector();
  const ctx: PermissionContext = {
    caller: {
      subject: 'test',
      agency: 'TEST',
      agencyType: caller.agencyType,
      scopes: new Set(caller.scopes),
      jurisdiction: ['*'],
    },
    purpose,
    disclosures,
  };
  const parent = { _id: 'WNA-000001', foreignerId: 'WNA-000002', foreignerIds: ['WNA-000003'], regionCode: '16.01' };
  const args = { id: 'WNA-000004', foreignerId: 'WNA-000005' };
  const info = { parentType: type, fieldName, returnType: field.type } as unknown as GraphQLResolveInfo;
  const outcome: Omit<Outcome, 'disclosures'> = {};
  try {
    const value: unknown = await field.resolve!(parent, args, ctx, info);
    if (value instanceof Error) throw value;
    outcome.value = value;
  } catch (e) {
    const error = e as Error & { extensions?: { code?: unknown } };
    outcome.error = { name: error.name, message: error.message, code: error.extensions?.code };
  }
  return {
    ...outcome,
    disclosures: {
      recordIds: [...disclosures.recordIds],
      foreignerIds: [...disclosures.foreignerIds],
      fieldGroups: [...disclosures.fieldGroups],
      regions: [...disclosures.regions],
      refused: [...disclosures.refusedForeignerIds],
      empty: disclosures.isEmpty,
    },
  };
}

const CALLERS = [
  ...AGENCY_TYPES.map((agencyType) => ({ agencyType, scopes: defaultScopes(agencyType) })),
  { agencyType: 'POLICE' as const, scopes: [] as Scope[] },
];

describe.each(SUBGRAPH_NAMES)('the %s subgraph', (name) => {
  const base = stubbed(subgraphTypeDefs(name));
  const fast = protectSchema(base);
  const slow = shielded(stubbed(subgraphTypeDefs(name)));
  const fields = Object.values(base.getTypeMap())
    .filter(isObjectType)
    .filter((type) => !type.name.startsWith('__'))
    .flatMap((type) => Object.keys(type.getFields()).map((field) => [type.name, field] as const));

  it('decides every field for every caller as shield wrapping every field did', async () => {
    let served = 0;
    let refused = 0;
    for (const caller of CALLERS) {
      for (const purpose of ['Pemeriksaan', null]) {
        for (const [type, field] of fields) {
          const expected = await resolveField(slow, type, field, caller, purpose);
          const actual = await resolveField(fast, type, field, caller, purpose);
          expect({ field: `${type}.${field}`, ...actual }).toEqual({ field: `${type}.${field}`, ...expected });
          if (actual.error) refused += 1;
          else served += 1;
        }
      }
    }
    // the matrix holds both answers, masked values among those served
    expect(served).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });

  it('passes an open field’s value on as it resolves, without a promise; a guarded one masked', async () => {
    const foreigner = fast.getType('Foreigner');
    if (!isObjectType(foreigner)) throw new Error('no Foreigner type');
    const ctx = (scopes: Scope[]): PermissionContext => ({
      caller: { subject: 'test', agency: 'TEST', agencyType: 'POLICE', scopes: new Set(scopes), jurisdiction: ['*'] },
      purpose: 'Pemeriksaan',
      disclosures: new DisclosureCollector(),
    });
    const resolve = (field: string, scopes: Scope[]) =>
      foreigner.getFields()[field]!.resolve!({ _id: 'WNA-000001' }, {}, ctx(scopes), {
        parentType: foreigner,
        fieldName: field,
        returnType: foreigner.getFields()[field]!.type,
      } as unknown as GraphQLResolveInfo);
    expect(resolve('id', [])).toBe(RESOLVED);
    if (foreigner.getFields().passportNumber) {
      await expect(resolve('passportNumber', ['identity:read'])).resolves.toBe(maskValue(RESOLVED));
      await expect(resolve('passportNumber', ['identity:read', 'passport:read'])).resolves.toBe(RESOLVED);
    }
  });
});
