import type { Arena } from './arena.js';
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
  src: Int32Array;
  dst: Int32Array;
  kind: Uint8Array;
  key: Int32Array;
  size = 0;

  /** `capacity`: an estimate; big buffers are allocated once, since each allocation can cost a full GC. */
  constructor(capacity = 1024, arena?: Arena) {
    this.src = arena?.int32(capacity) ?? new Int32Array(capacity);
    this.dst = arena?.int32(capacity) ?? new Int32Array(capacity);
    this.kind = arena?.uint8(capacity) ?? new Uint8Array(capacity);
    this.key = arena?.int32(capacity) ?? new Int32Array(capacity);
  }

  /** A capacity that holds the edges of typical histories: about one per micro-op, plus real-time ones. */
  static capacityFor(transactions: number, mops: number): number {
    return 2 * mops + 8 * transactions + 1024;
  }

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
    const size = Math.max(1024, Math.ceil(this.src.length * 1.5));
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

/**
 * Turns the buffer into compressed sparse rows: a counting sort by source (linear; one pass
 * reads the buffer in order and scatters each edge to its row).
 */
export function buildGraph(n: number, edges: EdgeBuffer, arena?: Arena): Graph {
  const m = edges.size;
  const { src } = edges;
  const offsets = arena?.int32(n + 1) ?? new Int32Array(n + 1);
  for (let i = 0; i < m; i++) offsets[src[i] + 1]++;
  for (let v = 0; v < n; v++) offsets[v + 1] += offsets[v];
  const cursor = arena?.int32(n) ?? new Int32Array(n);
  cursor.set(offsets.subarray(0, n));
  const dst = arena?.int32(m) ?? new Int32Array(m);
  const kind = arena?.uint8(m) ?? new Uint8Array(m);
  const key = arena?.int32(m) ?? new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const at = cursor[src[i]]++;
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
