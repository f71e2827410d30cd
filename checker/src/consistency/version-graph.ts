/**
 * The graph of what a history says about the version order of each key: nodes are versions
 * (`0..versions-1`) and frontier nodes (a session's "everything I have read / written of this key
 * so far", standing for the newest of its members); an edge u → v says u ≤ v, strictly (u < v)
 * for the strict kinds. The order exists iff no strongly connected component holds two versions
 * or a strict edge (see `contradictions`). Flat typed arrays: a million operations cost a few
 * allocations.
 */

/** Why an edge exists. Numbers, stored in a Uint8Array. */
export const EdgeKind = {
  /** A version enters a frontier (the op that read or wrote it completed). */
  Member: 0,
  /** A frontier grows: the old one is contained in the new one. */
  Advance: 1,
  MonotonicReads: 2,
  ReadYourWrites: 3,
  MonotonicWrites: 4,
  WritesFollowReads: 5,
  /** The initial value precedes every write. */
  Initial: 6,
  /** A cas replaced its expected version with its new one. */
  Cas: 7,
} as const;

export type EdgeKind = (typeof EdgeKind)[keyof typeof EdgeKind];

export function isStrict(kind: EdgeKind): boolean {
  return kind >= EdgeKind.MonotonicWrites;
}

export class VersionGraph {
  nodes: number;
  edges = 0;
  src = new Int32Array(1024);
  dst = new Int32Array(1024);
  kind = new Uint8Array(1024);
  /** The operation (position in the version table) that justifies the edge; -1 for none. */
  op = new Int32Array(1024);
  private offsets: Int32Array | undefined;
  private adjacency: Int32Array | undefined;

  constructor(readonly versions: number) {
    this.nodes = versions;
  }

  addNode(): number {
    return this.nodes++;
  }

  addEdge(from: number, to: number, kind: EdgeKind, op: number): void {
    if (this.edges === this.src.length) this.grow();
    const e = this.edges++;
    this.src[e] = from;
    this.dst[e] = to;
    this.kind[e] = kind;
    this.op[e] = op;
  }

  private grow(): void {
    const size = this.src.length * 2;
    const src = new Int32Array(size); src.set(this.src); this.src = src;
    const dst = new Int32Array(size); dst.set(this.dst); this.dst = dst;
    const kind = new Uint8Array(size); kind.set(this.kind); this.kind = kind;
    const op = new Int32Array(size); op.set(this.op); this.op = op;
  }

  /** Out-edges as CSR: edge ids of node u are `adjacency[offsets[u] .. offsets[u+1])`. */
  outEdges(): { offsets: Int32Array; adjacency: Int32Array } {
    if (this.offsets === undefined || this.adjacency === undefined) {
      const offsets = new Int32Array(this.nodes + 1);
      for (let e = 0; e < this.edges; e++) offsets[this.src[e]! + 1]!++;
      for (let u = 0; u < this.nodes; u++) offsets[u + 1]! += offsets[u]!;
      const fill = offsets.slice(0, this.nodes);
      const adjacency = new Int32Array(this.edges);
      for (let e = 0; e < this.edges; e++) adjacency[fill[this.src[e]!]!++] = e;
      this.offsets = offsets;
      this.adjacency = adjacency;
    }
    return { offsets: this.offsets, adjacency: this.adjacency };
  }
}

/** Strongly connected components (Tarjan, iterative); `component[u]` numbers them. */
export function stronglyConnected(graph: VersionGraph): { component: Int32Array; count: number } {
  const n = graph.nodes;
  const { offsets, adjacency } = graph.outEdges();
  const dst = graph.dst;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const component = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const callNode = new Int32Array(n);
  const callEdge = new Int32Array(n);
  let top = 0;
  let next = 0;
  let count = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    let depth = 0;
    callNode[0] = root;
    callEdge[0] = offsets[root]!;
    index[root] = low[root] = next++;
    stack[top++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const u = callNode[depth]!;
      const at = callEdge[depth]!;
      if (at < offsets[u + 1]!) {
        callEdge[depth] = at + 1;
        const v = dst[adjacency[at]!]!;
        if (index[v] === -1) {
          index[v] = low[v] = next++;
          stack[top++] = v;
          onStack[v] = 1;
          depth++;
          callNode[depth] = v;
          callEdge[depth] = offsets[v]!;
        } else if (onStack[v] === 1 && index[v]! < low[u]!) {
          low[u] = index[v]!;
        }
        continue;
      }
      if (low[u] === index[u]) {
        let w: number;
        do {
          w = stack[--top]!;
          onStack[w] = 0;
          component[w] = count;
        } while (w !== u);
        count++;
      }
      depth--;
      if (depth >= 0) {
        const parent = callNode[depth]!;
        if (low[u]! < low[parent]!) low[parent] = low[u]!;
      }
    }
  }
  return { component, count };
}

/**
 * Which components are contradictions: two distinct versions that must each be ≤ the other, or
 * a strict edge inside (a version that must precede itself). A frontier node alone is never one.
 */
export function contradictions(graph: VersionGraph, component: Int32Array, count: number, isDup: Uint8Array): { contradictory: Uint8Array; ambiguous: Uint8Array } {
  const firstVersion = new Int32Array(count).fill(-1);
  const contradictory = new Uint8Array(count);
  const ambiguous = new Uint8Array(count);
  for (let v = 0; v < graph.versions; v++) {
    const c = component[v]!;
    if (firstVersion[c] === -1) firstVersion[c] = v;
    else contradictory[c] = 1;
    if (isDup[v] === 1) ambiguous[c] = 1;
  }
  for (let e = 0; e < graph.edges; e++) {
    if (!isStrict(graph.kind[e] as EdgeKind)) continue;
    const c = component[graph.src[e]!]!;
    if (c === component[graph.dst[e]!]) contradictory[c] = 1;
  }
  return { contradictory, ambiguous };
}
