/**
 * `--where` conditions on exported rows, for the questions the hub answers per row but cannot
 * filter on across subgraphs (e.g. "ITAS holders lacking an SKLD or an SKTT": immigration
 * lists the holders, police and local government judge each one). A condition is
 * `column=value[,value…]` (the cell is one of the values) or `column!=value[,value…]` (it is
 * none of them); `--match all` keeps rows meeting every condition, `--match any` rows meeting one.
 */

export interface RowCondition {
  column: string;
  negate: boolean;
  values: ReadonlySet<string>;
}

export function parseCondition(text: string): RowCondition {
  const match = /^([^=!]+?)\s*(!?=)\s*(.*)$/.exec(text);
  if (!match) throw new Error(`--where "${text}" must look like column=value,… or column!=value,…`);
  return {
    column: match[1]!.trim(),
    negate: match[2] === '!=',
    values: new Set(match[3]!.split(',').map((v) => v.trim())),
  };
}

/** A predicate over flattened rows with the given header; unknown columns are an error. */
export function rowFilter(
  conditions: readonly RowCondition[],
  header: readonly string[],
  mode: 'all' | 'any',
): (row: readonly string[]) => boolean {
  if (conditions.length === 0) return () => true;
  const tests = conditions.map((c) => {
    const index = header.indexOf(c.column);
    if (index < 0) throw new Error(`--where: no column "${c.column}"; columns: ${header.join(', ')}`);
    return (row: readonly string[]) => c.values.has(row[index] ?? '') !== c.negate;
  });
  return mode === 'all' ? (row) => tests.every((t) => t(row)) : (row) => tests.some((t) => t(row));
}
