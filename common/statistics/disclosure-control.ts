/**
 * Statistical disclosure control of counts (docs/statistical-disclosure.md): the threshold rule
 * with complementary (secondary) cell suppression, applied to the whole linked table a caller
 * can ask about, so that no cell below the threshold can be read or derived — not from totals,
 * not from a parent or neighbouring region, not from another grouping of the same population.
 *
 * The table is a hypercube: one hierarchical dimension (the region tree of the caller's
 * population: all of it → province → regency → district → village) and a few flat dimensions
 * (nationality, permit type, …), each with its total. Every figure a statistics query answers is
 * one cell of it, so protecting the cube once protects every query and every combination of
 * queries alike. The method is τ-ARGUS's modular one (HiTaS): the hierarchy is cut into
 * non-hierarchical sub-tables (one region and its children, crossed with the flat dimensions),
 * each protected with the hypercube method (GHMITER): every suppressed cell must be a corner of
 * a box of suppressed cells, so that adding +1/−1 alternately around the box changes no
 * published figure and gives a second table the published figures cannot tell apart. Sub-tables
 * share cells (a region's figures are a child in its parent's sub-table and the totals of its
 * own); passes over all of them repeat until none suppresses anything more.
 */

/** The coordinate meaning "all values" of a flat dimension. */
export const ALL = '*';
/** The coordinate of a record without a value in a flat dimension (no permit in force, …). */
export const NONE = '∅';

/** Records sharing a region path and flat-dimension values, and how many there are. */
export interface CountRecord {
  /** Group keys from the top of the region tree down (province, regency, district, code); null where absent. */
  region: readonly (string | null)[];
  /** One value per flat dimension; null where the record has none. */
  values: readonly (string | null)[];
  count: number;
}

/** A published cell: the count, or null with `suppressed` when it may not be shown. */
export interface ProtectedCount {
  count: number | null;
  suppressed: boolean;
}

interface Cell {
  node: string;
  coords: string[];
  count: number;
  suppressed: boolean;
}

/** The root of the region tree: everything the caller may count. */
export const ROOT = '';

/** The node id of a region path prefix (group keys joined by `/`; null as `∅`). */
export function regionNodeId(path: readonly (string | null)[]): string {
  return path.map((p) => p ?? NONE).join('/');
}

function cellKey(node: string, coords: readonly string[]): string {
  return `${node}|${coords.join('|')}`;
}

function coordOf(value: string | null): string {
  return value ?? NONE;
}

/**
 * The counts of a population with every cell below `threshold` suppressed, and enough others
 * suppressed with them that none can be derived from what is shown.
 */
export class ProtectedTable {
  private readonly cells = new Map<string, Cell>();
  private readonly children = new Map<string, Set<string>>();
  /** Values seen in each flat dimension (without ALL). */
  private readonly values: Set<string>[];
  private readonly byNode = new Map<string, Cell[]>();
  /** Suppressed cells known to have a box of hidden cells, as `subTable#cell`. */
  private readonly protectedIn = new Set<string>();
  /**
   * The search for boxes runs on numbers: a node's index, a value's code in its dimension (ALL
   * is 0), and a cell's number `node × stride + Σ code × weight`.
   */
  private readonly nodeIndex = new Map<string, number>();
  private readonly codes: Map<string, number>[];
  private readonly weights: number[];
  private readonly stride: number;
  private readonly byNumber = new Map<number, Cell>();

  constructor(
    records: Iterable<CountRecord>,
    readonly dimensions: number,
    readonly threshold: number,
  ) {
    this.values = Array.from({ length: dimensions }, () => new Set<string>());
    for (const record of records) this.add(record);
    this.codes = this.values.map((set) => new Map([ALL, ...[...set].sort()].map((v, i) => [v, i])));
    this.weights = [];
    let weight = 1;
    for (const codes of this.codes) {
      this.weights.push(weight);
      weight *= codes.size;
    }
    this.stride = weight;
    for (const node of this.nodes()) this.nodeIndex.set(node, this.nodeIndex.size);
    for (const cell of this.cells.values()) {
      this.byNumber.set(this.numberOf(this.nodeIndex.get(cell.node)!, cell.coords), cell);
      const list = this.byNode.get(cell.node);
      if (list) list.push(cell);
      else this.byNode.set(cell.node, [cell]);
      // primary suppression: the threshold rule
      if (cell.count > 0 && cell.count < threshold) cell.suppressed = true;
    }
    this.protect();
  }

  private add(record: CountRecord): void {
    if (record.count <= 0) return;
    const coords = record.values.map(coordOf);
    coords.forEach((c, i) => this.values[i]!.add(c));
    const nodes = [ROOT];
    for (let depth = 1; depth <= record.region.length; depth += 1) {
      const node = regionNodeId(record.region.slice(0, depth));
      const parent = nodes.at(-1)!;
      let siblings = this.children.get(parent);
      if (!siblings) this.children.set(parent, (siblings = new Set()));
      siblings.add(node);
      nodes.push(node);
    }
    // every node on the path, crossed with every choice of value-or-total in each flat dimension
    for (const node of nodes) {
      for (let mask = 0; mask < 1 << this.dimensions; mask += 1) {
        const at = coords.map((c, i) => (mask & (1 << i) ? ALL : c));
        const key = cellKey(node, at);
        const cell = this.cells.get(key);
        if (cell) cell.count += record.count;
        else this.cells.set(key, { node, coords: at, count: record.count, suppressed: false });
      }
    }
  }

  /** The cell of a region node and flat coordinates (ALL for a total), zero when nobody is in it. */
  cell(node: string, coords: readonly string[]): ProtectedCount {
    const cell = this.cells.get(cellKey(node, coords));
    if (!cell) return { count: 0, suppressed: false };
    return cell.suppressed ? { count: null, suppressed: true } : { count: cell.count, suppressed: false };
  }

  /** Child nodes of a region node (a leaf has none). */
  childrenOf(node: string): string[] {
    return [...(this.children.get(node) ?? [])].sort();
  }

  /** The non-empty cells of a node, as `{ coords, count }` (coords ALL where totalled). */
  cellsOf(node: string): { coords: readonly string[]; value: ProtectedCount }[] {
    return (this.byNode.get(node) ?? []).map((c) => ({ coords: c.coords, value: this.cell(c.node, c.coords) }));
  }

  /** How many non-empty cells are suppressed, and how many there are. */
  get summary(): { cells: number; suppressed: number } {
    let suppressed = 0;
    for (const c of this.cells.values()) if (c.suppressed) suppressed += 1;
    return { cells: this.cells.size, suppressed };
  }

  /** Every non-empty cell with its true count and whether it is suppressed (for audits and tests). */
  *allCells(): IterableIterator<Readonly<Cell>> {
    yield* this.cells.values();
  }

  /** Every region node, the root first. */
  nodes(): string[] {
    const out = [ROOT];
    for (let i = 0; i < out.length; i += 1) out.push(...this.childrenOf(out[i]!));
    return out;
  }

  /** The values seen in a flat dimension (without ALL). */
  valuesOf(dimension: number): string[] {
    return [...this.values[dimension]!].sort();
  }

  /** The true count of a cell, and whether it is suppressed (for audits and tests). */
  truth(node: string, coords: readonly string[]): { count: number; suppressed: boolean } {
    const cell = this.cells.get(cellKey(node, coords));
    return { count: cell?.count ?? 0, suppressed: cell?.suppressed ?? false };
  }

  private numberOf(node: number, coords: readonly string[]): number {
    let n = node * this.stride;
    coords.forEach((c, i) => (n += this.codes[i]!.get(c)! * this.weights[i]!));
    return n;
  }

  /** Passes over every sub-table, top-down, until one suppresses nothing more. */
  private protect(): void {
    const order: string[] = [];
    const queue = [ROOT];
    while (queue.length > 0) {
      const node = queue.shift()!;
      if (!this.children.has(node)) continue;
      order.push(node);
      queue.push(...this.childrenOf(node));
    }
    for (;;) {
      let changed = false;
      for (const node of order) if (this.protectSubTable(node)) changed = true;
      if (!changed) return;
    }
  }

  /**
   * One sub-table: the region `node` (its total) and its children, crossed with every flat
   * dimension and its total. Returns whether it suppressed anything.
   */
  private protectSubTable(node: string): boolean {
    const regions = [node, ...this.childrenOf(node)];
    let changed = false;
    for (const r of regions) {
      for (const cell of this.byNode.get(r) ?? []) {
        if (!cell.suppressed) continue;
        // suppression only grows and empty cells stay empty: a box of hidden cells stays one
        const done = `${node}#${cellKey(cell.node, cell.coords)}`;
        if (this.protectedIn.has(done)) continue;
        if (this.protectCell(cell, node, regions)) changed = true;
        this.protectedIn.add(done);
      }
    }
    return changed;
  }

  /**
   * Makes sure a suppressed cell is the corner of a box of hidden cells in its sub-table;
   * suppresses the corners of the cheapest box (fewest people hidden) when it is not.
   */
  private protectCell(cell: Cell, total: string, regions: readonly string[]): boolean {
    const self = this.numberOf(this.nodeIndex.get(cell.node)!, cell.coords);
    const totalNode = this.nodeIndex.get(total)!;
    const cellNode = this.nodeIndex.get(cell.node)!;
    // a move in one dimension, as the change of the cell number and its sign (a total moves with its part)
    type Move = { delta: number; sign: number; hidden: boolean; count: number };
    const move = (delta: number, sign: number): Move => {
      const found = this.byNumber.get(self + delta);
      return { delta, sign, hidden: !found || found.suppressed, count: found?.count ?? 0 };
    };
    // suppressed neighbours first (a box through them may cost nothing), then empty ones, then
    // shown ones from the smallest
    const rank = (m: Move) => (m.hidden ? (m.count > 0 ? 0 : 1) : 2);
    const order = (a: Move, b: Move) => rank(a) - rank(b) || a.count - b.count;
    const regionMoves = regions
      .filter((r) => r !== cell.node)
      .map((r) => {
        const node = this.nodeIndex.get(r)!;
        return move((node - cellNode) * this.stride, node === totalNode || cellNode === totalNode ? 1 : -1);
      })
      .sort(order);
    const flatMoves = cell.coords.map((c, i) => {
      const from = this.codes[i]!.get(c)!;
      return [...this.codes[i]!.values()]
        .filter((code) => code !== from)
        .map((code) => move((code - from) * this.weights[i]!, code === 0 || from === 0 ? 1 : -1))
        .sort(order);
    });
    const allMoves = [regionMoves, ...flatMoves];
    // a box of hidden cells has hidden neighbours of the cell: looked for among those first
    const hidden = allMoves.map((list) => list.filter((m) => m.hidden).slice(0, MAX_HIDDEN_PARTNERS));
    for (const box of boxes(hidden)) if (this.corners(self, box, 1)) return false;
    // else the cheapest box: among a few neighbours of each kind, then among all of them
    const few = allMoves.map((list) =>
      [0, 1, 2].flatMap((r) => list.filter((m) => rank(m) === r).slice(0, MAX_PARTNERS)),
    );
    let best: { corners: number[]; cost: number } | null = null;
    for (const candidates of [few, allMoves]) {
      for (const box of boxes(candidates)) {
        const found = this.corners(self, box, best?.cost ?? Infinity);
        if (found) best = found;
      }
      if (best) break;
    }
    if (!best) {
      // no box at all (cannot happen while a sibling or a total exists): hide the sub-table
      let changed = false;
      for (const r of regions) {
        for (const c of this.byNode.get(r) ?? []) {
          if (!c.suppressed) changed = c.suppressed = true;
        }
      }
      return changed;
    }
    for (const corner of best.corners) {
      const target = this.byNumber.get(corner);
      if (target) target.suppressed = true;
    }
    return true;
  }

  /**
   * The corners (cell numbers) of the box spanned by the cell and one move per dimension, and
   * the people newly hidden by suppressing them, or null when that is `below` or more or the box
   * cannot stand for another table. Moving one person around the box — +1 and −1 alternately,
   * a total moving with its part — changes no figure outside it; it gives a table the published
   * figures cannot tell from the true one when every corner that loses a person has one (either
   * way round: the cell itself may gain or lose).
   */
  private corners(
    self: number,
    box: readonly { delta: number; sign: number }[],
    below: number,
  ): { corners: number[]; cost: number } | null {
    const corners: number[] = [];
    // whether the cell itself may gain one or lose one, every corner that loses one having one
    let gains = true;
    let loses = true;
    let cost = 0;
    for (let mask = 0; mask < 1 << box.length; mask += 1) {
      let at = self;
      let sign = 1;
      for (let d = 0; d < box.length; d += 1) {
        if (mask & (1 << d)) {
          at += box[d]!.delta;
          sign *= box[d]!.sign;
        }
      }
      const found = this.byNumber.get(at);
      if (!found) {
        if (sign > 0) loses = false;
        else gains = false;
      } else if (!found.suppressed) {
        cost += found.count;
      }
      if ((!gains && !loses) || cost >= below) return null;
      corners.push(at);
    }
    return { corners, cost };
  }
}

/** Hidden partners tried per dimension when looking for a box of hidden cells. */
const MAX_HIDDEN_PARTNERS = 8;
/** Partners of each kind (suppressed, empty, shown) tried per dimension for the cheapest box to suppress. */
const MAX_PARTNERS = 3;

function* boxes<T>(dims: readonly (readonly T[])[]): IterableIterator<T[]> {
  const choose = function* (i: number, picked: T[]): IterableIterator<T[]> {
    if (i === dims.length) {
      yield picked;
      return;
    }
    for (const v of dims[i]!) yield* choose(i + 1, [...picked, v]);
  };
  yield* choose(0, []);
}
