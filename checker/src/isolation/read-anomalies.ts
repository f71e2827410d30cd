import type { AnomalySink } from './anomaly-sink.js';
import { showEdn, type Explainer } from './explain.js';
import { E_WR } from './graph.js';
import { MOP_READ, valueKey } from './micro-ops.js';
import { KEY_LIST, ST_FAIL, ST_OK, V_UNKNOWN, writtenValue, type TxnTable } from './txn-table.js';
import { rawRead, txnOfMop, type VersionOrders } from './version-orders.js';

/**
 * What single reads show on their own: G1a (a committed read of a failed transaction's write),
 * G1b (a committed read of a state another transaction overwrote before it committed), values
 * nobody wrote, values a list shows twice, and list reads no single order of appends explains.
 */
export function findReadAnomalies(table: TxnTable, orders: VersionOrders, explain: Explainer, sink: AnomalySink): void {
  // No closures in this loop: a closure capturing loop variables makes V8 allocate a context
  // for every iteration, and this loop runs once per read. Reports happen in helpers.
  const firstFailed = firstPositionWhere(table, orders, isFailedWrite);
  const firstUnknown = firstPositionWhere(table, orders, isUnknown);
  for (let t = 0; t < table.n; t++) {
    if (table.status[t] !== ST_OK) continue;
    for (let g = table.mopStart[t]; g < table.mopStart[t + 1]; g++) {
      if (table.mopKind[g] !== MOP_READ) continue;
      const k = table.mopKey[g];
      const vid = table.mopValue[g];
      if (table.keyKind[k] !== KEY_LIST) {
        if (vid === V_UNKNOWN) impossible(table, explain, sink, t, g, undefined);
        else if (vid >= 0 && table.status[table.vTxn[vid]] === ST_FAIL) aborted(table, explain, sink, t, g, table.vTxn[vid], undefined);
      } else {
        const len = table.mopLen[g];
        const compatible = orders.compatible[g] === 1;
        const failedAt = compatible ? (firstFailed[k] < len ? firstFailed[k] : -1) : findInRead(table, t, g, isFailedWrite);
        if (failedAt >= 0) {
          const element = rawRead(table, g, t)[failedAt];
          aborted(table, explain, sink, t, g, table.vTxn[table.values.get(k, element)], element);
        }
        const unknownAt = compatible ? (firstUnknown[k] < len ? firstUnknown[k] : -1) : findInRead(table, t, g, isUnknown);
        if (unknownAt >= 0) impossible(table, explain, sink, t, g, rawRead(table, g, t)[unknownAt]);
        if (!compatible) incompatible(table, orders, t, g, k, explain, sink);
      }
      if (vid >= 0 && table.vIntermediate[vid] === 1 && table.vTxn[vid] !== t) intermediate(table, t, g, vid, explain, sink);
    }
  }
  for (const g of orders.duplicates) duplicate(table, g, explain, sink);
  for (let k = 0; k < table.keys.length; k++) {
    if (table.keyKind[k] === KEY_LIST && orders.longestMop[k] >= 0 && skipsAppendInOrder(table, orders, k)) skippedAppend(table, orders.longestMop[k], explain, sink);
  }
  for (const g of orders.incompatible) skippedAppend(table, g, explain, sink);
}

/** Whether key k's order (its longest read) shows an append without the same transaction's append just before it. */
function skipsAppendInOrder(table: TxnTable, orders: VersionOrders, k: number): boolean {
  const start = orders.orderStart[k];
  for (let p = 0; p < orders.orderStart[k + 1] - start; p++) {
    const vid = orders.orderVids[start + p];
    if (vid < 0 || orders.vPos[vid] !== p) continue;
    const previous = table.vPrevious[vid];
    if (previous >= 0 && !(orders.vPos[previous] >= 0 && orders.vPos[previous] < p)) return true;
  }
  return false;
}

/**
 * A list read that shows a transaction's append but not the append that transaction made to the
 * same key just before it (or shows it later): no state of the list ever looked like that, since
 * a transaction's appends land in its order. Reads that are prefixes of their key's longest read
 * are covered by checking that one.
 */
function skippedAppend(table: TxnTable, g: number, explain: Explainer, sink: AnomalySink): void {
  const t = txnOfMop(table, g);
  const k = table.mopKey[g];
  const read = rawRead(table, g, t);
  const at = new Map<number, number>();
  for (let i = 0; i < read.length; i++) {
    const vid = table.values.get(k, read[i]);
    if (vid >= 0 && !at.has(vid)) at.set(vid, i);
  }
  for (const [vid, i] of at) {
    const previous = table.vPrevious[vid];
    if (previous < 0 || (at.get(previous) ?? Infinity) < i) continue;
    const w = table.vTxn[vid];
    sink.add('impossible-value', () => ({
      txns: [t, w],
      key: k,
      sentence: (n) => `${n(t)} read ${explain.key(k)}=${showEdn(read)}, which shows ${n(w)}'s append of ${showEdn(read[i])} but not, before it, ${n(w)}'s earlier append of ${showEdn(writtenValue(table, previous))}: no state of ${explain.key(k)} ever looked like that`,
    }));
    return;
  }
}

function isFailedWrite(table: TxnTable, vid: number): boolean {
  return vid >= 0 && table.status[table.vTxn[vid]] === ST_FAIL;
}

function isUnknown(_table: TxnTable, vid: number): boolean {
  return vid === V_UNKNOWN;
}

/** G1a: t's read g shows a write of the failed transaction w (`element`: the list element). */
function aborted(table: TxnTable, explain: Explainer, sink: AnomalySink, t: number, g: number, w: number, element: unknown): void {
  const k = table.mopKey[g];
  sink.add('G1a', () => ({
    txns: [w, t],
    key: k,
    edges: [{ from: w, to: t, kind: E_WR, key: k }],
    sentence: (n) => (element === undefined
      ? `${n(t)} read ${shownRead(explain, t, g)}, which ${n(w)} wrote and then aborted`
      : `${n(t)} read ${shownRead(explain, t, g)}, including ${showEdn(element)}, which ${n(w)} appended and then aborted`),
  }));
}

function impossible(table: TxnTable, explain: Explainer, sink: AnomalySink, t: number, g: number, element: unknown): void {
  sink.add('impossible-value', () => ({
    txns: [t],
    key: table.mopKey[g],
    sentence: (n) => (element === undefined
      ? `${n(t)} read ${shownRead(explain, t, g)}, which no transaction wrote`
      : `${n(t)} read ${shownRead(explain, t, g)}, including ${showEdn(element)}, which no transaction appended`),
  }));
}

function shownRead(explain: Explainer, t: number, g: number): string {
  const mop = explain.mop(t, g);
  return `${showEdn(mop[1])}=${showEdn(mop[2])}`;
}

/** Per list key, the first position of its order whose vid satisfies `test`, or the order's length. */
function firstPositionWhere(table: TxnTable, orders: VersionOrders, test: (table: TxnTable, vid: number) => boolean): Int32Array {
  const out = new Int32Array(table.keys.length);
  for (let k = 0; k < table.keys.length; k++) {
    const length = orders.orderStart[k + 1] - orders.orderStart[k];
    let p = 0;
    while (p < length && !test(table, orders.orderVids[orders.orderStart[k] + p])) p++;
    out[k] = p;
  }
  return out;
}

function findInRead(table: TxnTable, t: number, g: number, test: (table: TxnTable, vid: number) => boolean): number {
  const k = table.mopKey[g];
  const read = rawRead(table, g, t);
  for (let i = 0; i < read.length; i++) {
    const vid = table.values.get(k, read[i]);
    if (test(table, vid >= 0 ? vid : V_UNKNOWN)) return i;
  }
  return -1;
}

function intermediate(table: TxnTable, t: number, g: number, vid: number, explain: Explainer, sink: AnomalySink): void {
  const w = table.vTxn[vid];
  const k = table.mopKey[g];
  const list = table.keyKind[k] === KEY_LIST;
  sink.add('G1b', () => ({
    txns: [w, t],
    key: k,
    edges: [{ from: w, to: t, kind: E_WR, key: k }],
    sentence: (n) => {
      const later = showEdn(explain.writeOf(w, k, true));
      const read = `${explain.key(k)}=${showEdn(explain.mop(t, g)[2])}`;
      return list
        ? `${n(t)} read ${read}, ending with ${showEdn(writtenValue(table, vid))}, which ${n(w)} appended before appending ${later} in the same transaction (an intermediate state)`
        : `${n(t)} read ${read}, an intermediate value: ${n(w)} wrote it and then ${explain.key(k)}=${later} in the same transaction`;
    },
  }));
}

function incompatible(table: TxnTable, orders: VersionOrders, t: number, g: number, k: number, explain: Explainer, sink: AnomalySink): void {
  const longest = orders.longestMop[k];
  const other = txnOfMop(table, longest);
  sink.add('incompatible-order', () => ({
    txns: other === t ? [t] : [t, other],
    key: k,
    sentence: (n) => `${n(t)} read ${explain.key(k)}=${showEdn(rawRead(table, g, t))} but ${n(other)} read ${explain.key(k)}=${showEdn(rawRead(table, longest, other))}: no single order of appends gives both`,
  }));
  duplicate(table, g, explain, sink, t);
}

/** Reports the list read g when some element shows in it more than once. */
function duplicate(table: TxnTable, g: number, explain: Explainer, sink: AnomalySink, t = txnOfMop(table, g)): void {
  const k = table.mopKey[g];
  const read = rawRead(table, g, t);
  const seen = new Map<unknown, number>();
  for (const e of read) seen.set(valueKey(e), (seen.get(valueKey(e)) ?? 0) + 1);
  const repeated = [...seen].find(([, c]) => c > 1);
  if (repeated === undefined) return;
  const [key, count] = repeated;
  const element = read.find((x) => valueKey(x) === key);
  sink.add('duplicate-value', () => ({ txns: [t], key: k, sentence: (n) => `${n(t)} read ${explain.key(k)}=${showEdn(read)}, in which ${showEdn(element)} appears ${count} times, though it was appended once` }));
}
