/**
 * Runs a saved operation through the gateway and writes its rows as CSV, page after page:
 * for a Relay connection it passes `pageInfo.endCursor` back as the `after` variable until
 * `hasNextPage` is false. A field the caller may not see (`FORBIDDEN` inside the rows) leaves
 * its cells empty and is reported as a warning; any other GraphQL error (a missing purpose,
 * bad variables, a refused list) stops the export with every error listed and nothing written.
 */
import { validate, type GraphQLSchema } from 'graphql';
import type { RegionDirectory } from '../../common/regions.js';
import type { RegionTimeZone } from '../../common/time-zones.js';
import { csvRecord } from './csv.js';
import { presentation, type ValueStyle } from './presentation.js';
import { rowFilter, type RowCondition } from './row-filter.js';
import { rowSource, rowsOf, valueAt } from './rows.js';
import type { SavedOperation } from './saved-operations.js';

export interface ExportOptions {
  /** The API schema the operation is checked against (schema/api-schema.graphql). */
  schema: GraphQLSchema;
  operation: SavedOperation;
  variables: Record<string, unknown>;
  gatewayUrl: string;
  /** A bearer token (JWT). */
  token: string;
  /** The purpose stated in `X-Purpose`, recorded in the access log with every disclosure. */
  purpose: string | null;
  /** Which list to export when the answer has several (`byPermitType.groups`). */
  rowsPath?: string;
  /** Page size passed as the connection's `first` variable unless the variables give one. */
  pageSize: number;
  where: readonly RowCondition[];
  match: 'all' | 'any';
  /** Labels and names for people (default) or the hub's own codes (see presentation.ts). */
  values?: ValueStyle;
  /** Region names for the name columns beside region codes (needed with `values: 'labels'`). */
  regions?: RegionDirectory;
  /** Zone of instants in rows that carry no region code (WIB when not given). */
  timeZone?: RegionTimeZone;
  /** Receives the CSV text, header first, one page of records at a time. */
  write: (chunk: string) => void | Promise<void>;
  /** Called after every page. */
  onPage?: (progress: ExportProgress) => void;
}

export interface ExportProgress {
  pages: number;
  /** Rows read from the hub so far. */
  fetched: number;
  /** Rows written so far (those meeting `where`). */
  written: number;
  /** The connection's `totalCount`, when the operation selects it. */
  total: number | null;
  hasNextPage: boolean;
  /**
   * When the rows are groups of statistics under disclosure control with groups withheld (the
   * operation selects `suppressed`), what was withheld: people in no listed group (null when
   * the total itself is withheld) and the threshold.
   */
  withheld: { unlisted: number | null; minimumCellSize: number | null } | null;
  /**
   * Fields the caller may not see, whose cells were left empty: one line per field (its path
   * with `*` for row indexes) with the number of cells.
   */
  forbidden: Map<string, number>;
}

/** An export that cannot go on; `details` lists each problem. */
export class ExportError extends Error {
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'ExportError';
  }
}

interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; serviceName?: string };
}

/**
 * One line per distinct error: the same error at many rows (`foreigners.nodes.3.x`,
 * `foreigners.nodes.4.x`) is listed once with its count.
 */
export function describeErrors(errors: readonly GraphQLErrorBody[]): string[];
/** The same lines with their counts, not joined. */
export function describeErrors(errors: readonly GraphQLErrorBody[], joined: false): [string, number][];
export function describeErrors(errors: readonly GraphQLErrorBody[], joined = true): string[] | [string, number][] {
  const lines = new Map<string, number>();
  for (const e of errors) {
    const code = e.extensions?.code ?? 'ERROR';
    const path = e.path?.map((p) => (typeof p === 'number' ? '*' : p)).join('.');
    const service = e.extensions?.serviceName ? ` (${e.extensions.serviceName})` : '';
    const line = `${code}${path ? ` at ${path}` : ''}: ${e.message}${service}`;
    lines.set(line, (lines.get(line) ?? 0) + 1);
  }
  if (!joined) return [...lines];
  return [...lines].map(([line, n]) => (n > 1 ? `${line} [${n} times]` : line));
}

function hint(errors: readonly GraphQLErrorBody[]): string | null {
  const codes = new Set(errors.map((e) => e.extensions?.code));
  if (codes.has('PURPOSE_REQUIRED')) return 'State why you export personal data with --purpose "…".';
  if (codes.has('UNAUTHENTICATED')) return 'The token was refused: get a fresh one (npm run token) or check --token.';
  if (codes.has('FORBIDDEN'))
    return 'Your token does not allow every field of this operation: leave the refused fields out of it, or ask for a token with the missing scope.';
  return null;
}

/** Is the error a refused field inside the rows (below `listPath`), which leaves cells empty rather than stop the export? */
function isForbiddenCell(e: GraphQLErrorBody, listPath: readonly string[] | undefined): boolean {
  if (!listPath || e.extensions?.code !== 'FORBIDDEN' || !e.path) return false;
  return e.path.length > listPath.length + 1 && listPath.every((key, i) => e.path![i] === key);
}

/**
 * Runs a saved operation through the gateway with the caller's token and purpose; its data, or
 * an `ExportError`. With `listPath`, `FORBIDDEN` errors inside the rows of that list come back
 * as `forbidden` instead of failing.
 */
export async function post(
  options: Pick<ExportOptions, 'gatewayUrl' | 'token' | 'purpose' | 'operation'>,
  variables: Record<string, unknown>,
  listPath?: readonly string[],
): Promise<{ data: unknown; forbidden: GraphQLErrorBody[] }> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    authorization: `Bearer ${options.token}`,
  };
  if (options.purpose) headers['x-purpose'] = options.purpose;
  let response: Response;
  try {
    response = await fetch(options.gatewayUrl, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: options.operation.text, operationName: options.operation.name, variables }),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    throw new ExportError(`cannot reach the gateway at ${options.gatewayUrl} (${cause}); is the hub running?`);
  }
  const text = await response.text();
  let body: { data?: unknown; errors?: GraphQLErrorBody[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new ExportError(`the gateway answered HTTP ${response.status} without GraphQL: ${text.slice(0, 200)}`);
  }
  const forbidden = (body.errors ?? []).filter((e) => body.data && isForbiddenCell(e, listPath));
  const fatal = (body.errors ?? []).filter((e) => !forbidden.includes(e));
  if (fatal.length) {
    const details = describeErrors(body.errors ?? []);
    const advice = hint(fatal);
    throw new ExportError(
      `${options.operation.name} failed with ${fatal.length} GraphQL error${fatal.length === 1 ? '' : 's'}`,
      advice ? [...details, advice] : details,
    );
  }
  if (!response.ok) throw new ExportError(`the gateway answered HTTP ${response.status}`);
  return { data: body.data, forbidden };
}

/** What disclosure control withheld from statistics whose groups are the rows, or null. */
function withheldOf(parent: unknown): ExportProgress['withheld'] {
  if (!parent || typeof parent !== 'object') return null;
  const p = parent as Record<string, unknown>;
  if (p.suppressed !== true) return null;
  const number = (v: unknown) => (typeof v === 'number' ? v : null);
  return { unlisted: number(p.unlisted), minimumCellSize: number(p.minimumCellSize) };
}

export async function runExport(options: ExportOptions): Promise<ExportProgress> {
  const { operation } = options;
  const invalid = validate(options.schema, operation.document);
  if (invalid.length > 0) {
    throw new ExportError(
      `${operation.name} does not match the hub's schema`,
      invalid.map((e) => e.message),
    );
  }
  let source;
  try {
    source = rowSource(options.schema, operation.document, operation.operation, options.rowsPath);
  } catch (e) {
    throw new ExportError(`${operation.name}: ${(e as Error).message}`);
  }
  const declared = new Set(operation.operation.variableDefinitions?.map((v) => v.variable.name.value));
  const variables = { ...options.variables };
  const { first, after } = source.pageVariables;
  if (first && declared.has(first) && variables[first] === undefined) variables[first] = options.pageSize;

  const header = source.columns.map((c) => c.join('.'));
  if ((options.values ?? 'labels') === 'labels' && !options.regions) {
    throw new Error('runExport: labels need the region directory (options.regions)');
  }
  const view = presentation(source, {
    values: options.values ?? 'labels',
    regions: options.regions!,
    timeZone: options.timeZone,
  });
  const keep = (() => {
    try {
      return rowFilter(options.where, header, options.match);
    } catch (e) {
      throw new ExportError((e as Error).message);
    }
  })();
  const progress: ExportProgress = {
    pages: 0,
    fetched: 0,
    written: 0,
    total: null,
    hasNextPage: false,
    withheld: null,
    forbidden: new Map(),
  };
  for (;;) {
    const { data, forbidden } = await post(options, variables, source.listPath);
    for (const line of describeErrors(forbidden, false)) {
      const [field, count] = line;
      progress.forbidden.set(field, (progress.forbidden.get(field) ?? 0) + count);
    }
    const { rows } = rowsOf(data, source);
    const kept = rows.filter(keep);
    // the header once the first page has come back without errors: a refused export writes nothing
    const records = (progress.pages === 0 ? [view.header] : []).concat(kept.map((row) => view.present(row)));
    if (records.length > 0) await options.write(records.map(csvRecord).join(''));
    progress.pages += 1;
    progress.fetched += rows.length;
    progress.written += kept.length;
    progress.hasNextPage = false;
    progress.withheld ??= withheldOf(valueAt(data, source.listPath.slice(0, -1)));
    if (source.connectionPath) {
      const connection = valueAt(data, source.connectionPath) as Record<string, unknown> | null | undefined;
      const total = connection?.totalCount;
      if (typeof total === 'number') progress.total = total;
      const pageInfo = connection?.pageInfo as { hasNextPage?: boolean; endCursor?: string | null } | undefined;
      const endCursor = pageInfo?.endCursor ?? null;
      // without `hasNextPage` selected, a non-empty page with a cursor may have a successor
      progress.hasNextPage = endCursor !== null && rows.length > 0 && pageInfo?.hasNextPage !== false;
      if (progress.hasNextPage) {
        if (!after || !declared.has(after)) {
          throw new ExportError(
            `${operation.name} has more pages, but its connection takes no $after variable: declare \`$after: String\` and pass \`after: $after\``,
          );
        }
        variables[after] = endCursor;
      } else if (
        pageInfo === undefined &&
        rows.length > 0 &&
        !(progress.total !== null && progress.fetched >= progress.total)
      ) {
        throw new ExportError(
          `${operation.name} selects no pageInfo { endCursor hasNextPage } on ${source.connectionPath.join('.')}, so its pages cannot be followed`,
        );
      }
    }
    options.onPage?.({ ...progress });
    if (!progress.hasNextPage) return progress;
  }
}
