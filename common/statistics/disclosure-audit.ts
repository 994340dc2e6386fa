/**
 * An audit of a suppression pattern: which suppressed cells an attacker could compute exactly
 * from every figure shown (all cells of the table that are not suppressed, empty cells as zero)
 * and every additive relation between them (a region is the sum of its children, a total the
 * sum of its values). A cell is derivable exactly when its unit vector lies in the row space of
 * the relations restricted to the suppressed cells; found by Gaussian elimination modulo a
 * prime (the relations have coefficients 0 and ±1, so a rank modulo a large prime is the rank).
 */
import { ALL } from './disclosure-control.js';

/**
 * What an audit needs of a table: its region tree, the values of its flat dimensions, and per
 * cell its true count and whether it is hidden from the caller. A {@link ProtectedTable} is one;
 * a test builds another from what the gateway answered.
 */
export interface AuditedTable {
  readonly dimensions: number;
  nodes(): string[];
  childrenOf(node: string): string[];
  valuesOf(dimension: number): string[];
  truth(node: string, coords: readonly string[]): { count: number; suppressed: boolean };
}

const P = 67_108_859; // a prime below 2^26: products stay exact in a double

function mod(a: number): number {
  const r = a % P;
  return r < 0 ? r + P : r;
}

function inverse(a: number): number {
  // Fermat: a^(P-2) mod P, by squaring with exact products (< 2^52)
  let result = 1;
  let base = mod(a);
  let e = P - 2;
  while (e > 0) {
    if (e & 1) result = (result * base) % P;
    base = (base * base) % P;
    e = Math.floor(e / 2);
  }
  return result;
}

type Row = Map<number, number>;

/**
 * The suppressed cells (as `node|coords`) whose value follows exactly from what is shown. The
 * unknowns are the suppressed cells and the empty ones (an empty group is not listed, so it
 * looks like a suppressed one); the shown cells are known.
 */
export function derivableCells(table: AuditedTable): string[] {
  const key = (node: string, coords: readonly string[]) => `${node}|${coords.join('|')}`;
  const axes = Array.from({ length: table.dimensions }, (_, i) => [ALL, ...table.valuesOf(i)]);
  const grid: string[][] = [[]];
  for (const axis of axes) {
    const next: string[][] = [];
    for (const prefix of grid) for (const v of axis) next.push([...prefix, v]);
    grid.splice(0, grid.length, ...next);
  }
  const nodes = table.nodes();
  const unknown = new Map<string, number>();
  const names: string[] = [];
  const suppressed = new Set<number>();
  for (const node of nodes) {
    for (const coords of grid) {
      const truth = table.truth(node, coords);
      if (truth.count > 0 && !truth.suppressed) continue;
      const k = key(node, coords);
      unknown.set(k, names.length);
      if (truth.suppressed) suppressed.add(names.length);
      names.push(k);
    }
  }
  const rows: Row[] = [];
  const relation = (total: string, parts: string[]) => {
    const row: Row = new Map();
    const add = (k: string, coef: number) => {
      const j = unknown.get(k);
      if (j !== undefined) row.set(j, mod((row.get(j) ?? 0) + coef));
    };
    add(total, 1);
    for (const p of parts) add(p, -1);
    for (const [j, v] of row) if (v === 0) row.delete(j);
    if (row.size > 0) rows.push(row);
  };
  for (const node of nodes) {
    const children = table.childrenOf(node);
    for (const coords of grid) {
      if (children.length > 0)
        relation(
          key(node, coords),
          children.map((ch) => key(ch, coords)),
        );
      coords.forEach((coord, i) => {
        if (coord !== ALL) return;
        const parts = axes[i]!.filter((v) => v !== ALL).map((v) => {
          const at = [...coords];
          at[i] = v;
          return key(node, at);
        });
        relation(key(node, coords), parts);
      });
    }
  }
  // echelon form, one pivot per column
  const pivots = new Map<number, Row>();
  for (const input of rows) {
    const row = new Map(input);
    for (;;) {
      let lead = -1;
      for (const j of row.keys()) if (pivots.has(j) && (lead < 0 || j < lead)) lead = j;
      if (lead < 0) break;
      const factor = row.get(lead)!;
      for (const [j, v] of pivots.get(lead)!) {
        const next = mod((row.get(j) ?? 0) - factor * v);
        if (next === 0) row.delete(j);
        else row.set(j, next);
      }
    }
    if (row.size === 0) continue;
    const lead = Math.min(...row.keys());
    const inv = inverse(row.get(lead)!);
    for (const [j, v] of row) row.set(j, (v * inv) % P);
    // keep the pivot rows reduced against each other (reduced row echelon form)
    for (const other of pivots.values()) {
      const factor = other.get(lead);
      if (factor === undefined) continue;
      for (const [j, v] of row) {
        const next = mod((other.get(j) ?? 0) - factor * v);
        if (next === 0) other.delete(j);
        else other.set(j, next);
      }
    }
    pivots.set(lead, row);
  }
  return [...pivots].filter(([j, row]) => row.size === 1 && suppressed.has(j)).map(([j]) => names[j]!);
}
