import type { Arena } from './arena.js';
import { EDGE_KINDS, type Graph } from './graph.js';

/**
 * Which edges a search may take, as a layered product graph: node (v, layer) is `v + layer·n`;
 * an edge of kind k out of v in layer l leads to layer `table[l·EDGE_KINDS + k]`, or is not
 * taken when that is -1. One layer with a kind mask is the plain subgraph; more layers carry a
 * little state along paths (snapshot isolation's "no two anti-dependencies in a row").
 */
export interface Layering {
  layers: number;
  table: Int8Array;
}

/** The subgraph of the kinds in `mask`. */
export function maskLayering(mask: number): Layering {
  const table = new Int8Array(EDGE_KINDS);
  for (let k = 0; k < EDGE_KINDS; k++) table[k] = (mask >> k) & 1 ? 0 : -1;
  return { layers: 1, table };
}

/**
 * Layer 1 means "the last edge was an anti-dependency": `dataMask` edges lead to layer 0,
 * `rwMask` edges only from layer 0 to layer 1. Its cycles are exactly the closed walks with no
 * two anti-dependencies adjacent (cyclically), which is what snapshot isolation forbids.
 */
export function nonAdjacentLayering(dataMask: number, rwMask: number): Layering {
  const table = new Int8Array(2 * EDGE_KINDS).fill(-1);
  for (let k = 0; k < EDGE_KINDS; k++) {
    if ((dataMask >> k) & 1) { table[k] = 0; table[EDGE_KINDS + k] = 0; }
    if ((rwMask >> k) & 1) table[k] = 1;
  }
  return { layers: 2, table };
}

export interface Components {
  /** Component id of each product node. */
  comp: Int32Array;
  /** Product nodes of each component with two or more of them (a cycle lives in one). */
  nontrivial: Int32Array[];
}

/** Tarjan's working arrays, reused from one run to the next over the same graph. */
export class SccWorkspace {
  /** Bytes per product node. */
  static readonly bytesPer = 5 * 4 + 1;
  readonly index: Int32Array;
  readonly low: Int32Array;
  readonly onStack: Uint8Array;
  readonly stack: Int32Array;
  readonly callNode: Int32Array;
  readonly callEdge: Int32Array;

  constructor(readonly capacity: number, arena?: Arena) {
    const int32 = (): Int32Array => arena?.int32(capacity) ?? new Int32Array(capacity);
    this.index = int32();
    this.low = int32();
    this.stack = int32();
    this.callNode = int32();
    this.callEdge = int32();
    this.onStack = arena?.uint8(capacity) ?? new Uint8Array(capacity);
  }
}

/**
 * Tarjan's strongly connected components, iterative (no recursion: components can hold a
 * million transactions), over the layered product of `graph`.
 */
export function stronglyConnected(graph: Graph, layering: Layering, workspace?: SccWorkspace, arena?: Arena): Components {
  const { n, offsets, dst, kind } = graph;
  const { layers, table } = layering;
  const total = n * layers;
  const space = workspace !== undefined && workspace.capacity >= total ? workspace : new SccWorkspace(total);
  const { index, low, onStack, stack, callNode, callEdge } = space;
  index.fill(-1, 0, total);
  const comp = arena?.int32(total, -1) ?? new Int32Array(total).fill(-1);
  const nontrivial: Int32Array[] = [];
  let sp = 0;
  let counter = 0;
  let comps = 0;
  for (let root = 0; root < total; root++) {
    if (index[root] !== -1) continue;
    let cp = 0;
    index[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    callNode[0] = root;
    callEdge[0] = offsets[root % n];
    cp = 1;
    while (cp > 0) {
      const x = callNode[cp - 1];
      const layer = (x / n) | 0;
      const v = x - layer * n;
      const end = offsets[v + 1];
      const row = layer * EDGE_KINDS;
      let e = callEdge[cp - 1];
      let descended = false;
      while (e < end) {
        const next = table[row + kind[e]];
        if (next < 0) { e++; continue; }
        const y = dst[e] + next * n;
        e++;
        if (index[y] === -1) {
          callEdge[cp - 1] = e;
          index[y] = low[y] = counter++;
          stack[sp++] = y;
          onStack[y] = 1;
          callNode[cp] = y;
          callEdge[cp] = offsets[dst[e - 1]];
          cp++;
          descended = true;
          break;
        }
        if (onStack[y] === 1 && index[y] < low[x]) low[x] = index[y];
      }
      if (descended) continue;
      if (low[x] === index[x]) {
        let size = 0;
        let y: number;
        do {
          y = stack[--sp];
          onStack[y] = 0;
          comp[y] = comps;
          size++;
        } while (y !== x);
        if (size > 1) nontrivial.push(stack.slice(sp, sp + size));
        comps++;
      }
      cp--;
      if (cp > 0) {
        const parent = callNode[cp - 1];
        if (low[x] < low[parent]) low[parent] = low[x];
      }
    }
  }
  return { comp, nontrivial };
}
