import type { AnomalySink } from './anomaly-sink.js';
import type { Explainer } from './explain.js';
import { E_RW, E_WW, type EdgeBuffer } from './graph.js';
import { MOP_READ } from './micro-ops.js';
import { ST_FAIL, ST_OK, V_ABSENT, type TxnTable } from './txn-table.js';

/**
 * A read that found a deleted key absent while the key's deleter may have committed: it either
 * preceded the insert (an anti-dependency on the inserter) or followed the delete (a read
 * dependency on the deleter), and the read alone does not tell which.
 */
export interface AbsentRead {
  key: number;
  reader: number;
  /** The scan's or the item read's global micro-op index. */
  mop: number;
  inserter: number;
  deleter: number;
  /** A scan (predicate edges) rather than an item read. */
  scan: boolean;
}

/**
 * Deletes (`["delete", k]`): a key's existence goes absent → present (its one inserter) → absent
 * (its one deleter). A delete that committed overwrites the insert's version (ww inserter →
 * deleter); one of a key nobody inserted is impossible, and one of a key only an aborted
 * transaction inserted read that aborted insert (G1a). An item read that shows the inserted value
 * anti-depends on the deleter (rw: it saw the version the delete replaced); one that reads nil is
 * returned as an `AbsentRead` unless the deleter failed (then nil is the initial version, and
 * the register analysis orders it before the insert). Scans are handled in predicates.ts.
 */
export function analyseDeletes(table: TxnTable, explain: Explainer, edges: EdgeBuffer, sink: AnomalySink): DeleteFacts {
  const out: AbsentRead[] = [];
  const inserter = new Int32Array(table.keys.length).fill(-1);
  let any = false;
  for (let k = 0; k < table.keys.length; k++) if (table.deleter[k] >= 0) any = true;
  if (!any) return { absent: out, inserter };
  for (let v = 0; v < table.vCount; v++) if (table.deleter[table.vKey[v]] >= 0) inserter[table.vKey[v]] = table.vTxn[v];
  for (let k = 0; k < table.keys.length; k++) {
    const d = table.deleter[k];
    if (d < 0 || table.status[d] === ST_FAIL) continue;
    const w = inserter[k];
    if (table.status[d] === ST_OK && w < 0) {
      sink.add('impossible-value', () => ({ txns: [d], key: k, sentence: (n) => `${n(d)} deleted key ${explain.key(k)}, which no transaction inserted` }));
    } else if (table.status[d] === ST_OK && table.status[w] === ST_FAIL) {
      sink.add('G1a', () => ({ txns: [w, d], key: k, sentence: (n) => `${n(d)} deleted key ${explain.key(k)}, which only ${n(w)} inserted, and ${n(w)} aborted: the delete found an aborted insert` }));
    } else if (w >= 0 && table.status[w] !== ST_FAIL) {
      edges.push(w, d, E_WW, k);
    }
  }
  for (let t = 0; t < table.n; t++) {
    if (table.status[t] !== ST_OK) continue;
    for (let g = table.mopStart[t]; g < table.mopStart[t + 1]; g++) {
      if (table.mopKind[g] !== MOP_READ) continue;
      const k = table.mopKey[g];
      const d = table.deleter[k];
      if (d < 0 || d === t || table.status[d] === ST_FAIL) continue;
      const vid = table.mopValue[g];
      const w = inserter[k];
      if (vid >= 0 && table.vTxn[vid] !== t) edges.push(t, d, E_RW, k);
      else if (vid === V_ABSENT && w >= 0 && w !== t && table.status[w] !== ST_FAIL) out.push({ key: k, reader: t, mop: g, inserter: w, deleter: d, scan: false });
    }
  }
  return { absent: out, inserter };
}

export interface DeleteFacts {
  absent: AbsentRead[];
  /** Per deleted key: the transaction that inserted it (a deleted key has one writer, see txn-table.ts), or -1. */
  inserter: Int32Array;
}
