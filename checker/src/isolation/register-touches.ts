import { MOP_READ, MOP_WRITE, valueKey } from './micro-ops.js';
import { KEY_REGISTER, ST_FAIL, ST_INFO, ST_OK, V_INIT, type TxnTable } from './txn-table.js';
import type { VersionOrders } from './version-orders.js';

/** A register version node within its key: a value id, or V_INIT for the initial (nil) version. */
export const NO_NODE = -5;

/**
 * What each transaction did to each register key, as the version-order inference needs it:
 * per (transaction, key) "touch", the first version it interacted with (its first read when it
 * read before writing, else its write) and the last (its last write, else its last read).
 * Only versions that exist count: external writes (a transaction's last write of the key) of
 * committed transactions, and of indeterminate ones some read proved took effect.
 */
export interface RegisterTouches {
  /** Per transaction, its touches `touchStart[t] .. touchStart[t+1]-1`. */
  touchStart: Int32Array;
  touchKey: Int32Array;
  touchFirst: Int32Array;
  touchLast: Int32Array;
  /** Per vid: 1 when the version exists for the order (see above). */
  live: Uint8Array;
  /** Per transaction: it took effect for sure (`ok`, or `info` with a write someone read). */
  happened: Uint8Array;
}

export function registerTouches(table: TxnTable, orders: VersionOrders): RegisterTouches {
  if (!table.keyKind.subarray(0, table.keys.length).includes(KEY_REGISTER)) {
    // No register keys (a list-append history): nothing to touch.
    return { touchStart: new Int32Array(table.n + 1), touchKey: new Int32Array(0), touchFirst: new Int32Array(0), touchLast: new Int32Array(0), live: new Uint8Array(table.vCount), happened: new Uint8Array(0) };
  }
  const happened = new Uint8Array(table.n);
  for (let t = 0; t < table.n; t++) if (table.status[t] === ST_OK) happened[t] = 1;
  for (let v = 0; v < table.vCount; v++) {
    const w = table.vTxn[v];
    if (orders.vObserved[v] === 1 && table.status[w] === ST_INFO) happened[w] = 1;
  }
  for (const w of insertsSeenByScans(table)) if (table.status[w] === ST_INFO) happened[w] = 1;
  const live = new Uint8Array(table.vCount);
  for (let v = 0; v < table.vCount; v++) {
    if (table.keyKind[table.vKey[v]] !== KEY_REGISTER || table.vIntermediate[v] === 1) continue;
    if (happened[table.vTxn[v]] === 1) live[v] = 1;
  }
  const touchStart = new Int32Array(table.n + 1);
  const keys: number[] = [];
  const firsts: number[] = [];
  const lasts: number[] = [];
  // Per key, while scanning one transaction: its touch index, first and last read, last write.
  const at = new Int32Array(table.keys.length).fill(-1);
  const firstRead: number[] = [];
  const lastRead: number[] = [];
  const lastWrite: number[] = [];
  for (let t = 0; t < table.n; t++) {
    touchStart[t] = keys.length;
    if (happened[t] === 0) continue;
    const ok = table.status[t] === ST_OK;
    const base = keys.length;
    for (let g = table.mopStart[t]; g < table.mopStart[t + 1]; g++) {
      const k = table.mopKey[g];
      const kind = table.mopKind[g];
      if (k < 0 || table.keyKind[k] !== KEY_REGISTER) continue;
      if (kind !== MOP_WRITE && !(kind === MOP_READ && ok)) continue;
      let i = at[k];
      if (i < 0) {
        i = at[k] = keys.length;
        keys.push(k); firsts.push(NO_NODE); lasts.push(NO_NODE);
        firstRead[i - base] = lastRead[i - base] = lastWrite[i - base] = ABSENT;
      }
      const j = i - base;
      const value = table.mopValue[g];
      if (kind === MOP_WRITE) lastWrite[j] = live[value] === 1 ? value : NO_NODE;
      else if (lastWrite[j] === ABSENT) {
        // External reads only: a read after the transaction's own write shows its own version.
        const node = readNode(live, value);
        if (firstRead[j] === ABSENT) firstRead[j] = node;
        lastRead[j] = node;
      }
    }
    let kept = base;
    for (let i = base; i < keys.length; i++) {
      at[keys[i]] = -1;
      const j = i - base;
      const first = firstRead[j] !== ABSENT ? firstRead[j] : lastWrite[j];
      const last = lastWrite[j] !== ABSENT ? lastWrite[j] : lastRead[j];
      // A touch that names a version that does not exist tells nothing.
      if (first === NO_NODE || last === NO_NODE) continue;
      keys[kept] = keys[i]; firsts[kept] = first; lasts[kept] = last; kept++;
    }
    keys.length = firsts.length = lasts.length = kept;
  }
  touchStart[table.n] = keys.length;
  return { touchStart, touchKey: Int32Array.from(keys), touchFirst: Int32Array.from(firsts), touchLast: Int32Array.from(lasts), live, happened };
}

const ABSENT = -6;

/**
 * Transactions a committed scan proves took effect: a scan that shows a key only one transaction
 * (that did not fail) wrote shows that transaction's write.
 */
function insertsSeenByScans(table: TxnTable): number[] {
  if (table.scans.length === 0) return [];
  const keyIds = new Map<unknown, number>(table.keys.map((k, i) => [valueKey(k), i]));
  const onlyWriter = new Int32Array(table.keys.length).fill(-1);
  for (let v = 0; v < table.vCount; v++) {
    const w = table.vTxn[v];
    if (table.status[w] === ST_FAIL) continue;
    const k = table.vKey[v];
    onlyWriter[k] = onlyWriter[k] === -1 || onlyWriter[k] === w ? w : -2;
  }
  const out: number[] = [];
  for (const scan of table.scans) {
    if (table.status[scan.txn] !== ST_OK || scan.result === null) continue;
    for (const key of scan.result) {
      const k = keyIds.get(valueKey(key));
      if (k !== undefined && onlyWriter[k] >= 0) out.push(onlyWriter[k]);
    }
  }
  return out;
}

/** The version node a committed read shows, or NO_NODE when it shows no existing version. */
export function readNode(live: Uint8Array, value: number): number {
  if (value === V_INIT) return V_INIT;
  return value >= 0 && live[value] === 1 ? value : NO_NODE;
}
