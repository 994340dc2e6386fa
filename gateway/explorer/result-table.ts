/**
 * The table view of an answer: the lists of objects it holds (a connection's `nodes` or
 * `edges { node }`, statistics `groups`, nested lists such as a meeting's attendees), each row
 * flattened into dotted columns, and every cell as an officer reads it — enum values with
 * their official Indonesian labels (LIMITED_STAY → ITAS), nationality names beside codes,
 * instants in the time zone of the row's region (WIB when the row has none), labelled. The
 * CSV download holds exactly the cells the table shows. No DOM here: the page renders it, the
 * tests call it directly.
 */
import {
  Kind,
  getNamedType,
  isAbstractType,
  isObjectType,
  isInterfaceType,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { ENUM_LABELS, countryLabel, enumLabel, enumShortLabel, type Language } from '../../common/i18n/labels.js';
import { TIME_ZONES, formatDateTimeIn, timeZoneOfRegion, type RegionTimeZone } from '../../common/calendar.js';
import { LIST_SEPARATOR } from '../../scripts/export/rows.js';
import { csvRecord } from '../../scripts/export/csv.js';

/** One list of objects found in an answer. */
export interface ResultList {
  /** Response keys down to the list, `edges` lists ending in `edges.node`: `foreigners.nodes`. */
  path: string;
  /** The rows: the list's objects (an edge's node for `edges`). */
  items: unknown[];
  /** Leaf paths below a row, in the order first met. */
  columns: string[][];
}

/** A table ready to show and to download: header and cells as text. */
export interface TableText {
  header: string[];
  rows: string[][];
  /** The full label of a cell when the cell shows a short one (ITAS → Izin Tinggal Terbatas (ITAS)). */
  titles: (string | null)[][];
}

/** Named types of the fields an operation selects, by dotted response-key path (lists not counted). */
export type FieldTypes = ReadonlyMap<string, string>;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Leaf paths of a value below `prefix`, added to `out` in the order first met; lists are crossed. */
function leafPaths(value: unknown, prefix: string[], out: Map<string, string[]>): void {
  if (Array.isArray(value)) {
    for (const item of value) leafPaths(item, prefix, out);
    if (value.length === 0 && prefix.length > 0 && !out.has(prefix.join('.'))) out.set(prefix.join('.'), prefix);
    return;
  }
  if (isPlainObject(value)) {
    for (const [key, child] of Object.entries(value)) leafPaths(child, [...prefix, key], out);
    return;
  }
  if (prefix.length > 0 && !out.has(prefix.join('.'))) out.set(prefix.join('.'), prefix);
}

function columnsOf(items: readonly unknown[]): string[][] {
  const found = new Map<string, string[]>();
  for (const item of items) leafPaths(item, [], found);
  const keys = [...found.keys()];
  // a field null in one row and an object in another: its sub-fields are the columns
  return [...found.entries()]
    .filter(([key]) => !keys.some((other) => other.startsWith(`${key}.`)))
    .map(([, path]) => path);
}

const isEdgeList = (items: readonly unknown[]) =>
  items.length > 0 && items.every((item) => isPlainObject(item) && 'node' in item);

/**
 * The lists of objects in an answer's `data`, outermost first. A list inside a list's objects
 * (a meeting's attendees in a list of meetings) is offered too, its rows gathered from every
 * object in order; in the outer list's table its values are joined in one cell.
 */
export function findLists(data: unknown): ResultList[] {
  const lists: ResultList[] = [];
  /** Lists of objects below `value` (not inside one another), by relative path, elements gathered. */
  const listsBelow = (value: unknown, path: string[], found: Map<string, unknown[]>) => {
    if (Array.isArray(value)) {
      const objects = value.filter((item) => item !== null);
      if (objects.length === 0 || !objects.every(isPlainObject)) return;
      const edges = path[path.length - 1] === 'edges' && isEdgeList(objects);
      const key = [...path, ...(edges ? ['node'] : [])].join('.');
      const items = edges ? objects.map((edge) => (edge as Record<string, unknown>).node) : objects;
      found.set(key, [...(found.get(key) ?? []), ...items]);
      return;
    }
    if (isPlainObject(value))
      for (const [key, child] of Object.entries(value)) listsBelow(child, [...path, key], found);
  };
  const collect = (items: unknown[], prefix: string) => {
    const found = new Map<string, unknown[]>();
    for (const item of items)
      if (isPlainObject(item)) for (const [k, v] of Object.entries(item)) listsBelow(v, [k], found);
    for (const [path, nested] of found) {
      const full = `${prefix}.${path}`;
      lists.push({ path: full, items: nested, columns: columnsOf(nested) });
      collect(nested, full);
    }
  };
  const top = new Map<string, unknown[]>();
  listsBelow(data, [], top);
  for (const [path, items] of top) {
    lists.push({ path, items, columns: columnsOf(items) });
    collect(items, path);
  }
  return lists;
}

/**
 * The named type of every field an operation selects, by response-key path (aliases as the
 * answer has them): `foreigners.nodes.stayPermits.type` → `StayPermitType`. Fields the schema
 * does not know are left out; the table then shows their values as they are.
 */
export function fieldTypes(schema: GraphQLSchema, query: string, operationName?: string | null): Map<string, string> {
  const types = new Map<string, string>();
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch {
    return types;
  }
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation =
    operations.find((o) => operationName && o.name?.value === operationName) ??
    (operations.length === 1 ? operations[0] : undefined);
  const root = operation ? schema.getRootType(operation.operation) : undefined;
  if (!operation || !root) return types;

  const visit = (selectionSet: SelectionSetNode, type: GraphQLCompositeType, path: string[], seen: Set<string>) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const field = isObjectType(type) || isInterfaceType(type) ? type.getFields()[selection.name.value] : undefined;
        if (!field) continue;
        const named = getNamedType(field.type);
        types.set([...path, key].join('.'), named.name);
        if (selection.selectionSet && (isObjectType(named) || isInterfaceType(named) || isAbstractType(named))) {
          visit(selection.selectionSet, named, [...path, key], seen);
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        if (condition && (isObjectType(condition) || isAbstractType(condition))) {
          visit(selection.selectionSet, condition, path, seen);
        }
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue;
        const condition = schema.getType(fragment.typeCondition.name.value);
        if (condition && (isObjectType(condition) || isAbstractType(condition))) {
          visit(fragment.selectionSet, condition, path, new Set([...seen, fragment.name.value]));
        }
      }
    }
  };
  visit(operation.selectionSet, root, [], new Set());
  return types;
}

/** The leaf values at `path` below `value`, lists crossed, in list order (null and missing as null). */
function valuesAt(value: unknown, path: readonly string[]): unknown[] {
  if (Array.isArray(value)) return value.flatMap((item) => valuesAt(item, path));
  if (path.length === 0) return [value];
  if (!isPlainObject(value)) return [null];
  return valuesAt(value[path[0]!], path.slice(1));
}

/**
 * Without the schema (introspection disabled), the enum a value belongs to when exactly one
 * labelled enum has it (`LIMITED_STAY` is a StayPermitType); `EXPIRED`, in several, stays as it is.
 */
function enumOfValue(value: string): string | undefined {
  if (!/^[A-Z][A-Z0-9_]+$/.test(value)) return undefined;
  const owners = Object.keys(ENUM_LABELS).filter((name) => ENUM_LABELS[name]![value]);
  return owners.length === 1 ? owners[0] : undefined;
}

const REGION_CODE = /^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/;
const NATIONALITY_KEY = /nationalit(y|ies)$|^countryCode$|^citizenship$/i;
const NATIONALITY_CODE = /^[A-Z]{3}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** The zone of a row: the zone of the first region code among its columns, WIB when it has none. */
function zoneOfRow(item: unknown, columns: readonly string[][]): RegionTimeZone {
  for (const column of columns) {
    if (!/regioncode$/i.test(column[column.length - 1]!)) continue;
    const code = valuesAt(item, column).find((v): v is string => typeof v === 'string' && REGION_CODE.test(v));
    if (code) return timeZoneOfRegion(code);
  }
  return TIME_ZONES.WIB;
}

interface Cell {
  text: string;
  title: string | null;
}

function scalarCell(
  value: unknown,
  key: string,
  type: string | undefined,
  zone: RegionTimeZone,
  language: Language,
  words: { yes: string; no: string },
): Cell {
  if (value === null || value === undefined) return { text: '', title: null };
  if (typeof value === 'boolean') return { text: value ? words.yes : words.no, title: null };
  if (typeof value !== 'string')
    return { text: typeof value === 'number' ? String(value) : JSON.stringify(value), title: null };
  const enumName = type ?? enumOfValue(value);
  if (enumName) {
    const full = enumLabel(enumName, value, language);
    if (full !== value) {
      const short = language === 'id' ? enumShortLabel(enumName, value) : full;
      return { text: short, title: short === full ? value : `${full} — ${value}` };
    }
  }
  if (type === 'DateTime' || (!type && ISO_INSTANT.test(value))) {
    const at = new Date(value);
    if (!Number.isNaN(at.getTime())) return { text: formatDateTimeIn(zone, at), title: value };
  }
  if (NATIONALITY_KEY.test(key) && NATIONALITY_CODE.test(value)) {
    const name = countryLabel(value, language);
    return { text: value, title: name === value ? null : name };
  }
  return { text: value, title: null };
}

/** A country's name for a nationality code; empty when it has none. */
function nationalityName(value: unknown, language: Language): string {
  if (typeof value !== 'string' || !NATIONALITY_CODE.test(value)) return '';
  const name = countryLabel(value, language);
  return name === value ? '' : name;
}

/** The column of names beside a nationality column (`nationality` → `nationalityName`), as the export writes it. */
function nameColumnBeside(column: readonly string[]): string[] | null {
  const leaf = column[column.length - 1]!;
  return NATIONALITY_KEY.test(leaf) ? [...column.slice(0, -1), `${leaf.replace(/ies$/, 'y')}Name`] : null;
}

/** The table of one list, every cell as it is shown (and downloaded). */
export function tableText(
  list: ResultList,
  options: { types?: FieldTypes; language: Language; words?: { yes: string; no: string } },
): TableText {
  const words = options.words ?? (options.language === 'id' ? { yes: 'ya', no: 'tidak' } : { yes: 'yes', no: 'no' });
  const selected = new Set(list.columns.map((column) => column.join('.')));
  // each selected column, and a country-name column beside each nationality the operation does not name itself
  const shown: { column: string[]; namesOf: string[] | null }[] = list.columns.flatMap((column) => {
    const beside = nameColumnBeside(column);
    if (!beside || selected.has(beside.join('.'))) return [{ column, namesOf: null }];
    selected.add(beside.join('.'));
    return [
      { column, namesOf: null },
      { column: beside, namesOf: column },
    ];
  });
  const header = shown.map(({ column }) => column.join('.'));
  const rows: string[][] = [];
  const titles: (string | null)[][] = [];
  for (const item of list.items) {
    const zone = zoneOfRow(item, list.columns);
    const cells = shown.map(({ column, namesOf }) => {
      if (namesOf) {
        const text = valuesAt(item, namesOf)
          .map((value) => nationalityName(value, options.language))
          .join(LIST_SEPARATOR);
        return { text, title: null };
      }
      const type = options.types?.get(`${list.path}.${column.join('.')}`);
      const key = column[column.length - 1]!;
      const parts = valuesAt(item, column).map((value) => scalarCell(value, key, type, zone, options.language, words));
      const text = parts.map((p) => p.text).join(LIST_SEPARATOR);
      const title = parts.some((p) => p.title) ? parts.map((p) => p.title ?? p.text).join(LIST_SEPARATOR) : null;
      return { text: parts.length === 1 ? parts[0]!.text : text, title };
    });
    rows.push(cells.map((c) => c.text));
    titles.push(cells.map((c) => c.title));
  }
  return { header, rows, titles };
}

/** The table as a CSV file (RFC 4180, with a byte-order mark so spreadsheets read UTF-8). */
export function tableCsv(table: Pick<TableText, 'header' | 'rows'>): string {
  return `\uFEFF${csvRecord(table.header)}${table.rows.map((row) => csvRecord(row)).join('')}`;
}
