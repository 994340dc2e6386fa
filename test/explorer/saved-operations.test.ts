/**
 * The explorer's saved operations (`schema/operations/explorer/`) follow the convention (one
 * operation named like its file, optional `# Variables:` line) and are valid against the
 * composed schema, example variables included, so none fails when an analyst runs it.
 */
import { composeServices } from '@apollo/composition';
import { Kind, getVariableValues, parse, validate, type OperationDefinitionNode } from 'graphql';
import { readSavedOperations, savedOperationOf } from '../../gateway/src/explorer/saved-operations.js';
import { subgraphDefinitions } from '../../schema/subgraphs.js';

const composition = composeServices(subgraphDefinitions());
if (composition.errors) throw new Error(composition.errors.map((e) => e.message).join('\n'));
const apiSchema = composition.schema.toAPISchema().toGraphQLJSSchema();

describe('saved operations of the explorer', () => {
  it('are all readable, and include the coordination-meeting examples', async () => {
    const invalid: string[] = [];
    const operations = await readSavedOperations((file, error) => invalid.push(`${file}: ${error.message}`));
    expect(invalid).toEqual([]);
    expect(operations.map((o) => o.name)).toEqual(
      expect.arrayContaining([
        'ForeignerProfile',
        'ForeignersWithExpiringPermits',
        'ForeignerStatisticsForRegion',
        'IncidentsInRegion',
        'CommunityReportsInRegion',
        'CoordinationMeetingAttendees',
      ]),
    );
  });

  it('are valid against the schema, with valid example variables', async () => {
    for (const operation of await readSavedOperations(() => {})) {
      const document = parse(operation.document);
      expect([operation.name, validate(apiSchema, document).map((e) => e.message)]).toEqual([operation.name, []]);
      expect(operation.description).not.toBe('');
      const definition = document.definitions.find(
        (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
      )!;
      const variables = getVariableValues(
        apiSchema,
        definition.variableDefinitions ?? [],
        JSON.parse(operation.variables ?? '{}') as Record<string, unknown>,
      );
      expect([operation.name, variables.errors?.map((e) => e.message) ?? []]).toEqual([operation.name, []]);
    }
  });

  it('rejects a file whose operation is not named like it, or whose variables are not JSON', () => {
    expect(() => savedOperationOf('Other.graphql', 'query Profile { __typename }')).toThrow(/named like its file/);
    expect(() => savedOperationOf('Two.graphql', 'query Two { __typename }\nquery Three { __typename }')).toThrow(
      /one operation/,
    );
    expect(() => savedOperationOf('Bad.graphql', '# Variables: {id:\nquery Bad { __typename }')).toThrow(/not JSON/);
    expect(savedOperationOf('Ok.graphql', '# Counts.\n# Variables: {"a": 1}\nquery Ok { __typename }')).toMatchObject({
      name: 'Ok',
      description: 'Counts.',
      document: 'query Ok { __typename }\n',
      variables: '{\n  "a": 1\n}',
    });
  });
});
