import { valueEquals } from '../models/values.js';
import { MOP_READ } from './micro-ops.js';
import { KEY_LIST, KEY_REGISTER, ST_FAIL, ST_OK, V_UNKNOWN, type TxnTable } from './txn-table.js';

/** `finalVid` of a key whose final reads disagree, or that has none. */
export const FINAL_NONE = -4;

/**
 * What the reads tell about each key's versions.
 *
 * List keys: every committed read is a state of the list, so the longest read orders every
 * append it shows, and every other read should be a prefix of it (Elle's prefix order). Appends
 * no read shows come after all that the longest read shows, in an unknown order among themselves.
 *
 * Register keys: the initial (nil) version precedes every written one; when the final reads of a
 * key (`phase: "final"`) agree, their value is the last version.
 */
export interface VersionOrders {
  /** Per key: the global micro-op index of its longest committed read, or -1. */
  longestMop: Int32Array;
  /** Per key, `orderVids[orderStart[k] .. orderStart[k+1]-1]` is the longest read as vids (V_UNKNOWN for a value nobody wrote). */
  orderStart: Int32Array;
  orderVids: Int32Array;
  /** Per vid: its first position in its key's order, or -1 when no read shows it. */
  vPos: Int32Array;
  /** Per vid: some committed read showed it. */
  vObserved: Uint8Array;
  /** Per micro-op: 1 when a list read is a prefix of its key's longest read. */
  compatible: Uint8Array;
  /** List reads that are no prefix of their key's longest read. */
  incompatible: number[];
  /** Longest reads in which some element appears twice. */
  duplicates: number[];
  /** Per register key: the vid its final reads agree on (V_INIT for nil), or FINAL_NONE. */
  finalVid: Int32Array;
  /** Every vid grouped by key: `keyVids[keyVidStart[k] .. keyVidStart[k+1]-1]`, in write order. */
  keyVidStart: Int32Array;
  keyVids: Int32Array;
}

export function recoverVersionOrders(table: TxnTable): VersionOrders {
  const keyCount = table.keys.length;
  const longestMop = new Int32Array(keyCount).fill(-1);
  const finalVid = new Int32Array(keyCount).fill(FINAL_NONE);
  const finalSeen = new Uint8Array(keyCount);
  for (let t = 0; t < table.n; t++) {
    if (table.status[t] !== ST_OK) continue;
    const final = table.final[t] === 1;
    for (let g = table.mopStart[t]; g < table.mopStart[t + 1]; g++) {
      if (table.mopKind[g] !== MOP_READ) continue;
      const k = table.mopKey[g];
      if (table.keyKind[k] === KEY_LIST) {
        const best = longestMop[k];
        if (best < 0 || table.mopLen[g] > table.mopLen[best]) longestMop[k] = g;
      } else if (final && table.keyKind[k] === KEY_REGISTER && table.mopValue[g] !== V_UNKNOWN) {
        // Final reads that disagree leave the last version unknown.
        if (finalSeen[k] === 0) { finalSeen[k] = 1; finalVid[k] = table.mopValue[g]; } else if (finalVid[k] !== table.mopValue[g]) finalVid[k] = FINAL_NONE;
      }
    }
  }
  const orderStart = new Int32Array(keyCount + 1);
  for (let k = 0; k < keyCount; k++) orderStart[k + 1] = orderStart[k] + (longestMop[k] >= 0 ? table.mopLen[longestMop[k]] : 0);
  const orderVids = table.arena.int32(orderStart[keyCount]);
  const vPos = table.arena.int32(table.vCount, -1);
  const vObserved = table.arena.uint8(table.vCount);
  const duplicates: number[] = [];
  const longest: (readonly unknown[])[] = Array.from({ length: keyCount }, () => EMPTY);
  for (let k = 0; k < keyCount; k++) {
    const g = longestMop[k];
    if (g < 0) continue;
    const list = longest[k] = rawRead(table, g);
    let duplicate = false;
    for (let i = 0; i < list.length; i++) {
      const found = table.values.get(k, list[i]);
      const vid = found >= 0 ? found : V_UNKNOWN;
      orderVids[orderStart[k] + i] = vid;
      if (vid < 0) continue;
      vObserved[vid] = 1;
      if (vPos[vid] < 0) vPos[vid] = i; else duplicate = true;
    }
    if (duplicate) duplicates.push(g);
  }
  const compatible = table.arena.uint8(table.mopKind.length);
  const incompatible: number[] = [];
  for (let t = 0; t < table.n; t++) {
    if (table.status[t] !== ST_OK) continue;
    for (let g = table.mopStart[t]; g < table.mopStart[t + 1]; g++) {
      if (table.mopKind[g] !== MOP_READ) continue;
      const k = table.mopKey[g];
      if (table.keyKind[k] !== KEY_LIST) {
        const vid = table.mopValue[g];
        if (vid >= 0) vObserved[vid] = 1;
        continue;
      }
      const read = rawRead(table, g, t);
      if (g === longestMop[k] || isPrefix(read, longest[k])) {
        compatible[g] = 1;
        continue;
      }
      incompatible.push(g);
      for (const e of read) {
        const vid = table.values.get(k, e);
        if (vid >= 0) vObserved[vid] = 1;
      }
    }
  }
  const { keyVidStart, keyVids } = groupVidsByKey(table);
  return { longestMop, orderStart, orderVids, vPos, vObserved, compatible, incompatible, duplicates, finalVid, keyVidStart, keyVids };
}

/** The result of a read micro-op as recorded (a list read of nil is the empty list). */
export function rawRead(table: TxnTable, g: number, t = txnOfMop(table, g)): readonly unknown[] {
  const v = (table.mops[t][g - table.mopStart[t]] as unknown[])[2];
  return Array.isArray(v) ? v : EMPTY;
}

const EMPTY: readonly unknown[] = [];

/** The transaction a global micro-op index belongs to (binary search over `mopStart`). */
export function txnOfMop(table: TxnTable, g: number): number {
  let lo = 0;
  let hi = table.n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (table.mopStart[mid] <= g) lo = mid; else hi = mid - 1;
  }
  return lo;
}

function isPrefix(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length > b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !valueEquals(a[i], b[i])) return false;
  return true;
}

function groupVidsByKey(table: TxnTable): { keyVidStart: Int32Array; keyVids: Int32Array } {
  const keyCount = table.keys.length;
  const keyVidStart = new Int32Array(keyCount + 1);
  for (let v = 0; v < table.vCount; v++) keyVidStart[table.vKey[v] + 1]++;
  for (let k = 0; k < keyCount; k++) keyVidStart[k + 1] += keyVidStart[k];
  const cursor = keyVidStart.slice(0, keyCount);
  const keyVids = table.arena.int32(table.vCount);
  for (let v = 0; v < table.vCount; v++) keyVids[cursor[table.vKey[v]]++] = v;
  return { keyVidStart, keyVids };
}

/** The transaction that wrote the value at position p of key k's order, unless it failed (-1). */
export function committedWriterAt(table: TxnTable, orders: VersionOrders, k: number, p: number): number {
  const vid = orders.orderVids[orders.orderStart[k] + p];
  if (vid < 0) return -1;
  const w = table.vTxn[vid];
  return table.status[w] === ST_FAIL ? -1 : w;
}
