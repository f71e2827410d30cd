import { EDGE_KINDS, type Graph } from './graph.js';
import type { Layering } from './scc.js';

/**
 * A growing acyclic layered graph (scc.ts's product of a graph and a layering) that answers
 * "would this edge close a cycle?" quickly: it keeps a topological order of the product nodes
 * (Pearce and Kelly's dynamic order), so a node never reaches one earlier in the order, and a
 * search for a path only walks the nodes between the two. Edges are added only where they close
 * no cycle. `work` counts the edges the searches follow.
 */
export class LayeredOrder {
  work = 0;
  private readonly n: number;
  private readonly layers: number;
  private readonly step: Int8Array;
  private readonly ord: Int32Array;
  private readonly seen: Int32Array;
  private stamp = 0;
  private readonly reverse: Graph;
  private readonly extraOut: number[][];
  private readonly extraIn: number[][];

  private constructor(private readonly base: Graph, layering: Layering, ord: Int32Array) {
    this.n = base.n;
    this.layers = layering.layers;
    this.step = layering.table;
    this.ord = ord;
    this.seen = new Int32Array(ord.length);
    this.reverse = reversed(base);
    this.extraOut = Array.from({ length: base.n }, () => []);
    this.extraIn = Array.from({ length: base.n }, () => []);
  }

  /** The order of `base` under `layering`, or undefined when that product graph has a cycle. */
  static of(base: Graph, layering: Layering): LayeredOrder | undefined {
    const n = base.n;
    const total = n * layering.layers;
    const indegree = new Int32Array(total);
    const forEachOut = (x: number, visit: (y: number) => void): void => {
      const v = x % n;
      const layer = (x - v) / n;
      for (let e = base.offsets[v]; e < base.offsets[v + 1]; e++) {
        const next = layering.table[layer * EDGE_KINDS + base.kind[e]];
        if (next >= 0) visit(base.dst[e] + next * n);
      }
    };
    for (let x = 0; x < total; x++) forEachOut(x, (y) => { indegree[y]++; });
    const queue = new Int32Array(total);
    let head = 0;
    let tail = 0;
    for (let x = 0; x < total; x++) if (indegree[x] === 0) queue[tail++] = x;
    const ord = new Int32Array(total);
    while (head < tail) {
      const x = queue[head];
      ord[x] = head++;
      forEachOut(x, (y) => { if (--indegree[y] === 0) queue[tail++] = y; });
    }
    return tail === total ? new LayeredOrder(base, layering, ord) : undefined;
  }

  /** Whether adding an edge u → v of this kind (transactions) would close a cycle. */
  closes(u: number, v: number, kind: number): boolean {
    for (let l = 0; l < this.layers; l++) {
      const next = this.step[l * EDGE_KINDS + kind];
      if (next >= 0 && this.reaches(v + next * this.n, u + l * this.n)) return true;
    }
    return false;
  }

  /** Adds an edge u → v of this kind; it must close no cycle (`closes` is false). */
  add(u: number, v: number, kind: number): void {
    const code = v * EDGE_KINDS + kind;
    this.extraOut[u].push(code);
    this.extraIn[v].push(u * EDGE_KINDS + kind);
    for (let l = 0; l < this.layers; l++) {
      const next = this.step[l * EDGE_KINDS + kind];
      if (next >= 0) this.reorder(u + l * this.n, v + next * this.n);
    }
  }

  private reaches(from: number, target: number): boolean {
    const limit = this.ord[target];
    if (this.ord[from] > limit) return false;
    this.stamp++;
    const stack = [from];
    this.seen[from] = this.stamp;
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (x === target) return true;
      this.forEachOut(x, (y) => {
        if (this.seen[y] !== this.stamp && this.ord[y] <= limit) { this.seen[y] = this.stamp; stack.push(y); }
      });
    }
    return false;
  }

  /** Restores the order after an edge x → y (product nodes) that closed no cycle. */
  private reorder(x: number, y: number): void {
    const lower = this.ord[y];
    const upper = this.ord[x];
    if (lower > upper) return;
    this.stamp++;
    const forward = this.collect(y, (w) => this.ord[w] < upper, true);
    const backward = this.collect(x, (w) => this.ord[w] > lower, false);
    const byOrd = (a: number, b: number): number => this.ord[a] - this.ord[b];
    forward.sort(byOrd);
    backward.sort(byOrd);
    const moved = [...backward, ...forward];
    const slots = moved.map((w) => this.ord[w]).sort((a, b) => a - b);
    moved.forEach((w, i) => { this.ord[w] = slots[i]; });
  }

  private collect(start: number, keep: (w: number) => boolean, out: boolean): number[] {
    const found = [start];
    this.seen[start] = this.stamp;
    const stack = [start];
    while (stack.length > 0) {
      const x = stack.pop()!;
      const visit = (w: number): void => {
        if (this.seen[w] === this.stamp || !keep(w)) return;
        this.seen[w] = this.stamp;
        found.push(w);
        stack.push(w);
      };
      if (out) this.forEachOut(x, visit); else this.forEachIn(x, visit);
    }
    return found;
  }

  private forEachOut(x: number, visit: (y: number) => void): void {
    const v = x % this.n;
    const layer = (x - v) / this.n;
    const { base, step, n } = this;
    for (let e = base.offsets[v]; e < base.offsets[v + 1]; e++) {
      this.work++;
      const next = step[layer * EDGE_KINDS + base.kind[e]];
      if (next >= 0) visit(base.dst[e] + next * n);
    }
    for (const code of this.extraOut[v]) {
      this.work++;
      const next = step[layer * EDGE_KINDS + (code % EDGE_KINDS)];
      if (next >= 0) visit(Math.floor(code / EDGE_KINDS) + next * n);
    }
  }

  private forEachIn(x: number, visit: (y: number) => void): void {
    const v = x % this.n;
    const layer = (x - v) / this.n;
    const { reverse, step, n, layers } = this;
    const from = (src: number, kind: number): void => {
      this.work++;
      for (let l = 0; l < layers; l++) if (step[l * EDGE_KINDS + kind] === layer) visit(src + l * n);
    };
    for (let e = reverse.offsets[v]; e < reverse.offsets[v + 1]; e++) from(reverse.dst[e], reverse.kind[e]);
    for (const code of this.extraIn[v]) from(Math.floor(code / EDGE_KINDS), code % EDGE_KINDS);
  }
}

/** The graph with every edge turned around (`dst` holds sources). */
function reversed(g: Graph): Graph {
  const m = g.dst.length;
  const offsets = new Int32Array(g.n + 1);
  for (let i = 0; i < m; i++) offsets[g.dst[i] + 1]++;
  for (let v = 0; v < g.n; v++) offsets[v + 1] += offsets[v];
  const cursor = offsets.slice(0, g.n);
  const dst = new Int32Array(m);
  const kind = new Uint8Array(m);
  const key = new Int32Array(m);
  for (let v = 0; v < g.n; v++) {
    for (let e = g.offsets[v]; e < g.offsets[v + 1]; e++) {
      const at = cursor[g.dst[e]]++;
      dst[at] = v;
      kind[at] = g.kind[e];
      key[at] = g.key[e];
    }
  }
  return { n: g.n, offsets, dst, kind, key };
}
