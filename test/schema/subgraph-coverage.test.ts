/**
 * Every query, mutation and entity (`_entities` shape) of each subgraph's SDL is exercised by that
 * subgraph's integration suite (`test/<subgraph>/`): the operations the suite sends are read from
 * its source (every string or template that parses as a GraphQL operation) and compared with
 * the SDL, so a field added without a test fails here.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  Kind,
  parse,
  type DocumentNode,
  type FieldNode,
  type ObjectTypeDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import ts from 'typescript';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../common/config/services.js';
import { subgraphTypeDefs } from '../../common/server/sdl.js';

const TEST_DIR = path.resolve(import.meta.dirname, '..');

/** What an SDL offers: root fields (`Query.x`, `Mutation.y`) and entities (`_entities ... on T`). */
function offered(sdl: DocumentNode): string[] {
  const types = sdl.definitions.filter(
    (d): d is ObjectTypeDefinitionNode =>
      (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION) && 'fields' in d,
  );
  return [
    ...types
      .filter((t) => t.name.value === 'Query' || t.name.value === 'Mutation')
      .flatMap((t) => (t.fields ?? []).map((f) => `${t.name.value}.${f.name.value}`)),
    ...types
      .filter((t) => t.directives?.some((d) => d.name.value === 'key'))
      .map((t) => `_entities ... on ${t.name.value}`),
  ];
}

/** The GraphQL operations written in a test file (strings and templates without substitutions). */
function operationsIn(file: string): DocumentNode[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const documents: DocumentNode[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isStringLiteral(node)) {
      if (/\b(query|mutation)\b|^\s*\{/.test(node.text)) {
        try {
          documents.push(parse(node.text));
        } catch {
          // not GraphQL
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return documents;
}

/** Root fields and `_entities` type conditions an operation exercises. */
function exercised(document: DocumentNode): string[] {
  const found: string[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const root = definition.operation === 'mutation' ? 'Mutation' : 'Query';
    for (const selection of definition.selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) continue;
      if (selection.name.value === '_entities') found.push(...entityTypes(selection));
      else found.push(`${root}.${selection.name.value}`);
    }
  }
  return found;
}

function entityTypes(field: FieldNode): string[] {
  const fragments = (set: SelectionSetNode | undefined): string[] =>
    (set?.selections ?? []).flatMap((s) =>
      s.kind === Kind.INLINE_FRAGMENT && s.typeCondition ? [`_entities ... on ${s.typeCondition.name.value}`] : [],
    );
  return fragments(field.selectionSet);
}

function suiteFiles(subgraph: SubgraphName): string[] {
  const dir = path.join(TEST_DIR, subgraph);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => path.join(dir, f));
}

/** Federation's own root fields, answered by the library, not the subgraph. */
const FEDERATION = ['Query._service', 'Query._entities'];

describe.each([...SUBGRAPH_NAMES])('the %s suite', (subgraph) => {
  it('exercises every query, mutation and entity of the SDL', () => {
    const covered = new Set(suiteFiles(subgraph).flatMap(operationsIn).flatMap(exercised));
    const missing = offered(subgraphTypeDefs(subgraph)).filter((x) => !FEDERATION.includes(x) && !covered.has(x));
    expect(missing).toEqual([]);
  });
});
