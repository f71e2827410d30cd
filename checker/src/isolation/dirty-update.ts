import type { AnomalySink } from './anomaly-sink.js';
import { showEdn, type Explainer } from './explain.js';
import { KEY_LIST, ST_FAIL, ST_INFO, ST_OK, writtenValue, type TxnTable } from './txn-table.js';
import type { VersionOrders } from './version-orders.js';

/**
 * Dirty update (Elle's list-append check): in a list key's version order, a committed append
 * follows an aborted one with only indeterminate appends between, so a committed transaction
 * built on a state that was rolled back. Elle ranks it with G1a (read committed forbids it).
 */
export function findDirtyUpdates(table: TxnTable, orders: VersionOrders, explain: Explainer, sink: AnomalySink): void {
  for (let k = 0; k < table.keys.length; k++) {
    if (table.keyKind[k] !== KEY_LIST) continue;
    let failed = -1;
    const length = orders.orderStart[k + 1] - orders.orderStart[k];
    for (let p = 0; p < length; p++) {
      const vid = orders.orderVids[orders.orderStart[k] + p];
      if (vid < 0) continue;
      const status = table.status[table.vTxn[vid]];
      if (status === ST_FAIL) { if (failed < 0) failed = vid; continue; }
      if (status === ST_INFO) continue;
      if (status === ST_OK && failed >= 0) report(table, explain, sink, k, failed, vid);
      failed = -1;
    }
  }
}

function report(table: TxnTable, explain: Explainer, sink: AnomalySink, k: number, failed: number, committed: number): void {
  const t1 = table.vTxn[failed];
  const t2 = table.vTxn[committed];
  sink.add('dirty-update', () => ({
    txns: [t1, t2],
    key: k,
    sentence: (n) => `${n(t2)} appended ${showEdn(writtenValue(table, committed))} to ${explain.key(k)} after ${n(t1)}'s append of ${showEdn(writtenValue(table, failed))}, and ${n(t1)} aborted: a committed write over an aborted one (a dirty update)`,
  }));
}
