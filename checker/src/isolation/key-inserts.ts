import { compareKeys, inRange } from './micro-ops.js';
import { KEY_LIST, ST_FAIL, ST_INFO, type TxnTable } from './txn-table.js';
import type { VersionOrders } from './version-orders.js';

/** Per key: who created it, when that is known, and whose writes a scan that missed it anti-depends on. */
export interface KeyInserts {
  /** Keys with at least one write, sorted as scans compare them. */
  sorted: number[];
  /** Transaction that wrote the key's first version, or -1 when unknown. */
  inserter: Int32Array;
  /** 1 when every writer of the key failed. */
  onlyFailed: Uint8Array;
  /** Transactions a scan that did not see the key must precede (the first version's writer, else every possible one); undefined when nobody wrote it. */
  after: (number[] | undefined)[];
}

/** The key ids in [lo, hi], by binary search over the sorted keys. */
export function keysInRange(table: TxnTable, sorted: readonly number[], lo: unknown, hi: unknown): number[] {
  let a = 0;
  let b = sorted.length;
  if (lo !== null && lo !== undefined) {
    while (a < b) { const mid = (a + b) >> 1; if (compareKeys(table.keys[sorted[mid]], lo) < 0) a = mid + 1; else b = mid; }
  }
  const out: number[] = [];
  for (let i = a; i < sorted.length && inRange(table.keys[sorted[i]], lo, hi); i++) out.push(sorted[i]);
  return out;
}

/** Who created each key: the writer of its first version when the order shows it, else the only possible writer. */
export function keyInserts(table: TxnTable, orders: VersionOrders): KeyInserts {
  const keyCount = table.keys.length;
  const inserter = new Int32Array(keyCount).fill(-1);
  const onlyFailed = new Uint8Array(keyCount);
  const after = Array.from({ length: keyCount }, (): number[] | undefined => undefined);
  const sorted: number[] = [];
  for (let k = 0; k < keyCount; k++) {
    const vids = orders.keyVids.subarray(orders.keyVidStart[k], orders.keyVidStart[k + 1]);
    if (vids.length === 0) continue;
    sorted.push(k);
    const live = [...vids].filter((v) => table.status[table.vTxn[v]] !== ST_FAIL && table.vIntermediate[v] === 0
      && (table.status[table.vTxn[v]] !== ST_INFO || table.keyKind[k] === KEY_LIST || orders.vObserved[v] === 1));
    if (live.length === 0 && [...vids].every((v) => table.status[table.vTxn[v]] === ST_FAIL)) { onlyFailed[k] = 1; continue; }
    const first = orders.orderStart[k + 1] > orders.orderStart[k] ? orders.orderVids[orders.orderStart[k]] : -1;
    if (first >= 0 && table.status[table.vTxn[first]] !== ST_FAIL) {
      inserter[k] = table.vTxn[first];
      after[k] = [inserter[k]];
    } else {
      const writers = [...new Set(live.map((v) => table.vTxn[v]))];
      after[k] = writers;
      if (writers.length === 1) inserter[k] = writers[0];
    }
  }
  sorted.sort((x, y) => compareKeys(table.keys[x], table.keys[y]));
  return { sorted, inserter, onlyFailed, after };
}
