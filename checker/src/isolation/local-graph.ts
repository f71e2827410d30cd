import type { Graph } from './graph.js';

/** A component's subgraph with its own dense ids 0..m-1; `members[local]` is the global id. */
export interface LocalGraph extends Graph {
  members: Int32Array;
}

/**
 * Copies the edges among `members` into a small graph, dropping repeated edges of the same
 * kind between the same pair (several keys can give the same dependency; one is enough to walk,
 * and the first key is kept to explain it).
 */
export function localGraph(graph: Graph, members: Int32Array, scratch: Int32Array): LocalGraph {
  const m = members.length;
  for (let i = 0; i < m; i++) scratch[members[i]] = i;
  const offsets = new Int32Array(m + 1);
  const dst: number[] = [];
  const kind: number[] = [];
  const key: number[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < m; i++) {
    const v = members[i];
    seen.clear();
    for (let e = graph.offsets[v]; e < graph.offsets[v + 1]; e++) {
      const j = scratch[graph.dst[e]];
      if (j < 0) continue;
      const tag = j * 8 + graph.kind[e];
      if (seen.has(tag)) continue;
      seen.add(tag);
      dst.push(j);
      kind.push(graph.kind[e]);
      key.push(graph.key[e]);
    }
    offsets[i + 1] = dst.length;
  }
  for (let i = 0; i < m; i++) scratch[members[i]] = -1;
  return { n: m, members, offsets, dst: Int32Array.from(dst), kind: Uint8Array.from(kind), key: Int32Array.from(key) };
}

/** The source of each edge of a graph (CSR keeps only destinations). */
export function edgeSources(graph: Graph): Int32Array {
  const src = new Int32Array(graph.dst.length);
  for (let v = 0; v < graph.n; v++) for (let e = graph.offsets[v]; e < graph.offsets[v + 1]; e++) src[e] = v;
  return src;
}
