import type { AnomalySink } from './anomaly-sink.js';
import { showEdn, type Explainer } from './explain.js';
import { E_RWP, E_WR, E_WRP, type EdgeBuffer } from './graph.js';
import { analyseDeletes, type AbsentRead } from './key-deletes.js';
import { inRange, MOP_APPEND, MOP_READ, MOP_WRITE, valueKey } from './micro-ops.js';
import { phantomsWithin } from './phantoms-within.js';
import { keyInserts, keysInRange, type KeyInserts } from './key-inserts.js';
import { KEY_LIST, ST_FAIL, ST_OK, type ScanRead, type TxnTable } from './txn-table.js';
import type { VersionOrders } from './version-orders.js';

/**
 * Predicate reads (`["scan", [lo, hi], [keys…]]`, the keys in the range that exist). A key exists
 * once its first version is written, until its delete (`["delete", k]`, at most one per key, see
 * key-deletes.ts). A scan that shows a key read-depends on the key's creator (wrp) and
 * anti-depends on its deleter (rwp: it saw the version the delete replaced); one that misses a key
 * in its range anti-depends on whoever created it (rwp), which can close the predicate cycles of
 * G2 — unless the key has a deleter that may have committed: then the scan either preceded the
 * insert or followed the delete, and when nothing tells which no edge is added (the miss is
 * returned in `PredicateFacts.absent` for the claims to weigh). Found here directly: scans that
 * show keys nobody wrote (or outside their range), keys only failed transactions wrote (G1a), a
 * scan that misses the transaction's own insert or shows its own delete (internal
 * inconsistency), and phantom reads: a scan answer that changes within the transaction,
 * disagrees with the transaction's item reads, or misses the insert of a committed transaction
 * whose other writes the transaction read (that insert is in its snapshot; when only an aborted
 * transaction deleted the key, that is reading the aborted delete: G1a).
 */
export function analysePredicates(table: TxnTable, orders: VersionOrders, explain: Explainer, edges: EdgeBuffer, sink: AnomalySink): PredicateFacts {
  const deletes = analyseDeletes(table, explain, edges, sink);
  const facts: PredicateFacts = { ambiguous: [], absent: deletes.absent };
  if (table.scans.length === 0) return facts;
  const inserts = keyInserts(table, orders);
  const keyIds = new Map<unknown, number>(table.keys.map((k, i) => [valueKey(k), i]));
  for (const scan of table.scans) {
    if (table.status[scan.txn] !== ST_OK || scan.result === null) continue;
    scanEdgesAndReads(table, inserts, deletes.inserter, keyIds, scan, explain, edges, sink, facts);
  }
  const withScans = new Set(table.scans.map((s) => s.txn));
  for (const t of withScans) if (table.status[t] === ST_OK) phantomsWithin(table, inserts, keyIds, t, explain, sink);
  return facts;
}

/** What the scans leave open. */
export interface PredicateFacts {
  /** Keys a scan saw whose creator is one of several transactions: the read dependency is on one of them, unknown which. */
  ambiguous: { key: number; scanner: number; writers: number[] }[];
  /** Scans and item reads that found a deleted key absent: before its insert or after its delete, unknown which. */
  absent: AbsentRead[];
}

function scanEdgesAndReads(table: TxnTable, inserts: KeyInserts, deletedKeyInserter: Int32Array, keyIds: Map<unknown, number>, scan: ScanRead, explain: Explainer, edges: EdgeBuffer, sink: AnomalySink, facts: PredicateFacts): void {
  const t = scan.txn;
  const range = `[${showEdn(scan.lo)} ${showEdn(scan.hi)}]`;
  const shown = new Set<number>();
  for (const key of scan.result ?? []) {
    const k = keyIds.get(valueKey(key));
    if (!inRange(key, scan.lo, scan.hi) || k === undefined || (inserts.inserter[k] < 0 && inserts.after[k] === undefined && inserts.onlyFailed[k] === 0)) {
      const why = !inRange(key, scan.lo, scan.hi) ? 'outside that range' : 'which no transaction inserted';
      sink.add('impossible-value', () => ({ txns: [t], sentence: (n) => `${n(t)}'s scan of ${range} returned key ${showEdn(key)}, ${why}` }));
      continue;
    }
    shown.add(k);
    const d = table.deleter[k];
    if (d === t && table.deleteMop[k] < scan.mop) {
      sink.add('internal-inconsistency', () => ({ txns: [t], key: k, sentence: (n) => `${n(t)} deleted key ${explain.key(k)} and then its scan of ${range} showed it: it does not see its own delete` }));
      continue;
    }
    if (d >= 0 && d !== t && table.status[d] !== ST_FAIL) edges.push(t, d, E_RWP, k);
    if (inserts.onlyFailed[k] === 1) {
      const w = firstWriter(table, k);
      sink.add('G1a', () => ({ txns: [w, t], key: k, edges: [{ from: w, to: t, kind: E_WRP, key: k }], sentence: (n) => `${n(t)}'s scan of ${range} saw key ${explain.key(k)}, which only ${n(w)} wrote, and ${n(w)} aborted` }));
      continue;
    }
    if (inserts.inserter[k] >= 0) edges.push(inserts.inserter[k], t, E_WRP, k);
    // Its creator is one of several: the scan read-depends on one of them, unknown which (unless its own insert explains it).
    else if (inserts.after[k] !== undefined && !insertedBefore(table, t, k, scan.mop)) facts.ambiguous.push({ key: k, scanner: t, writers: inserts.after[k]! });
  }
  for (const k of keysInRange(table, inserts.sorted, scan.lo, scan.hi)) {
    if (shown.has(k) || inserts.onlyFailed[k] === 1) continue;
    if (insertedBefore(table, t, k, scan.mop)) {
      sink.add('internal-inconsistency', () => ({ txns: [t], key: k, sentence: (n) => `${n(t)} wrote key ${explain.key(k)} and then its scan of ${range} missed it: it does not see its own insert` }));
      continue;
    }
    const d = table.deleter[k];
    if (d === t) continue; // its own delete (before the scan), or a scan that missed a key it deletes later: phantoms-within.ts
    const u = d >= 0 ? deletedKeyInserter[k] : inserts.inserter[k];
    if (d >= 0 && table.status[d] !== ST_FAIL) {
      if (u >= 0 && u !== t && table.status[u] !== ST_FAIL) facts.absent.push({ key: k, reader: t, mop: scan.mop, inserter: u, deleter: d, scan: true });
      continue;
    }
    for (const w of inserts.after[k] ?? []) edges.push(t, w, E_RWP, k);
    if (u < 0 || u === t || table.status[u] !== ST_OK) continue;
    const seen = readOfWriter(table, t, u);
    if (seen >= 0 && d >= 0) {
      const k2 = table.mopKey[seen];
      sink.add('G1a', () => ({
        txns: [u, d, t],
        key: k,
        edges: [{ from: u, to: t, kind: E_WR, key: k2 }],
        sentence: (n) => `${n(t)} read ${explain.key(k2)}=${showEdn(explain.mop(t, seen)[2])}, which ${n(u)} wrote, yet its scan of ${range} missed key ${explain.key(k)}, which ${n(u)} inserted in the same commit and only ${n(d)} deleted, and ${n(d)} aborted: it saw an aborted delete`,
      }));
    } else if (seen >= 0) {
      const k2 = table.mopKey[seen];
      sink.add('phantom-read', () => ({
        txns: [u, t],
        key: k,
        edges: [{ from: u, to: t, kind: E_WR, key: k2 }, { from: t, to: u, kind: E_RWP, key: k }],
        sentence: (n) => `${n(t)} read ${explain.key(k2)}=${showEdn(explain.mop(t, seen)[2])}, which ${n(u)} wrote, yet its scan of ${range} missed key ${explain.key(k)}, which ${n(u)} inserted in the same commit`,
      }));
    }
  }
}

/** t's first item read that shows a write of u (a value u wrote, or a list holding u's append), or -1. */
function readOfWriter(table: TxnTable, t: number, u: number): number {
  for (let g = table.mopStart[t]; g < table.mopStart[t + 1]; g++) {
    if (table.mopKind[g] !== MOP_READ) continue;
    const vid = table.mopValue[g];
    if (vid >= 0 && table.vTxn[vid] === u) return g;
    if (table.keyKind[table.mopKey[g]] !== KEY_LIST) continue;
    const read = (table.mops[t][g - table.mopStart[t]] as unknown[])[2];
    if (!Array.isArray(read)) continue;
    const k = table.mopKey[g];
    if (read.some((e) => { const v = table.values.get(k, e); return v >= 0 && table.vTxn[v] === u; })) return g;
  }
  return -1;
}

function insertedBefore(table: TxnTable, t: number, k: number, before: number): boolean {
  for (let g = table.mopStart[t]; g < before; g++) {
    if (table.mopKey[g] === k && (table.mopKind[g] === MOP_WRITE || table.mopKind[g] === MOP_APPEND)) return true;
  }
  return false;
}

function firstWriter(table: TxnTable, k: number): number {
  for (let v = 0; v < table.vCount; v++) if (table.vKey[v] === k) return table.vTxn[v];
  return -1;
}
