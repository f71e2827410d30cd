import type { Graph } from './graph.js';
import { maskLayering, stronglyConnected } from './scc.js';

/**
 * Answers "does `from` reach `to` over edges in `mask`?" for many pairs: the transitive closure
 * of the condensation, one bitset row per component. Tarjan numbers a component only after every
 * component it reaches, so rows can be filled in increasing id order. Returns null when there
 * are more than `componentsMax` components (the rows would be too large).
 */
export function reachability(graph: Graph, mask: number, componentsMax = 8192): ((from: number, to: number) => boolean) | null {
  const { comp } = stronglyConnected(graph, maskLayering(mask));
  let count = 0;
  for (let v = 0; v < graph.n; v++) if (comp[v] + 1 > count) count = comp[v] + 1;
  if (count > componentsMax) return null;
  const words = (count + 31) >>> 5;
  const reach = new Uint32Array(count * words);
  const byComp = Array.from({ length: graph.n }, (_, v) => v).sort((x, y) => comp[x] - comp[y]);
  for (const v of byComp) {
    const c = comp[v];
    for (let e = graph.offsets[v]; e < graph.offsets[v + 1]; e++) {
      if (((mask >> graph.kind[e]) & 1) === 0) continue;
      const d = comp[graph.dst[e]];
      if (d === c) continue;
      reach[c * words + (d >>> 5)] |= 1 << (d & 31);
      for (let w = 0; w < words; w++) reach[c * words + w] |= reach[d * words + w];
    }
  }
  return (from, to) => {
    const a = comp[from];
    const b = comp[to];
    return a === b || (reach[a * words + (b >>> 5)] & (1 << (b & 31))) !== 0;
  };
}
