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
  /** The GraphQL type of each column's leaf (`StayPermitType`, `DateTime`, `String`), in column order. */
  columnTypes: string[];
  /**
   * A list below each row whose elements become the rows (`attendees` of a meeting): each
   * element gives one row carrying its parent's other columns; a parent whose list is empty
   * gives one row with that list's cells empty. Null when the rows are the list's elements.
   */
  nested: string[] | null;
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

interface LeafColumns {
  columns: string[][];
  columnTypes: string[];
}

/** Leaf paths below a selection, in selection order; lists are crossed (their cells are joined). */
function leafColumns(
  selectionSet: SelectionSetNode,
  type: GraphQLObjectType,
  fragments: Map<string, FragmentDefinitionNode>,
  prefix: string[] = [],
  out: LeafColumns = { columns: [], columnTypes: [] },
): LeafColumns {
  for (const { key, node, field } of selectedFields(selectionSet, type, fragments).values()) {
    const named = getNamedType(field.type);
    if (node.selectionSet && isObjectType(named)) {
      leafColumns(node.selectionSet, named, fragments, [...prefix, key], out);
    } else {
      out.columns.push([...prefix, key]);
      out.columnTypes.push(named.name);
    }
  }
  return out;
}

/** Lists of objects below a row's selection (not inside one another), as paths below the row. */
function nestedLists(
  selectionSet: SelectionSetNode,
  type: GraphQLObjectType,
  fragments: Map<string, FragmentDefinitionNode>,
  prefix: string[] = [],
): string[][] {
  const found: string[][] = [];
  for (const { key, node, field } of selectedFields(selectionSet, type, fragments).values()) {
    const named = getNamedType(field.type);
    if (!node.selectionSet || !isObjectType(named)) continue;
    if (isListType(getNullableType(field.type))) found.push([...prefix, key]);
    else found.push(...nestedLists(node.selectionSet, named, fragments, [...prefix, key]));
  }
  return found;
}

/** A list or connection of the answer with the selection of its rows. */
interface RowList {
  candidate: Candidate;
  listPath: string[];
  rowKey: string | null;
  connectionPath: string[] | null;
  pageVariables: { first: string | null; after: string | null };
  selectionSet: SelectionSetNode;
  type: GraphQLObjectType;
}

function rowList(candidate: Candidate, fragments: Map<string, FragmentDefinitionNode>): RowList {
  if (candidate.kind === 'list') {
    return {
      candidate,
      listPath: candidate.path,
      rowKey: null,
      connectionPath: null,
      pageVariables: { first: null, after: null },
      selectionSet: candidate.selectionSet,
      type: candidate.type,
    };
  }
  const pageVariables = {
    first: argumentVariable(candidate.node, 'first'),
    after: argumentVariable(candidate.node, 'after'),
  };
  const fields = selectedFields(candidate.selectionSet, candidate.type, fragments);
  const byName = (name: string) => [...fields.values()].find((f) => f.node.name.value === name);
  const nodes = byName('nodes');
  if (nodes?.node.selectionSet) {
    return {
      candidate,
      listPath: [...candidate.path, nodes.key],
      rowKey: null,
      connectionPath: candidate.path,
      pageVariables,
      selectionSet: nodes.node.selectionSet,
      type: getNamedType(nodes.field.type) as GraphQLObjectType,
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
    throw new Error(`the connection ${candidate.path.join('.')} selects neither nodes { … } nor edges { node { … } }`);
  }
  return {
    candidate,
    listPath: [...candidate.path, edges.key],
    rowKey: node.key,
    connectionPath: candidate.path,
    pageVariables,
    selectionSet: node.node.selectionSet,
    type: getNamedType(node.field.type) as GraphQLObjectType,
  };
}

/** The `--rows` names of a list's nested lists: `coordinationMeetings.attendees`, `incidents.nodes.parties`. */
function nestedChoices(list: RowList, fragments: Map<string, FragmentDefinitionNode>) {
  const rowPath = [...list.listPath, ...(list.rowKey ? [list.rowKey] : [])];
  return nestedLists(list.selectionSet, list.type, fragments).map((nested) => ({
    name: [...rowPath, ...nested].join('.'),
    nested,
  }));
}

/**
 * Where the rows of an operation's answer are, and their columns. `rowsPath` (dot path of
 * response keys, e.g. `byPermitType.groups`, or a list inside the rows such as
 * `coordinationMeetings.attendees`) chooses when the answer holds several lists; otherwise the
 * one connection, or else the one list of objects, is taken.
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
  let list: RowList | undefined;
  let nested: string[] | null = null;
  if (rowsPath) {
    const top = all.find((c) => c.path.join('.') === rowsPath);
    if (top) list = rowList(top, fragments);
    else {
      const lists = all.map((c) => rowList(c, fragments));
      for (const l of lists) {
        const choice = nestedChoices(l, fragments).find((n) => n.name === rowsPath);
        if (choice) {
          list = l;
          nested = choice.nested;
          break;
        }
      }
      if (!list) {
        const names = lists.flatMap((l) => [
          l.candidate.path.join('.'),
          ...nestedChoices(l, fragments).map((n) => n.name),
        ]);
        throw new Error(
          `--rows ${rowsPath} is not a list or connection of the operation; choose one of: ${names.join(', ')}`,
        );
      }
    }
  } else {
    const connections = all.filter((c) => c.kind === 'connection');
    const chosen =
      connections.length === 1 ? connections[0] : connections.length === 0 && all.length === 1 ? all[0] : undefined;
    if (!chosen) {
      throw new Error(
        all.length === 0
          ? 'the operation selects no list or connection to export'
          : `the operation selects several lists; choose one with --rows: ${all.map((c) => c.path.join('.')).join(', ')}`,
      );
    }
    list = rowList(chosen, fragments);
  }
  const { columns, columnTypes } = leafColumns(list.selectionSet, list.type, fragments);
  return {
    listPath: list.listPath,
    rowKey: list.rowKey,
    connectionPath: list.connectionPath,
    pageVariables: list.pageVariables,
    columns,
    columnTypes,
    nested,
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

/** Is `column` under the path `prefix` (or the path itself)? */
function under(column: readonly string[], prefix: readonly string[]): boolean {
  return prefix.every((key, i) => column[i] === key);
}

/**
 * The rows of one answer (one page), each flattened to the source's columns. With a nested
 * list, each of its elements is a row: its own columns from the element, the others from the
 * parent.
 */
export function rowsOf(data: unknown, source: RowSource): { header: string[]; rows: string[][] } {
  const list = valueAt(data, source.listPath);
  const items = Array.isArray(list) ? list : [];
  const rows: string[][] = [];
  for (const item of items) {
    const row: unknown = source.rowKey ? valueAt(item, [source.rowKey]) : item;
    const nested = source.nested;
    if (!nested) {
      rows.push(source.columns.map((column) => cellText(row, column)));
      continue;
    }
    const children = valueAt(row, nested);
    const elements = Array.isArray(children) && children.length > 0 ? children : [null];
    for (const element of elements) {
      rows.push(
        source.columns.map((column) =>
          under(column, nested) ? cellText(element, column.slice(nested.length)) : cellText(row, column),
        ),
      );
    }
  }
  return { header: source.columns.map((c) => c.join('.')), rows };
}
