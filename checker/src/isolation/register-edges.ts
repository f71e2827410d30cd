import { E_RW, E_WW, type EdgeBuffer } from './graph.js';
import { NO_NODE, readNode } from './register-touches.js';
import { SRC_WFR, type RegisterOrders } from './register-versions.js';
import { V_INIT, type TxnTable } from './txn-table.js';

/**
 * The ww and rw dependencies the register version orders give, as Adya defines them over a known
 * order: a version's writer precedes the writer of the next version (ww), and a reader of a
 * version precedes the writer of the next one (rw).
 *
 * For a key whose order is total, "next" is exact, so these are exactly Adya's edges. For a key
 * whose order is partial, every known fact a < b gives edges (Elle's approach): each is implied
 * by a path of Adya's edges in every order that extends the known one, so a cycle found here is
 * in every such order (violations stay sound), while the absence of one proves nothing; such
 * keys make the models that involve anti-dependencies undecided (see check-isolation.ts).
 *
 * A fact known only because a transaction read a and then wrote b gives no ww edge: that writer
 * of a also wr-precedes it, which is the same step through read-committed eyes, and a ww edge
 * would call a cycle G0 that only read committed (not read uncommitted) forbids.
 */
export class RegisterEdges {
  /** For partial keys: the successors of each node, keyed by `nodeId`. */
  private readonly successors = new Map<number, number[]>();

  constructor(private readonly table: TxnTable, private readonly orders: RegisterOrders) {
    for (const { key: k } of orders.partial) {
      const hasOtherPredecessor = new Set<number>();
      for (let e = orders.edgeStart[k]; e < orders.edgeStart[k + 1]; e++) if (orders.edgeFrom[e] !== V_INIT) hasOtherPredecessor.add(orders.edgeTo[e]);
      for (let e = orders.edgeStart[k]; e < orders.edgeStart[k + 1]; e++) {
        const a = orders.edgeFrom[e];
        const b = orders.edgeTo[e];
        // nil precedes everything: keep it only where nothing else comes first.
        if (a === V_INIT && hasOtherPredecessor.has(b)) continue;
        const id = nodeId(k, a);
        const list = this.successors.get(id);
        if (list === undefined) this.successors.set(id, [b]); else list.push(b);
      }
    }
  }

  /** ww edges between the writers of consecutive (known) versions of every register key. */
  addWriteEdges(edges: EdgeBuffer): void {
    const { table, orders } = this;
    for (let k = 0; k < table.keys.length; k++) {
      const total = orders.total[k] === 1;
      for (let e = orders.edgeStart[k]; e < orders.edgeStart[k + 1]; e++) {
        const a = orders.edgeFrom[e];
        const b = orders.edgeTo[e];
        if (a === V_INIT || orders.edgeSrc[e] === SRC_WFR) continue;
        if (total && orders.next[a] !== b) continue;
        edges.push(table.vTxn[a], table.vTxn[b], E_WW, k);
      }
    }
  }

  /** rw edges from committed transaction t, which read `value` (a vid, V_INIT or V_*) of key k. */
  addReadEdges(t: number, value: number, k: number, edges: EdgeBuffer): void {
    const { table, orders } = this;
    const a = readNode(orders.touches.live, value);
    if (a === NO_NODE) return;
    if (orders.total[k] === 1) {
      const b = a === V_INIT ? orders.firstAfterInit[k] : orders.next[a];
      if (b >= 0) edges.push(t, table.vTxn[b], E_RW, k);
      return;
    }
    for (const b of this.successors.get(nodeId(k, a)) ?? []) edges.push(t, table.vTxn[b], E_RW, k);
  }
}

/** A node's id across keys: a vid, or -(k + 1) for key k's initial version. */
function nodeId(k: number, node: number): number {
  return node === V_INIT ? -(k + 1) : node;
}
