import type { CycleStep } from './cycle-search.js';
import { E_RW, E_RWP, EDGE_KINDS, type Graph } from './graph.js';
import type { Components, Layering } from './scc.js';

/**
 * A cycle that proves a level's dependency graph cyclic, found without any budget: the shortest
 * closed walk back to one node of the smallest strongly connected part of the level's (layered)
 * graph, by one breadth-first search, then cut down to a simple cycle that the level forbids.
 * Used when the typed searches ran out of budget before naming a cycle for a level that the
 * exact component test shows is violated, so every violated level has a witness.
 */
export function levelWitness(graph: Graph, layering: Layering, components: Components, nonAdjacent: boolean): CycleStep[] | null {
  if (components.nontrivial.length === 0) return null;
  const smallest = components.nontrivial.reduce((a, b) => (b.length < a.length ? b : a));
  const walk = closedWalk(graph, layering, components.comp, smallest[0]);
  if (walk === null) return null;
  return simpleCycle(walk, nonAdjacent ? isSnapshotViolation : () => true);
}

function closedWalk(graph: Graph, layering: Layering, comp: Int32Array, start: number): CycleStep[] | null {
  const { n, offsets, dst, kind, key } = graph;
  const total = n * layering.layers;
  const c = comp[start];
  const parent = new Int32Array(total).fill(-1);
  const parentEdge = new Int32Array(total);
  const queue = new Int32Array(total);
  let head = 0;
  let tail = 0;
  queue[tail++] = start;
  while (head < tail) {
    const x = queue[head++];
    const layer = (x / n) | 0;
    const v = x - layer * n;
    for (let e = offsets[v]; e < offsets[v + 1]; e++) {
      const next = layering.table[layer * EDGE_KINDS + kind[e]];
      if (next < 0) continue;
      const y = dst[e] + next * n;
      if (comp[y] !== c) continue;
      if (y === start || parent[y] === -1) {
        parentEdge[y] = e;
        if (y === start) {
          const steps: CycleStep[] = [];
          let at = x;
          steps.push({ from: v, to: dst[e], kind: kind[e], key: key[e] });
          while (at !== start) {
            const p = parent[at];
            const pe = parentEdge[at];
            steps.push({ from: p % n, to: at % n, kind: kind[pe], key: key[pe] });
            at = p;
          }
          return steps.reverse();
        }
        parent[y] = x;
        queue[tail++] = y;
      }
    }
  }
  return null;
}

function isSnapshotViolation(steps: readonly CycleStep[]): boolean {
  for (let i = 0; i < steps.length; i++) {
    const previous = steps[(i + steps.length - 1) % steps.length];
    if (isRw(steps[i].kind) && isRw(previous.kind)) return false;
  }
  return true;
}

function isRw(kind: number): boolean {
  return kind === E_RW || kind === E_RWP;
}

/**
 * Splits a closed walk at a repeated transaction into two closed walks until one is simple; at
 * every split at least one part still has the property (for "no two anti-dependencies in a
 * row": the part that keeps the original neighbours at the split point), so this ends in one.
 */
function simpleCycle(walk: CycleStep[], valid: (steps: readonly CycleStep[]) => boolean): CycleStep[] | null {
  if (!valid(walk)) return null;
  const firstAt = new Map<number, number>();
  for (let i = 0; i < walk.length; i++) {
    const v = walk[i].from;
    const j = firstAt.get(v);
    if (j === undefined) { firstAt.set(v, i); continue; }
    const inner = walk.slice(j, i);
    const outer = [...walk.slice(0, j), ...walk.slice(i)];
    return simpleCycle(inner, valid) ?? simpleCycle(outer, valid);
  }
  return walk;
}
