/**
 * What a CSV export writes: the list in an operation's answer whose elements become rows (the
 * Relay connection it pages through, or a plain list), its columns — the leaf fields the
 * operation selects under it, as dot paths in selection order — and each row flattened into
 * those columns. Columns come from the operation and the API schema, not from the data, so
 * every page has the same header even when a page has only nulls.
 */
import {
  Kind,
  TypeNameMetaFieldDef,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type DocumentNode,
  type FieldNode,
} from 'graphql';

/** Values of one cell taken from a list are joined with this separator. */
export const LIST_SEPARATOR = '; ';

export interface RowSource {
  /** Response path of the rows' list, e.g. `['foreigners', 'nodes']` or `['foreigners', 'edges']`. */
  listPath: string[];
  /** For `edges`, each row is the edge's `node`. */
  rowKey: string | null;
  /** Response path of the connection to page through, or null for a plain list. */
  connectionPath: string[] | null;
  /** The variables the connection's `first` and `after` arguments take, when they take one. */
  pageVariables: { first: string | null; after: string | null };
  /** The columns: response-key paths below a row. */
  columns: string[][];
}

interface SelectedField {
  key: string;
  node: FieldNode;
  field: GraphQLField<unknown, unknown>;
}

/** The fields a selection set selects on `type`, through fragments, each response key once. */
function selectedFields(
  selectionSet: SelectionSetNode,
  type: GraphQLObjectType,
  fragments: Map<string, FragmentDefinitionNode>,
  out = new Map<string, SelectedField>(),
): Map<string, SelectedField> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      const field =
        selection.name.value === '__typename' ? TypeNameMetaFieldDef : type.getFields()[selection.name.value];
      if (!field) throw new Error(`${type.name}.${selection.name.value} is not in the API schema`);
      const existing = out.get(key);
      if (existing?.node.selectionSet && selection.selectionSet) {
        // the same field selected twice: its sub-selections merge
        existing.node = {
          ...existing.node,
          selectionSet: {
            ...existing.node.selectionSet,
            selections: [...existing.node.selectionSet.selections, ...selection.selectionSet.selections],
          },
        };
      } else if (!existing) {
        out.set(key, { key, node: selection, field });
      }
    } else {
      const set =
        selection.kind === Kind.INLINE_FRAGMENT
          ? selection.selectionSet
          : fragments.get(selection.name.value)?.selectionSet;
      if (set) selectedFields(set, type, fragments, out);
    }
  }
  return out;
}

function isConnection(type: GraphQLObjectType): boolean {
  const fields = type.getFields();
  return 'pageInfo' in fields && ('nodes' in fields || 'edges' in fields);
}

interface Candidate {
  path: string[];
  kind: 'connection' | 'list';
  node: FieldNode;
  selectionSet: SelectionSetNode;
  type: GraphQLObjectType;
}

/** The variable an argument of a field takes (`after: $after` gives `after`), if it takes one. */
function argumentVariable(field: FieldNode, argument: string): string | null {
  const value = field.arguments?.find((a) => a.name.value === argument)?.value;
  return value?.kind === Kind.VARIABLE ? value.name.value : null;
}

/** Connections and lists of objects of an answer, not looking inside one another. */
function candidates(
  selectionSet: SelectionSetNode,
  type: GraphQLObjectType,
  fragments: Map<string, FragmentDefinitionNode>,
  path: string[] = [],
): Candidate[] {
  const found: Candidate[] = [];
  for (const { key, node, field } of selectedFields(selectionSet, type, fragments).values()) {
    if (!node.selectionSet) continue;
    const named = getNamedType(field.type);
    if (!isObjectType(named)) continue;
    const at = [...path, key];
    const nullable = getNullableType(field.type);
    if (isListType(nullable)) {
      found.push({ path: at, kind: 'list', node, selectionSet: node.selectionSet, type: named });
    } else if (isConnection(named)) {
      found.push({ path: at, kind: 'connection', node, selectionSet: node.selectionSet, type: named });
    } else found.push(...candidates(node.selectionSet, named, fragments, at));
  }
  return found;
}

/** Leaf paths below a selection, in selection order; lists are crossed (their cells are joined). */
function leafColumns(
  selectionSet: SelectionSetNode,
  type: GraphQLObjectType,
  fragments: Map<string, FragmentDefinitionNode>,
  prefix: string[] = [],
): string[][] {
  const columns: string[][] = [];
  for (const { key, node, field } of selectedFields(selectionSet, type, fragments).values()) {
    const named = getNamedType(field.type);
    if (node.selectionSet && isObjectType(named)) {
      columns.push(...leafColumns(node.selectionSet, named, fragments, [...prefix, key]));
    } else {
      columns.push([...prefix, key]);
    }
  }
  return columns;
}

/**
 * Where the rows of an operation's answer are, and their columns. `rowsPath` (dot path of
 * response keys, e.g. `byPermitType.groups`) chooses when the answer holds several lists;
 * otherwise the one connection, or else the one list of objects, is taken.
 */
export function rowSource(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rowsPath?: string,
): RowSource {
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const root = schema.getRootType(operation.operation);
  if (!root) throw new Error(`the schema has no ${operation.operation} type`);
  const all = candidates(operation.selectionSet, root, fragments);
  let chosen: Candidate | undefined;
  if (rowsPath) {
    chosen = all.find((c) => c.path.join('.') === rowsPath);
    if (!chosen) {
      throw new Error(
        `--rows ${rowsPath} is not a list or connection of the operation; choose one of: ${all.map((c) => c.path.join('.')).join(', ')}`,
      );
    }
  } else {
    const connections = all.filter((c) => c.kind === 'connection');
    chosen =
      connections.length === 1 ? connections[0] : connections.length === 0 && all.length === 1 ? all[0] : undefined;
    if (!chosen) {
      throw new Error(
        all.length === 0
          ? 'the operation selects no list or connection to export'
          : `the operation selects several lists; choose one with --rows: ${all.map((c) => c.path.join('.')).join(', ')}`,
      );
    }
  }
  if (chosen.kind === 'list') {
    return {
      listPath: chosen.path,
      rowKey: null,
      connectionPath: null,
      pageVariables: { first: null, after: null },
      columns: leafColumns(chosen.selectionSet, chosen.type, fragments),
    };
  }
  const pageVariables = {
    first: argumentVariable(chosen.node, 'first'),
    after: argumentVariable(chosen.node, 'after'),
  };
  const fields = selectedFields(chosen.selectionSet, chosen.type, fragments);
  const byName = (name: string) => [...fields.values()].find((f) => f.node.name.value === name);
  const nodes = byName('nodes');
  if (nodes?.node.selectionSet) {
    const type = getNamedType(nodes.field.type) as GraphQLObjectType;
    return {
      listPath: [...chosen.path, nodes.key],
      rowKey: null,
      connectionPath: chosen.path,
      pageVariables,
      columns: leafColumns(nodes.node.selectionSet, type, fragments),
    };
  }
  const edges = byName('edges');
  const edgeType = edges ? (getNamedType(edges.field.type) as GraphQLObjectType) : null;
  const node =
    edges?.node.selectionSet && edgeType
      ? [...selectedFields(edges.node.selectionSet, edgeType, fragments).values()].find(
          (f) => f.node.name.value === 'node',
        )
      : undefined;
  if (!edges || !node?.node.selectionSet) {
    throw new Error(`the connection ${chosen.path.join('.')} selects neither nodes { … } nor edges { node { … } }`);
  }
  return {
    listPath: [...chosen.path, edges.key],
    rowKey: node.key,
    connectionPath: chosen.path,
    pageVariables,
    columns: leafColumns(node.node.selectionSet, getNamedType(node.field.type) as GraphQLObjectType, fragments),
  };
}

/** The value at a response path, or undefined when a step is missing or null. */
export function valueAt(data: unknown, path: readonly string[]): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function scalarText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * The text of one cell: the value at `path` below `value`. Lists met on the way contribute one
 * value per element, joined with `; ` in list order (an element without the value gives an
 * empty entry, so the entries of sibling columns line up); null gives an empty cell.
 */
export function cellText(value: unknown, path: readonly string[]): string {
  if (Array.isArray(value)) return value.map((item) => cellText(item, path)).join(LIST_SEPARATOR);
  if (path.length === 0) return scalarText(value);
  if (value === null || typeof value !== 'object') return '';
  return cellText((value as Record<string, unknown>)[path[0]!], path.slice(1));
}

/** The rows of one answer (one page), each flattened to the source's columns. */
export function rowsOf(data: unknown, source: RowSource): { header: string[]; rows: string[][] } {
  const list = valueAt(data, source.listPath);
  const items = Array.isArray(list) ? list : [];
  const rows = items.map((item) => {
    const row: unknown = source.rowKey ? valueAt(item, [source.rowKey]) : item;
    return source.columns.map((column) => cellText(row, column));
  });
  return { header: source.columns.map((c) => c.join('.')), rows };
}
