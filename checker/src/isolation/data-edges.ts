import { E_RW, E_WR, E_WW, type EdgeBuffer } from './graph.js';
import { MOP_APPEND, MOP_DELETE, MOP_READ, MOP_WRITE } from './micro-ops.js';
import type { RegisterEdges } from './register-edges.js';
import { KEY_LIST, ST_FAIL, ST_OK, type TxnTable } from './txn-table.js';
import { committedWriterAt, type VersionOrders } from './version-orders.js';

/**
 * Infers the item dependencies (Adya's ww, wr, rw) between transactions that may have taken
 * effect (`ok` and `info`; a failed transaction is in no edge).
 *
 * Only external reads count: a read after the transaction's own write of that key shows its own
 * version, which says nothing about other transactions (internal checks look at those).
 * List keys follow the prefix order; appends no read shows follow the last element any read
 * shows, unordered among themselves (so they get ww from that element's writer and rw from its
 * readers, as in Elle). Register keys follow their inferred version orders (register-edges.ts).
 */
export function addDataEdges(table: TxnTable, orders: VersionOrders, registers: RegisterEdges, edges: EdgeBuffer): void {
  const keyCount = table.keys.length;
  const unobserved = unobservedWriters(table, orders);
  for (let k = 0; k < keyCount; k++) if (table.keyKind[k] === KEY_LIST) addListWriteEdges(table, orders, unobserved, k, edges);
  registers.addWriteEdges(edges);
  const writtenBy = new Int32Array(keyCount).fill(-1);
  for (let t = 0; t < table.n; t++) {
    if (table.status[t] !== ST_OK) continue;
    for (let g = table.mopStart[t]; g < table.mopStart[t + 1]; g++) {
      const kind = table.mopKind[g];
      const k = table.mopKey[g];
      if (kind === MOP_WRITE || kind === MOP_APPEND || kind === MOP_DELETE) { writtenBy[k] = t; continue; }
      if (kind !== MOP_READ || writtenBy[k] === t) continue;
      const vid = table.mopValue[g];
      if (vid >= 0 && table.status[table.vTxn[vid]] !== ST_FAIL) edges.push(table.vTxn[vid], t, E_WR, k);
      if (table.keyKind[k] === KEY_LIST) addListReadEdge(table, orders, unobserved, t, g, k, edges);
      else registers.addReadEdges(t, vid, k, edges);
    }
  }
}

/**
 * Per list key, the writers (transaction ids) of the appends no read shows: they follow every
 * append some read shows, in an unknown order among themselves. An unobserved `info` append is
 * a sink in the graph (nothing follows it), so it is safe to include.
 */
interface Unplaced { start: Int32Array; txns: Int32Array }

function unobservedWriters(table: TxnTable, orders: VersionOrders): Unplaced {
  const keyCount = table.keys.length;
  const start = new Int32Array(keyCount + 1);
  const picked: number[] = [];
  for (let k = 0; k < keyCount; k++) {
    start[k] = picked.length;
    if (table.keyKind[k] !== KEY_LIST) continue;
    for (let i = orders.keyVidStart[k]; i < orders.keyVidStart[k + 1]; i++) {
      const vid = orders.keyVids[i];
      const w = table.vTxn[vid];
      if (table.status[w] === ST_FAIL || table.vIntermediate[vid] === 1) continue;
      if (orders.vPos[vid] < 0) picked.push(w);
    }
  }
  start[keyCount] = picked.length;
  return { start, txns: Int32Array.from(picked) };
}

function addListWriteEdges(table: TxnTable, orders: VersionOrders, unplaced: Unplaced, k: number, edges: EdgeBuffer): void {
  const length = orders.orderStart[k + 1] - orders.orderStart[k];
  let previous = -1;
  for (let p = 0; p < length; p++) {
    const vid = orders.orderVids[orders.orderStart[k] + p];
    if (vid >= 0 && orders.vPos[vid] !== p) continue; // a duplicate: reported, not ordered twice
    const w = committedWriterAt(table, orders, k, p);
    if (previous >= 0 && w >= 0) edges.push(previous, w, E_WW, k);
    previous = w;
  }
  if (previous < 0) return;
  for (let i = unplaced.start[k]; i < unplaced.start[k + 1]; i++) edges.push(previous, unplaced.txns[i], E_WW, k);
}

function addListReadEdge(table: TxnTable, orders: VersionOrders, unplaced: Unplaced, t: number, g: number, k: number, edges: EdgeBuffer): void {
  if (orders.compatible[g] !== 1) return; // its version is on no known order
  const next = table.mopLen[g];
  const length = orders.orderStart[k + 1] - orders.orderStart[k];
  if (next < length) {
    const w = committedWriterAt(table, orders, k, next);
    if (w >= 0) edges.push(t, w, E_RW, k);
    return;
  }
  for (let i = unplaced.start[k]; i < unplaced.start[k + 1]; i++) edges.push(t, unplaced.txns[i], E_RW, k);
}
