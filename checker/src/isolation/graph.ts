import type { DependencyKind } from './types.js';

/** Edge kinds as small integers; a kind mask is `1 << kind`. */
export const E_WW = 0;
export const E_WR = 1;
export const E_RW = 2;
export const E_WRP = 3;
export const E_RWP = 4;
export const E_PROCESS = 5;
export const E_REALTIME = 6;
export const EDGE_KINDS = 7;

export const KIND_NAMES: readonly DependencyKind[] = ['ww', 'wr', 'rw', 'wrp', 'rwp', 'process', 'realtime'];

export const M_WW = 1 << E_WW;
export const M_WR = (1 << E_WR) | (1 << E_WRP);
export const M_RW_ITEM = 1 << E_RW;
export const M_RW = (1 << E_RW) | (1 << E_RWP);
export const M_DATA = M_WW | M_WR | M_RW;
export const M_PROCESS = 1 << E_PROCESS;
export const M_REALTIME = 1 << E_REALTIME;

/**
 * Edges as they are inferred: four parallel growable typed arrays, no object per edge.
 * Self-edges are dropped (a transaction never depends on itself).
 */
export class EdgeBuffer {
  src = new Int32Array(1024);
  dst = new Int32Array(1024);
  kind = new Uint8Array(1024);
  key = new Int32Array(1024);
  size = 0;

  push(from: number, to: number, kind: number, key: number): void {
    if (from === to) return;
    if (this.size === this.src.length) this.grow();
    const i = this.size++;
    this.src[i] = from;
    this.dst[i] = to;
    this.kind[i] = kind;
    this.key[i] = key;
  }

  private grow(): void {
    const size = this.src.length * 2;
    const src = new Int32Array(size); src.set(this.src); this.src = src;
    const dst = new Int32Array(size); dst.set(this.dst); this.dst = dst;
    const kind = new Uint8Array(size); kind.set(this.kind); this.kind = kind;
    const key = new Int32Array(size); key.set(this.key); this.key = key;
  }
}

/** A directed multigraph in compressed sparse rows: the out-edges of v are `offsets[v] .. offsets[v+1]-1`. */
export interface Graph {
  n: number;
  offsets: Int32Array;
  dst: Int32Array;
  kind: Uint8Array;
  key: Int32Array;
}

/** Sorts the buffered edges by source (a counting sort: linear time). */
export function buildGraph(n: number, edges: EdgeBuffer): Graph {
  const m = edges.size;
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < m; i++) offsets[edges.src[i] + 1]++;
  for (let v = 0; v < n; v++) offsets[v + 1] += offsets[v];
  const cursor = offsets.slice(0, n);
  const dst = new Int32Array(m);
  const kind = new Uint8Array(m);
  const key = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const at = cursor[edges.src[i]]++;
    dst[at] = edges.dst[i];
    kind[at] = edges.kind[i];
    key[at] = edges.key[i];
  }
  return { n, offsets, dst, kind, key };
}

/** Counts edges per kind, for the stats. */
export function countKinds(graph: Graph): number[] {
  const counts = new Array<number>(EDGE_KINDS).fill(0);
  for (let i = 0; i < graph.dst.length; i++) counts[graph.kind[i]]++;
  return counts;
}
