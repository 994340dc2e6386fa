/**
 * The permission matrix, generated from the policy itself: for every agency type and every
 * field reachable from a foreigner (and every root field and mutation), through the gateway
 * and directly against the owning subgraph (including `_entities`), the field is served,
 * masked or FORBIDDEN exactly as FIELD_POLICY and the agency type's default scopes say.
 */
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  getNamedType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type GraphQLType,
} from 'graphql';
import {
  AGENCY_TYPES,
  AUTHENTICATED,
  MEMBER,
  defaultScopes,
  fieldAccess,
  type AgencyType,
} from '../../common/auth/policy.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../common/config/services.js';
import { subgraphTypeDefs } from '../../common/server/sdl.js';
import { subgraphDefinitions } from '../../schema/subgraphs.js';
import { recordFullForeigner, type FullForeigner } from '../helpers/fixtures.js';
import { graphql, tokenFor, type GraphQLResponse } from '../helpers/graphql.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

type Outcome = 'serve' | 'mask' | 'deny';

function expectedOutcome(agencyType: AgencyType, type: string, field: string): Outcome {
  const access = fieldAccess(type, field);
  const scopes = new Set(defaultScopes(agencyType));
  if (access === undefined) return 'deny';
  if (access === AUTHENTICATED) return 'serve';
  if (access === MEMBER) return agencyType === 'PARTNER' || agencyType === 'AUDITOR' ? 'deny' : 'serve';
  if (typeof access === 'string') return scopes.has(access) ? 'serve' : 'deny';
  if (!scopes.has(access.scope)) return 'deny';
  if ('alsoNeeds' in access) return scopes.has(access.alsoNeeds) ? 'serve' : 'deny';
  return scopes.has(access.maskedWithout) ? 'serve' : 'mask';
}

const MAX_DEPTH = 4;

/** Every field of `type` and, below it, of the object types it leads to (no type twice on a path). */
function selectAll(type: GraphQLObjectType, path: string[] = [type.name]): string {
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (field.name.startsWith('_')) continue;
    if (field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(field.name);
    else if (isObjectType(named) && path.length < MAX_DEPTH && !path.includes(named.name)) {
      parts.push(`${field.name} { ${selectAll(named, [...path, named.name])} }`);
    }
  }
  return parts.join(' ');
}

interface Tally {
  checked: Set<string>;
  counts: Record<Outcome, number>;
}

function errorAt(response: GraphQLResponse, path: (string | number)[]) {
  return response.errors?.find((e) => JSON.stringify(e.path) === JSON.stringify(path));
}

/** Walks the answer and checks each selected field against the policy. */
function checkObject(
  response: GraphQLResponse,
  value: Record<string, unknown> | null | undefined,
  type: GraphQLObjectType,
  path: (string | number)[],
  agencyType: AgencyType,
  tally: Tally,
): void {
  if (!value) return;
  for (const [key, fieldValue] of Object.entries(value)) {
    const field = type.getFields()[key];
    if (!field) continue;
    const outcome = expectedOutcome(agencyType, type.name, key);
    const where = [...path, key];
    const error = errorAt(response, where);
    const label = `${agencyType} ${type.name}.${key} at ${where.join('.')}`;
    tally.checked.add(`${agencyType}:${type.name}.${key}`);
    tally.counts[outcome] += 1;
    if (outcome === 'deny') {
      expect({ label, code: error?.extensions?.code, value: fieldValue }).toEqual({
        label,
        code: 'FORBIDDEN',
        value: null,
      });
      continue;
    }
    expect({ label, error }).toEqual({ label, error: undefined });
    if (outcome === 'mask') {
      expect({ label, value: fieldValue }).toEqual({ label, value: expect.stringMatching(/^.{2}\*+.{2}$/) });
    } else if (typeof fieldValue === 'string' && key === 'passportNumber') {
      expect({ label, value: fieldValue }).toEqual({ label, value: expect.not.stringContaining('*') });
    }
    checkValue(response, fieldValue, field.type, where, agencyType, tally);
  }
}

function checkValue(
  response: GraphQLResponse,
  value: unknown,
  type: GraphQLType,
  path: (string | number)[],
  agencyType: AgencyType,
  tally: Tally,
): void {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner) && Array.isArray(value)) {
    value.forEach((item, i) => checkValue(response, item, inner.ofType, [...path, i], agencyType, tally));
  } else if (isObjectType(inner) && value && typeof value === 'object') {
    checkObject(response, value as Record<string, unknown>, inner, path, agencyType, tally);
  }
}

const subgraphSchemas = Object.fromEntries(
  SUBGRAPH_NAMES.map((name) => [name, buildSubgraphSchema({ typeDefs: subgraphTypeDefs(name) })]),
) as Record<SubgraphName, GraphQLSchema>;
const composition = composeServices(subgraphDefinitions());
if (composition.errors) throw new Error(composition.errors.map((e) => e.message).join('\n'));
const apiSchema = composition.schema.toAPISchema().toGraphQLJSSchema();

let hub: TestHub;
let fixture: FullForeigner;
const tally: Tally = { checked: new Set(), counts: { serve: 0, mask: 0, deny: 0 } };

beforeAll(async () => {
  hub = await startTestHub('matrix');
  fixture = await recordFullForeigner(hub);
}, 120_000);
afterAll(async () => {
  await hub?.stop();
  const fields = new Set([...tally.checked].map((c) => c.split(':')[1]));
  process.stdout.write(
    `permission matrix: ${AGENCY_TYPES.length} agency types × ${fields.size} fields = ${tally.checked.size} combinations; ` +
      `${tally.counts.serve + tally.counts.mask + tally.counts.deny} field checks ` +
      `(${tally.counts.serve} served, ${tally.counts.mask} masked, ${tally.counts.deny} forbidden)\n`,
  );
});

/**
 * Partners run only their registered operations: any other document is refused whole
 * (403 OPERATION_NOT_ALLOWED) by the gateway, and by a subgraph unless it only asks for the
 * root fields those operations use. Field rules inside registered operations are tested in
 * partners.test.ts.
 */
function refusedAsPartner(agencyType: AgencyType, response: GraphQLResponse): boolean {
  if (agencyType !== 'PARTNER') return false;
  expect({ status: response.status, code: response.errors?.[0]?.extensions?.code }).toEqual({
    status: 403,
    code: 'OPERATION_NOT_ALLOWED',
  });
  tally.counts.deny += 1;
  return true;
}

const tokens = new Map<AgencyType, string>();
async function tokenOf(agencyType: AgencyType): Promise<string> {
  if (!tokens.has(agencyType)) {
    tokens.set(agencyType, await tokenFor({ agencyType, agency: `TEST-${agencyType}`, jurisdiction: ['*'] }));
  }
  return tokens.get(agencyType)!;
}

describe.each(AGENCY_TYPES)('%s', (agencyType) => {
  it('sees a foreigner through the gateway exactly as the policy says', async () => {
    const foreigner = apiSchema.getType('Foreigner') as GraphQLObjectType;
    const query = `query($id: ID!) { foreigner(id: $id) { ${selectAll(foreigner)} } }`;
    const response = await graphql(hub.gatewayUrl, query, {
      token: await tokenOf(agencyType),
      variables: { id: fixture.foreignerId },
    });
    if (refusedAsPartner(agencyType, response)) return;
    expect(response.status).toBe(200);
    checkObject(response, response.data as Record<string, unknown>, apiSchema.getQueryType()!, [], agencyType, tally);
  });

  it.each(SUBGRAPH_NAMES)('sees the %s fields of a foreigner through _entities as the policy says', async (name) => {
    const schema = subgraphSchemas[name];
    const entities = [{ typeName: 'Foreigner', representation: { __typename: 'Foreigner', id: fixture.foreignerId } }];
    if (name === 'police')
      entities.push({ typeName: 'Incident', representation: { __typename: 'Incident', id: fixture.incidentId } });
    if (name === 'local-government')
      entities.push({ typeName: 'Region', representation: { __typename: 'Region', code: '16.01.14' } as never });
    for (const { typeName, representation } of entities) {
      const type = schema.getType(typeName) as GraphQLObjectType;
      const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typeName} { ${selectAll(type)} } } }`;
      const response = await graphql(hub.subgraphs[name].url, query, {
        token: await tokenOf(agencyType),
        variables: { r: [representation] },
        asGateway: name,
      });
      if (refusedAsPartner(agencyType, response)) continue;
      expect(response.status).toBe(200);
      const entity = (response.data as { _entities: Record<string, unknown>[] })._entities[0];
      checkObject(response, entity, type, ['_entities', 0], agencyType, tally);
    }
  });

  const ROOT_ARGS: Record<string, (f: FullForeigner) => string> = {
    foreigner: (f) => `(id: "${f.foreignerId}")`,
    verifyStayPermit: (f) => `(permitNumber: "${f.permitNumber}", passportNumber: "${f.passportNumber}")`,
    agency: () => '(code: "KANIM-BATURAJA")',
    incident: (f) => `(id: "${f.incidentId}")`,
    region: () => '(code: "16.01")',
    accessLog: (f) => `(foreignerId: "${f.foreignerId}")`,
    subjectAccessReport: (f) => `(foreignerId: "${f.foreignerId}")`,
    meetingBrief: () => '(regionCode: "16.01", meetingDate: "2099-12-31")',
  };

  it.each(SUBGRAPH_NAMES)(
    'may call the root queries of %s as the policy says, directly and through the gateway',
    async (name) => {
      const queryType = subgraphSchemas[name].getQueryType()!;
      for (const field of Object.values(queryType.getFields())) {
        if (field.name.startsWith('_')) continue;
        const args = ROOT_ARGS[field.name]?.(fixture) ?? '';
        const selection = isLeafType(getNamedType(field.type)) ? '' : '{ __typename }';
        const query = `{ ${field.name}${args} ${selection} }`;
        for (const url of [hub.subgraphs[name].url, hub.gatewayUrl]) {
          const response = await graphql(url, query, { token: await tokenOf(agencyType) });
          // a partner's ad-hoc document is refused everywhere: at a subgraph reached directly too
          if (refusedAsPartner(agencyType, response)) continue;
          const outcome = expectedOutcome(agencyType, 'Query', field.name);
          const code = errorAt(response, [field.name])?.extensions?.code;
          expect({ field: field.name, url, code }).toEqual({
            field: field.name,
            url,
            code: outcome === 'deny' ? 'FORBIDDEN' : undefined,
          });
          tally.checked.add(`${agencyType}:Query.${field.name}`);
          tally.counts[outcome] += 1;
        }
      }
    },
  );

  const MUTATIONS: Record<string, [SubgraphName, string, string]> = {
    registerForeigner: [
      'immigration',
      'RegisterForeignerInput',
      '{ fullName: "X", nationality: "XXX", sex: MALE, dateOfBirth: "1980-01-01", passportNumber: "A1234567", domicileRegionCode: "16.01" }',
    ],
    issueStayPermit: [
      'immigration',
      'IssueStayPermitInput',
      '{ foreignerId: "nobody", number: "ITAS-X-1", type: VISIT, purpose: TOURISM, issuedAt: "2025-01-01", expiresAt: "2024-01-01", issuingOffice: "X" }',
    ],
    recordBorderCrossing: [
      'immigration',
      'RecordBorderCrossingInput',
      '{ foreignerId: "nobody", direction: ENTRY, checkpointCode: "ZZZ", crossedAt: "2025-01-01T00:00:00Z" }',
    ],
    recordImmigrationAction: [
      'immigration',
      'RecordImmigrationActionInput',
      '{ foreignerId: "nobody", type: FINE, decidedAt: "2999-01-01", reason: "x", office: "x" }',
    ],
    recordCoordinationMeeting: [
      'immigration',
      'RecordCoordinationMeetingInput',
      '{ title: "x", heldOn: "2025-01-01", venue: "x", regionCode: "99", chairCode: "X", attendeeCodes: ["X"] }',
    ],
    recordJointOperation: [
      'immigration',
      'RecordJointOperationInput',
      '{ name: "x", regionCode: "99", startedOn: "2025-01-01", agencyCodes: ["X"], foreignersChecked: 1 }',
    ],
    fileIncident: [
      'police',
      'FileIncidentInput',
      '{ reportNumber: "LP/1", category: THEFT, occurredAt: "2999-01-01T00:00:00Z", regionCode: "16.01", summary: "x", parties: [{ foreignerId: "a", involvement: VICTIM }] }',
    ],
    issueSelfReportCertificate: [
      'police',
      'IssueSelfReportCertificateInput',
      '{ foreignerId: "a", number: "SKLD/1", issuedAt: "2025-01-02", validUntil: "2025-01-01", issuingUnit: "x", address: "x", regionCode: "16.01" }',
    ],
    registerResidence: [
      'local-government',
      'RegisterResidenceInput',
      '{ foreignerId: "a", number: "SKTT/1", address: "x", regionCode: "16.01.14", registeredAt: "2025-01-01", validUntil: "2024-01-01" }',
    ],
    recordEmployment: [
      'local-government',
      'RecordEmploymentInput',
      '{ foreignerId: "a", employer: "x", employerSector: OTHER, position: "x", workPermitNumber: "W/1", regionCode: "99", startedOn: "2025-01-01" }',
    ],
    submitCommunityReport: [
      'local-government',
      'SubmitCommunityReportInput',
      '{ category: OTHER, regionCode: "99", reportedAt: "2025-01-01T00:00:00Z", description: "x", reportedBy: "x" }',
    ],
  };

  it('may call each mutation as the policy says (refused callers get FORBIDDEN before any validation)', async () => {
    for (const [mutation, [name, , input]] of Object.entries(MUTATIONS)) {
      const query = `mutation { ${mutation}(input: ${input}) { __typename } }`;
      for (const url of [hub.subgraphs[name].url, hub.gatewayUrl]) {
        const response = await graphql(url, query, { token: await tokenOf(agencyType) });
        if (refusedAsPartner(agencyType, response)) continue;
        const outcome = expectedOutcome(agencyType, 'Mutation', mutation);
        const code = response.errors?.[0]?.extensions?.code;
        expect({ mutation, url, code }).toEqual({
          mutation,
          url,
          code: outcome === 'deny' ? 'FORBIDDEN' : 'BAD_USER_INPUT',
        });
        tally.checked.add(`${agencyType}:Mutation.${mutation}`);
        tally.counts[outcome] += 1;
      }
    }
  });
});
