import { valueEquals } from '../models/values.js';
import type { AnomalySink } from './anomaly-sink.js';
import { showEdn, type Explainer } from './explain.js';
import { E_REALTIME, E_RW, E_WR } from './graph.js';
import { MOP_APPEND, MOP_READ } from './micro-ops.js';
import { KEY_LIST, ST_FAIL, ST_OK, writtenValue, type TxnTable } from './txn-table.js';
import { rawRead, txnOfMop, type VersionOrders } from './version-orders.js';

/**
 * Non-atomic commit and lost writes, for list-append transactions over keys that different
 * participants hold (the 2PC/3PC simulations), judged with the final reads: read transactions
 * marked `phase: "final"`, taken after the faults healed, that read every key.
 *
 * The rule. Let T be a transaction that completed `ok` or `info` and appended to keys K. A
 * final read F of key k "lacks" T's append when F's result does not contain every value T
 * appended to k; F counts for T only when it began after T completed (T `ok`) or after T began
 * (T `info`, which never completes), so a read that may have been ordered before T is no
 * evidence. T's append to k is "visible" when any committed read, final or not, shows one of
 * T's values on k.
 *
 * - non-atomic-commit: T's append to some k1 ∈ K is visible while a final read of some other
 *   k2 ∈ K lacks T's append to k2: T took effect at one participant and not at the other.
 * - lost-write: T is `ok` and some final read of some k ∈ K lacks T's append to k.
 */
export function findNonAtomicCommits(table: TxnTable, orders: VersionOrders, explain: Explainer, sink: AnomalySink): void {
  const finals = finalReadsByKey(table);
  if (finals.size === 0) return;
  for (let t = 0; t < table.n; t++) {
    if (table.status[t] === ST_FAIL) continue;
    const byKey = new Map<number, number[]>();
    for (let g = table.mopStart[t]; g < table.mopStart[t + 1]; g++) {
      if (table.mopKind[g] !== MOP_APPEND) continue;
      const k = table.mopKey[g];
      const vids = byKey.get(k);
      if (vids === undefined) byKey.set(k, [table.mopValue[g]]); else vids.push(table.mopValue[g]);
    }
    if (byKey.size === 0) continue;
    const after = table.status[t] === ST_OK ? table.operations[t].ret : table.operations[t].call;
    const visible: { k: number; vid: number }[] = [];
    const lacking: { k: number; vid: number; g: number }[] = [];
    for (const [k, vids] of byKey) {
      const seen = vids.find((v) => orders.vObserved[v] === 1);
      if (seen !== undefined) visible.push({ k, vid: seen });
      for (const g of finals.get(k) ?? []) {
        const f = txnOfMop(table, g);
        if (f === t || !(table.operations[f].call > after)) continue;
        const missing = vids.find((v) => !contains(table, orders, g, f, v));
        if (missing !== undefined) { lacking.push({ k, vid: missing, g }); break; }
      }
    }
    if (lacking.length === 0) continue;
    if (table.status[t] === ST_OK) {
      const lost = lacking[0];
      const f = txnOfMop(table, lost.g);
      sink.add('lost-write', () => ({
        txns: [t, f],
        key: lost.k,
        edges: [{ from: t, to: f, kind: E_REALTIME, key: -1 }, { from: f, to: t, kind: E_RW, key: lost.k }],
        sentence: (n) => `${n(t)} committed its append of ${showEdn(writtenValue(table, lost.vid))} to ${explain.key(lost.k)}, but ${n(f)}, a final read that began after ${n(t)} completed, read ${explain.key(lost.k)}=${showEdn(rawRead(table, lost.g, f))} without it`,
      }));
    }
    // Visible and lacking on the same key only is a lost or reordered append, not a split commit.
    const lack = lacking.find((l) => visible.some((v) => v.k !== l.k));
    if (lack === undefined) continue;
    const shown = visible.find((v) => v.k !== lack.k)!;
    const f = txnOfMop(table, lack.g);
    const witness = readShowing(table, orders, shown.k, shown.vid);
    sink.add('non-atomic-commit', () => ({
      txns: witness === undefined ? [t, f] : [t, witness.t, f],
      key: lack.k,
      edges: [...(witness === undefined || witness.t === t ? [] : [{ from: t, to: witness.t, kind: E_WR, key: shown.k }]), { from: f, to: t, kind: E_RW, key: lack.k }],
      sentence: (n) => `${n(t)}'s append of ${showEdn(writtenValue(table, shown.vid))} to ${explain.key(shown.k)} is visible${witness === undefined ? '' : ` (${n(witness.t)} read ${explain.key(shown.k)}=${showEdn(rawRead(table, witness.g, witness.t))})`}, but the final read ${n(f)} of ${explain.key(lack.k)}=${showEdn(rawRead(table, lack.g, f))} lacks its append of ${showEdn(writtenValue(table, lack.vid))}: ${n(t)} took effect at one participant and not at another`,
    }));
  }
}

function finalReadsByKey(table: TxnTable): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let t = 0; t < table.n; t++) {
    if (table.status[t] !== ST_OK || table.final[t] !== 1) continue;
    for (let g = table.mopStart[t]; g < table.mopStart[t + 1]; g++) {
      const k = table.mopKey[g];
      if (table.mopKind[g] !== MOP_READ || table.keyKind[k] !== KEY_LIST) continue;
      const list = out.get(k);
      if (list === undefined) out.set(k, [g]); else list.push(g);
    }
  }
  return out;
}

function contains(table: TxnTable, orders: VersionOrders, g: number, f: number, vid: number): boolean {
  if (orders.compatible[g] === 1) return orders.vPos[vid] >= 0 && orders.vPos[vid] < table.mopLen[g];
  return rawRead(table, g, f).some((e) => valueEquals(e, writtenValue(table, vid)));
}

/** A committed read that shows the append `vid` of key k: the key's longest read when it does. */
function readShowing(table: TxnTable, orders: VersionOrders, k: number, vid: number): { t: number; g: number } | undefined {
  const longest = orders.longestMop[k];
  if (longest >= 0 && orders.vPos[vid] >= 0) return { t: txnOfMop(table, longest), g: longest };
  for (const g of orders.incompatible) {
    const t = txnOfMop(table, g);
    if (table.mopKey[g] === k && rawRead(table, g, t).some((e) => valueEquals(e, writtenValue(table, vid)))) return { t, g };
  }
  return undefined;
}
