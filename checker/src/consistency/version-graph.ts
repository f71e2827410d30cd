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
  /** A version is one of the siblings a read returned: no newer than the set (the replica's state) it belongs to. */
  Sibling: 8,
} as const;

export type EdgeKind = (typeof EdgeKind)[keyof typeof EdgeKind];

export function isStrict(kind: EdgeKind): boolean {
  return kind >= EdgeKind.MonotonicWrites && kind !== EdgeKind.Sibling;
}

export class VersionGraph {
  nodes: number;
  edges = 0;
  src: Int32Array<ArrayBuffer>;
  dst: Int32Array<ArrayBuffer>;
  kind: Uint8Array<ArrayBuffer>;
  /** The operation (position in the version table) that justifies the edge; -1 for none. */
  op: Int32Array<ArrayBuffer>;
  /** Out-edges as linked lists: the first edge of each node, and the next edge of each edge (-1 ends). */
  head: Int32Array<ArrayBuffer>;
  nextOut: Int32Array<ArrayBuffer>;

  /**
   * Sized up front from the expected counts: growing by doubling copies, and each large typed
   * array counts against V8's external memory, which triggers full collections of a heap that
   * holds a million operations.
   */
  constructor(public versions: number, expectedNodes = versions * 2, expectedEdges = versions * 2) {
    this.nodes = versions;
    this.head = new Int32Array(Math.max(1024, expectedNodes)).fill(-1);
    const edges = Math.max(1024, expectedEdges);
    this.src = new Int32Array(edges);
    this.dst = new Int32Array(edges);
    this.kind = new Uint8Array(edges);
    this.op = new Int32Array(edges);
    this.nextOut = new Int32Array(edges);
  }

  /** Empties the graph for reuse, keeping its arrays when they are big enough (fewer large allocations). */
  reset(versions: number, expectedNodes: number, expectedEdges: number): void {
    this.versions = versions;
    this.nodes = versions;
    this.edges = 0;
    if (this.head.length < expectedNodes) this.head = new Int32Array(expectedNodes);
    this.head.fill(-1);
    if (this.src.length < expectedEdges) {
      this.src = new Int32Array(expectedEdges);
      this.dst = new Int32Array(expectedEdges);
      this.kind = new Uint8Array(expectedEdges);
      this.op = new Int32Array(expectedEdges);
      this.nextOut = new Int32Array(expectedEdges);
    }
  }

  addNode(): number {
    if (this.nodes === this.head.length) {
      const head = new Int32Array(this.head.length * 2).fill(-1);
      head.set(this.head);
      this.head = head;
    }
    return this.nodes++;
  }

  addEdge(from: number, to: number, kind: EdgeKind, op: number): void {
    if (this.edges === this.src.length) this.grow();
    const e = this.edges++;
    this.src[e] = from;
    this.dst[e] = to;
    this.kind[e] = kind;
    this.op[e] = op;
    this.nextOut[e] = this.head[from]!;
    this.head[from] = e;
  }

  private grow(): void {
    const size = this.src.length * 2;
    const src = new Int32Array(size); src.set(this.src); this.src = src;
    const dst = new Int32Array(size); dst.set(this.dst); this.dst = dst;
    const kind = new Uint8Array(size); kind.set(this.kind); this.kind = kind;
    const op = new Int32Array(size); op.set(this.op); this.op = op;
    const nextOut = new Int32Array(size); nextOut.set(this.nextOut); this.nextOut = nextOut;
  }
}

/**
 * Strongly connected components (Tarjan, iterative); `component[u]` numbers them. Nodes that no
 * cycle can reach are peeled first (Kahn: repeatedly drop nodes with no remaining in-edge), so a
 * consistent history, whose graph is acyclic, never pays for Tarjan; `cyclic` says whether any
 * node was left.
 */
export function stronglyConnected(graph: VersionGraph): { component: Int32Array; count: number; cyclic: boolean } {
  const n = graph.nodes;
  const { dst, head, nextOut } = graph;
  const left = peel(graph);
  // Acyclic: every node is its own component; nobody reads `component` then.
  if (left === undefined) return { component: new Int32Array(0), count: n, cyclic: false };
  const component = new Int32Array(n).fill(-1);
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const stack = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const callNode = new Int32Array(n);
  const callEdge = new Int32Array(n);
  let top = 0;
  let next = 0;
  let count = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    if (left[root] === 0) {
      // Peeled: on no cycle, a component of its own.
      index[root] = next++;
      component[root] = count++;
      continue;
    }
    let depth = 0;
    callNode[0] = root;
    callEdge[0] = head[root]!;
    index[root] = low[root] = next++;
    stack[top++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const u = callNode[depth]!;
      const e = callEdge[depth]!;
      if (e !== -1) {
        callEdge[depth] = nextOut[e]!;
        const v = dst[e]!;
        if (left[v] === 0) continue;
        if (index[v] === -1) {
          index[v] = low[v] = next++;
          stack[top++] = v;
          onStack[v] = 1;
          depth++;
          callNode[depth] = v;
          callEdge[depth] = head[v]!;
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
  return { component, count, cyclic: true };
}

/** Kahn's peel: undefined when every node goes (acyclic), else 1 for the nodes left. */
function peel(graph: VersionGraph): Uint8Array | undefined {
  const n = graph.nodes;
  const { dst, head, nextOut } = graph;
  const indegree = new Int32Array(n);
  for (let e = 0; e < graph.edges; e++) indegree[dst[e]!]!++;
  const queue = new Int32Array(n);
  let tail = 0;
  for (let u = 0; u < n; u++) if (indegree[u] === 0) queue[tail++] = u;
  for (let q = 0; q < tail; q++) {
    for (let e = head[queue[q]!]!; e !== -1; e = nextOut[e]!) {
      const v = dst[e]!;
      if (--indegree[v]! === 0) queue[tail++] = v;
    }
  }
  if (tail === n) return undefined;
  const left = new Uint8Array(n);
  for (let u = 0; u < n; u++) if (indegree[u]! > 0) left[u] = 1;
  return left;
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
