import type { Budget } from './budget.js';
import type { CycleSpec } from './cycle-specs.js';
import { E_RW, E_RWP, EDGE_KINDS } from './graph.js';
import type { LocalGraph } from './local-graph.js';

/** State bits carried along a path (Elle's BFS path state, as four bits). */
const LAST_RW = 1;
const MANY_RW = 2;
const ADJACENT = 4;
const HAS_VARIANT = 8;
const STATES = 16;

/** Transition table: `table[state · EDGE_KINDS + kind]` is the next state, or -1. */
export function transitionTable(spec: CycleSpec): Int8Array {
  const table = new Int8Array(STATES * EDGE_KINDS).fill(-1);
  for (let s = 0; s < STATES; s++) {
    for (let k = 0; k < EDGE_KINDS; k++) {
      if (((spec.pathMask >> k) & 1) === 0) continue;
      const isRw = k === E_RW || k === E_RWP;
      let next = s;
      if (isRw) {
        if (spec.nonadjacent && (s & LAST_RW) !== 0) continue;
        if ((s & LAST_RW) !== 0) next |= ADJACENT;
        next |= LAST_RW | MANY_RW;
      } else {
        next &= ~LAST_RW;
      }
      if (k === spec.variantKind) next |= HAS_VARIANT;
      table[s * EDGE_KINDS + k] = next;
    }
  }
  return table;
}

/** Whether a path ending in `state` closes (through the anchor, an anti-dependency when the spec counts them) into a cycle of the kind. */
function accepts(spec: CycleSpec, state: number): boolean {
  if (spec.variantKind >= 0 && (state & HAS_VARIANT) === 0) return false;
  if (spec.nonadjacent) return (state & MANY_RW) !== 0 && (state & LAST_RW) === 0;
  if (spec.adjacent) return (state & MANY_RW) !== 0 && (state & (ADJACENT | LAST_RW)) !== 0;
  return true;
}

/**
 * Breadth-first search over (transaction, state) for the shortest path that closes a cycle
 * through one anchor edge. The walk may not pass through either end of the anchor; a path that
 * repeats some other transaction (with a different state) is not a simple cycle and is skipped.
 */
export class AnchoredSearch {
  private readonly seen: Int32Array;
  private readonly parent: Int32Array;
  private readonly parentEdge: Int32Array;
  private readonly queue: Int32Array;
  private readonly mark: Int32Array;
  private stamp = 0;
  private markStamp = 0;

  constructor(private readonly graph: LocalGraph) {
    const size = graph.n * STATES;
    this.seen = new Int32Array(size);
    this.parent = new Int32Array(size);
    this.parentEdge = new Int32Array(size);
    this.queue = new Int32Array(size);
    this.mark = new Int32Array(graph.n);
  }

  /**
   * The cycle as local edge indices (the anchor first), at most `maxLen` edges long and within
   * component `c` of `comp`; null when there is none; 'cut' when the budget ran out.
   */
  search(spec: CycleSpec, table: Int8Array, anchor: number, a: number, b: number, comp: Int32Array, c: number, maxLen: number, budget: Budget): number[] | null | 'cut' {
    const { offsets, dst, kind } = this.graph;
    const stamp = ++this.stamp;
    const isRw = kind[anchor] === E_RW || kind[anchor] === E_RWP;
    const start = b * STATES + (isRw ? LAST_RW : 0);
    this.seen[start] = stamp;
    this.queue[0] = start;
    let head = 0;
    let tail = 1;
    for (let depth = 1; depth < maxLen && head < tail; depth++) {
      const levelEnd = tail;
      while (head < levelEnd) {
        const x = this.queue[head++];
        const v = (x / STATES) | 0;
        const state = x - v * STATES;
        if (!budget.spend(1 + offsets[v + 1] - offsets[v])) return 'cut';
        for (let e = offsets[v]; e < offsets[v + 1]; e++) {
          const next = table[state * EDGE_KINDS + kind[e]];
          if (next < 0) continue;
          const w = dst[e];
          if (w === b || comp[w] !== c) continue;
          const y = w * STATES + next;
          if (this.seen[y] === stamp) continue;
          this.seen[y] = stamp;
          this.parent[y] = x;
          this.parentEdge[y] = e;
          if (w === a) {
            if (accepts(spec, next)) {
              const path = this.simplePath(y, start, anchor);
              if (path !== null) return path;
            }
            continue; // never walk on through the anchor's tail
          }
          this.queue[tail++] = y;
        }
      }
    }
    return null;
  }

  private simplePath(end: number, start: number, anchor: number): number[] | null {
    const stamp = ++this.markStamp;
    const edges: number[] = [];
    for (let y = end; y !== start; y = this.parent[y]) {
      const v = (y / STATES) | 0;
      if (this.mark[v] === stamp) return null;
      this.mark[v] = stamp;
      edges.push(this.parentEdge[y]);
    }
    edges.push(anchor);
    return edges.reverse();
  }
}
