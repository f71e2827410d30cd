import { M_DATA, M_PROCESS, M_REALTIME, M_RW, M_RW_ITEM, M_WR, M_WW, type Graph } from './graph.js';
import type { Arena } from './arena.js';
import { maskLayering, nonAdjacentLayering, SccWorkspace, stronglyConnected, type Components, type Layering } from './scc.js';
import type { IsolationLevel } from './types.js';

/** The dependency graph a level must keep acyclic (Elle's cycle-exists subgraphs). */
export interface LevelGraph {
  level: IsolationLevel;
  layering: Layering;
  /** Snapshot isolation's layered graph: its cycles need no two anti-dependencies in a row. */
  nonAdjacent: boolean;
}

export function levelGraphs(options: { process: boolean; realtime: boolean }): LevelGraph[] {
  const order = (options.process ? M_PROCESS : 0) | (options.realtime ? M_REALTIME : 0);
  return [
    { level: 'read-uncommitted', layering: maskLayering(M_WW), nonAdjacent: false },
    { level: 'read-committed', layering: maskLayering(M_WW | M_WR), nonAdjacent: false },
    { level: 'snapshot-isolation', layering: nonAdjacentLayering(M_WW | M_WR, M_RW), nonAdjacent: true },
    { level: 'repeatable-read', layering: maskLayering(M_WW | M_WR | M_RW_ITEM), nonAdjacent: false },
    { level: 'serializable', layering: maskLayering(M_DATA), nonAdjacent: false },
    { level: 'strict-serializable', layering: maskLayering(M_DATA | order), nonAdjacent: false },
  ];
}

export interface LevelCycles {
  graph: LevelGraph;
  /** Null when a larger acyclic graph already proved this one acyclic. */
  components: Components | null;
  cyclic: boolean;
}

/**
 * Decides, exactly and in linear time per graph, which levels' dependency graphs have a cycle:
 * a cycle exists iff a strongly connected component has two or more nodes (there are no
 * self-edges). Subgraph inclusions skip work: if the strict graph is acyclic so is every other;
 * if the serializable one is, so are the rest (snapshot isolation's walks project onto it).
 */
export function levelCycles(graph: Graph, graphs: readonly LevelGraph[], arena?: Arena): Map<IsolationLevel, LevelCycles> {
  const out = new Map<IsolationLevel, LevelCycles>();
  const workspace = new SccWorkspace(2 * graph.n, arena);
  const byLevel = new Map(graphs.map((g) => [g.level, g]));
  const run = (level: IsolationLevel): boolean => {
    const g = byLevel.get(level)!;
    const components = stronglyConnected(graph, g.layering, workspace, arena);
    const cyclic = components.nontrivial.length > 0;
    out.set(level, { graph: g, components, cyclic });
    return cyclic;
  };
  const acyclic = (...levels: IsolationLevel[]): void => {
    for (const level of levels) out.set(level, { graph: byLevel.get(level)!, components: null, cyclic: false });
  };
  if (!run('strict-serializable')) {
    acyclic('serializable', 'repeatable-read', 'snapshot-isolation', 'read-committed', 'read-uncommitted');
    return out;
  }
  if (!run('serializable')) {
    acyclic('repeatable-read', 'snapshot-isolation', 'read-committed', 'read-uncommitted');
    return out;
  }
  if (!run('repeatable-read')) acyclic('read-committed', 'read-uncommitted');
  else if (!run('read-committed')) acyclic('read-uncommitted');
  else run('read-uncommitted');
  run('snapshot-isolation');
  return out;
}
