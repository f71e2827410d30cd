import { M_DATA, M_PROCESS, M_REALTIME, M_RW, M_RW_ITEM, M_WR, M_WW, type Graph } from './graph.js';
import type { Arena } from './arena.js';
import type { TxnModel } from './model-lattice.js';
import { maskLayering, nonAdjacentLayering, SccWorkspace, stronglyConnected, type Components, type Layering } from './scc.js';

/**
 * The dependency graph a model must keep acyclic (Elle's cycle-exists subgraphs): a union of
 * edge kinds, or for the snapshot isolations the walks with no two anti-dependencies in a row.
 */
export interface LevelGraph {
  model: TxnModel;
  layering: Layering;
  /** Snapshot isolation's layered graph: its cycles need no two anti-dependencies in a row. */
  nonAdjacent: boolean;
  /** The kinds it walks (for the snapshot isolations: the kinds besides anti-dependencies). */
  mask: number;
  /** For the snapshot isolations: the anti-dependency kinds. */
  rwMask: number;
}

function plain(model: TxnModel, mask: number): LevelGraph {
  return { model, layering: maskLayering(mask), nonAdjacent: false, mask, rwMask: 0 };
}

function snapshot(model: TxnModel, mask: number): LevelGraph {
  return { model, layering: nonAdjacentLayering(mask, M_RW), nonAdjacent: true, mask, rwMask: M_RW };
}

/**
 * Every model the graph decides, biggest graph first: the strong variants add real-time order
 * (and process order, which it contains), the strong-session variants process order.
 */
export function levelGraphs(options: { process: boolean; realtime: boolean }): LevelGraph[] {
  const p = options.process ? M_PROCESS : 0;
  const rt = M_REALTIME | p;
  const out: LevelGraph[] = [];
  if (options.realtime) out.push(plain('strict-serializable', M_DATA | rt));
  if (options.process) out.push(plain('strong-session-serializable', M_DATA | p));
  out.push(plain('serializable', M_DATA));
  if (options.realtime) out.push(snapshot('strong-snapshot-isolation', M_WW | M_WR | rt));
  if (options.process) out.push(snapshot('strong-session-snapshot-isolation', M_WW | M_WR | p));
  out.push(snapshot('snapshot-isolation', M_WW | M_WR), plain('repeatable-read', M_WW | M_WR | M_RW_ITEM));
  if (options.realtime) out.push(plain('strong-read-committed', M_WW | M_WR | rt));
  if (options.process) out.push(plain('strong-session-read-committed', M_WW | M_WR | p));
  out.push(plain('read-committed', M_WW | M_WR));
  if (options.realtime) out.push(plain('strong-read-uncommitted', M_WW | rt));
  if (options.process) out.push(plain('strong-session-read-uncommitted', M_WW | p));
  out.push(plain('read-uncommitted', M_WW));
  return out;
}

/** Whether every cycle of `small` is a cycle of `big` (so `big` acyclic ⇒ `small` acyclic). */
function within(small: LevelGraph, big: LevelGraph): boolean {
  const sub = (a: number, b: number): boolean => (a & ~b) === 0;
  if (!big.nonAdjacent) return sub(small.mask | small.rwMask, big.mask);
  if (!small.nonAdjacent) return sub(small.mask, big.mask);
  return sub(small.mask, big.mask) && sub(small.rwMask, big.rwMask);
}

export interface LevelCycles {
  graph: LevelGraph;
  /** Null when a larger acyclic graph already proved this one acyclic, or the model was settled. */
  components: Components | null;
  cyclic: boolean;
}

/**
 * Decides, exactly and in linear time per graph, which models' dependency graphs have a cycle:
 * a cycle exists iff a strongly connected component has two or more nodes (there are no
 * self-edges). Subgraph inclusions skip work: a graph inside one already found acyclic (or in
 * `known`, acyclic graphs decided before) is acyclic too (if the biggest is, so is every other);
 * and a model `settled` says is ruled out already is reported cyclic without a search (with no
 * components).
 */
export function levelCycles(graph: Graph, graphs: readonly LevelGraph[], arena?: Arena, known: readonly LevelGraph[] = [], settled?: (model: TxnModel) => boolean): Map<TxnModel, LevelCycles> {
  const out = new Map<TxnModel, LevelCycles>();
  const workspace = new SccWorkspace(2 * graph.n, arena);
  const acyclic: LevelGraph[] = [...known];
  for (const g of graphs) {
    if (acyclic.some((big) => within(g, big))) {
      out.set(g.model, { graph: g, components: null, cyclic: false });
      continue;
    }
    // A model an anomaly already rules out needs no verdict from its graph.
    if (settled?.(g.model) === true) {
      out.set(g.model, { graph: g, components: null, cyclic: true });
      continue;
    }
    const components = stronglyConnected(graph, g.layering, workspace, arena);
    const cyclic = components.nontrivial.length > 0;
    out.set(g.model, { graph: g, components, cyclic });
    if (!cyclic) acyclic.push(g);
  }
  return out;
}
