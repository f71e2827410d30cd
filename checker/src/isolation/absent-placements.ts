import type { Operation } from '../history/op.js';
import { buildGraph, E_RW, E_RWP, E_WR, E_WRP, EDGE_KINDS, EdgeBuffer, type Graph } from './graph.js';
import { levelCycles, type LevelGraph } from './level-cycles.js';
import type { TxnModel } from './model-lattice.js';
import type { PredicateFacts } from './predicates.js';
import type { TxnTable } from './txn-table.js';

/** Work the one-read-at-a-time placement may take per model (absent reads × product-graph size), bounding its searches. */
const GREEDY_WORK_MAX = 4e8;

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
  const byTime = Uint8Array.from(facts.absent, (a) => (completedBefore(table.operations[a.deleter], table.operations[a.reader]) ? 1 : 0));
  for (const g of graphs) {
    if (!models.has(g.model)) continue;
    const tried = n === 0 ? [byTime] : [...worked, byTime, new Uint8Array(n)];
    let found: Uint8Array | undefined = tried.find((after) => !cyclicWith(table, edges, facts, after, g).cyclic);
    if (found === undefined && n > 0) {
      const greedy = placeOneByOne(table, edges, facts, byTime, g);
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
 * Places the absent reads one at a time (readers in the order they began) on a growing copy of the
 * model's graph: where the edge would close a cycle of the model's layered graph (a path back
 * from its head to its tail) the other place is taken; where neither would, the place real time
 * suggests. Undefined when the searches would exceed `GREEDY_WORK_MAX`.
 */
function placeOneByOne(table: TxnTable, edges: EdgeBuffer, facts: PredicateFacts, byTime: Uint8Array, g: LevelGraph): Uint8Array | undefined {
  const base = withPlaced(table, edges, facts, undefined);
  const { layers, table: step } = g.layering;
  const nodes = table.n * layers;
  if (facts.absent.length * (nodes + base.dst.length * layers) * 2 * layers > GREEDY_WORK_MAX) return undefined;
  const extra: { to: number; kind: number }[][] = Array.from({ length: table.n }, () => []);
  const seen = new Int32Array(nodes);
  const stack = new Int32Array(nodes);
  let stamp = 0;
  /** Whether product node `from` reaches product node `target`. */
  const reaches = (from: number, target: number): boolean => {
    stamp++;
    let top = 0;
    stack[top++] = from;
    seen[from] = stamp;
    while (top > 0) {
      const x = stack[--top];
      if (x === target) return true;
      const v = x % table.n;
      const layer = (x - v) / table.n;
      const visit = (to: number, kind: number): void => {
        const next = step[layer * EDGE_KINDS + kind];
        if (next < 0) return;
        const y = to + next * table.n;
        if (seen[y] !== stamp) { seen[y] = stamp; stack[top++] = y; }
      };
      for (let e = base.offsets[v]; e < base.offsets[v + 1]; e++) visit(base.dst[e], base.kind[e]);
      for (const e of extra[v]) visit(e.to, e.kind);
    }
    return false;
  };
  /** Whether an edge u → v of this kind would close a cycle of the layered graph. */
  const closes = (u: number, v: number, kind: number): boolean => {
    for (let l = 0; l < layers; l++) {
      const next = step[l * EDGE_KINDS + kind];
      if (next >= 0 && reaches(v + next * table.n, u + l * table.n)) return true;
    }
    return false;
  };
  const order = facts.absent.map((_, i) => i).sort((a, b) => table.operations[facts.absent[a].reader].call - table.operations[facts.absent[b].reader].call || a - b);
  const after = new Uint8Array(facts.absent.length);
  for (const i of order) {
    const a = facts.absent[i];
    const kindAfter = a.scan ? E_WRP : E_WR;
    const kindBefore = a.scan ? E_RWP : E_RW;
    const afterCloses = closes(a.deleter, a.reader, kindAfter);
    const beforeCloses = closes(a.reader, a.inserter, kindBefore);
    after[i] = !afterCloses && (beforeCloses || byTime[i] === 1) ? 1 : 0;
    if (after[i] === 1) extra[a.deleter].push({ to: a.reader, kind: kindAfter });
    else extra[a.reader].push({ to: a.inserter, kind: kindBefore });
  }
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
