import type { Operation } from '../history/op.js';
import { buildGraph, E_RW, E_RWP, E_WR, E_WRP, EdgeBuffer, type Graph } from './graph.js';
import { LayeredOrder } from './layered-order.js';
import { levelCycles, type LevelGraph } from './level-cycles.js';
import type { TxnModel } from './model-lattice.js';
import type { PredicateFacts } from './predicates.js';
import type { TxnTable } from './txn-table.js';

/** Edges the one-read-at-a-time placement's searches may follow, over all models. */
const GREEDY_WORK_MAX = 3e8;
/** Passes that place the reads only one place suits before the rest are placed in order. */
const FORCED_PASSES_MAX = 3;

/**
 * The models whose graphs no tried placement of the uncertain reads leaves free of their
 * forbidden cycles. Every possible creator of a key a scan saw gets its read dependency (a graph
 * acyclic with all of them is acyclic whichever it was). Each read that found a deleted key
 * absent is placed before the insert (an anti-dependency on the inserter) or after the delete (a
 * read dependency on the deleter): one placement whose graph is acyclic explains every read, so
 * the model holds. Placements tried, per model: those that worked for a stronger model; after the
 * delete where the deleter completed before the reader began; all before the insert; then one
 * read at a time, in the order the readers began, each in a place whose edge closes no cycle of
 * the model's graph with the edges so far (see `placeOneByOne`). Each is checked on the whole
 * graph; a model none works for is returned (unknown; the exact search may still decide it),
 * never claimed.
 */
export function modelsNoPlacementDecides(table: TxnTable, edges: EdgeBuffer, facts: PredicateFacts, graphs: readonly LevelGraph[], models: ReadonlySet<TxnModel>): Set<TxnModel> {
  const out = new Set<TxnModel>();
  const n = facts.absent.length;
  const worked: Uint8Array[] = [];
  const budget = { work: 0 };
  const byTime = Uint8Array.from(facts.absent, (a) => (completedBefore(table.operations[a.deleter], table.operations[a.reader]) ? 1 : 0));
  for (const g of graphs) {
    if (!models.has(g.model)) continue;
    const tried = n === 0 ? [byTime] : [...worked, byTime, new Uint8Array(n)];
    let found: Uint8Array | undefined = tried.find((after) => !cyclicWith(table, edges, facts, after, g).cyclic);
    if (found === undefined && n > 0) {
      const greedy = placeOneByOne(table, edges, facts, byTime, g, budget);
      if (greedy !== undefined && !cyclicWith(table, edges, facts, greedy, g).cyclic) found = greedy;
    }
    if (found === undefined) out.add(g.model);
    else if (!worked.includes(found)) worked.unshift(found);
  }
  for (const m of models) if (!graphs.some((g) => g.model === m)) out.add(m);
  return out;
}

function completedBefore(first: Operation, second: Operation): boolean {
  return Number.isFinite(first.ret) && first.ret < second.call;
}

/**
 * Places the absent reads one at a time on a growing copy of the model's graph: where the edge
 * would close a cycle of the model's layered graph (a path back from its head to its tail) the
 * other place is taken. First the reads only one place suits, in a few passes; then the rest,
 * readers in the order they began, where neither closes a cycle in the place real time suggests.
 * Undefined when a read has no place (both close a cycle), or the searches go past
 * `GREEDY_WORK_MAX` edges.
 */
function placeOneByOne(table: TxnTable, edges: EdgeBuffer, facts: PredicateFacts, byTime: Uint8Array, g: LevelGraph, budget: { work: number }): Uint8Array | undefined {
  const order = LayeredOrder.of(withPlaced(table, edges, facts, undefined), g.layering);
  if (order === undefined) return undefined;
  const after = new Uint8Array(facts.absent.length);
  const edgeOf = (i: number, later: boolean): [number, number, number] => {
    const a = facts.absent[i];
    return later ? [a.deleter, a.reader, a.scan ? E_WRP : E_WR] : [a.reader, a.inserter, a.scan ? E_RWP : E_RW];
  };
  /** 1: only after the delete closes no cycle; 0: only before the insert; 2: either; -1: neither. */
  const options = (i: number): number => {
    const afterCloses = order.closes(...edgeOf(i, true));
    const beforeCloses = order.closes(...edgeOf(i, false));
    return afterCloses ? (beforeCloses ? -1 : 0) : beforeCloses ? 1 : 2;
  };
  const place = (i: number, later: boolean): void => {
    after[i] = later ? 1 : 0;
    order.add(...edgeOf(i, later));
  };
  const spent = (): boolean => budget.work + order.work > GREEDY_WORK_MAX;
  let open = facts.absent.map((_, i) => i).sort((a, b) => table.operations[facts.absent[a].reader].call - table.operations[facts.absent[b].reader].call || a - b);
  // The reads only one place suits first (a few passes: each placed edge may force others), then the rest in order.
  for (let pass = 0; pass < FORCED_PASSES_MAX && open.length > 0; pass++) {
    const left: number[] = [];
    for (const i of open) {
      const o = options(i);
      if (o < 0 || spent()) { budget.work += order.work; return undefined; }
      if (o === 0 || o === 1) place(i, o === 1); else left.push(i);
    }
    if (left.length === open.length) break;
    open = left;
  }
  for (const i of open) {
    const o = options(i);
    if (o < 0 || spent()) { budget.work += order.work; return undefined; }
    place(i, o === 1 || (o === 2 && byTime[i] === 1));
  }
  budget.work += order.work;
  return after;
}

function cyclicWith(table: TxnTable, edges: EdgeBuffer, facts: PredicateFacts, after: Uint8Array, g: LevelGraph): { cyclic: boolean } {
  return { cyclic: levelCycles(withPlaced(table, edges, facts, after), [g]).get(g.model)!.cyclic };
}

/** The graph of the edges, every possible creator's read dependency and, unless `after` is undefined, the absent reads placed. */
function withPlaced(table: TxnTable, edges: EdgeBuffer, facts: PredicateFacts, after: Uint8Array | undefined): Graph {
  const out = new EdgeBuffer(edges.size + facts.ambiguous.reduce((s, a) => s + a.writers.length, 0) + facts.absent.length + 16);
  for (let i = 0; i < edges.size; i++) out.push(edges.src[i], edges.dst[i], edges.kind[i], edges.key[i]);
  for (const a of facts.ambiguous) for (const w of a.writers) out.push(w, a.scanner, E_WRP, a.key);
  if (after !== undefined) {
    facts.absent.forEach((a, i) => {
      if (after[i] === 1) out.push(a.deleter, a.reader, a.scan ? E_WRP : E_WR, a.key);
      else out.push(a.reader, a.inserter, a.scan ? E_RWP : E_RW, a.key);
    });
  }
  return buildGraph(table.n, out);
}
