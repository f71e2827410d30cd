import type { AnomalySink } from './anomaly-sink.js';
import { showEdn, type Explainer } from './explain.js';
import { RULES_OUT } from './levels.js';
import { MOP_READ, valueKey } from './micro-ops.js';
import { KEY_LIST, ST_FAIL, ST_OK, V_UNKNOWN, type TxnTable } from './txn-table.js';
import { rawRead, txnOfMop, type VersionOrders } from './version-orders.js';

/**
 * What single reads show on their own: G1a (a committed read of a failed transaction's write),
 * G1b (a committed read of a state another transaction overwrote before it committed), values
 * nobody wrote, values a list shows twice, and list reads no single order of appends explains.
 */
export function findReadAnomalies(table: TxnTable, orders: VersionOrders, explain: Explainer, sink: AnomalySink): void {
  const firstFailed = firstPositionWhere(table, orders, (vid) => vid >= 0 && table.status[table.vTxn[vid]] === ST_FAIL);
  const firstUnknown = firstPositionWhere(table, orders, (vid) => vid === V_UNKNOWN);
  for (let t = 0; t < table.n; t++) {
    if (table.status[t] !== ST_OK) continue;
    for (let g = table.mopStart[t]; g < table.mopStart[t + 1]; g++) {
      if (table.mopKind[g] !== MOP_READ) continue;
      const k = table.mopKey[g];
      const vid = table.mopValue[g];
      const shown = (): string => `${explain.key(k)}=${showEdn(explain.mop(t, g)[2])}`;
      if (table.keyKind[k] !== KEY_LIST) {
        if (vid === V_UNKNOWN) {
          sink.add('impossible-value', RULES_OUT['impossible-value'], () => ({ txns: [t], key: k, sentence: (n) => `${n(t)} read ${shown()}, which no transaction wrote` }));
        } else if (vid >= 0 && table.status[table.vTxn[vid]] === ST_FAIL) {
          const w = table.vTxn[vid];
          sink.add('G1a', RULES_OUT.G1a, () => ({ txns: [w, t], key: k, sentence: (n) => `${n(t)} read ${shown()}, which ${n(w)} wrote and then aborted` }));
        }
      } else {
        const len = table.mopLen[g];
        const compatible = orders.compatible[g] === 1;
        const failedAt = compatible ? (firstFailed[k] < len ? firstFailed[k] : -1) : findInRead(table, t, g, (v) => v >= 0 && table.status[table.vTxn[v]] === ST_FAIL);
        if (failedAt >= 0) {
          const element = compatible ? table.vValue[orders.orderVids[orders.orderStart[k] + failedAt]] : rawRead(table, g, t)[failedAt];
          const w = table.vTxn[table.valueIds[k].get(valueKey(element))!];
          sink.add('G1a', RULES_OUT.G1a, () => ({ txns: [w, t], key: k, sentence: (n) => `${n(t)} read ${shown()}, including ${showEdn(element)}, which ${n(w)} appended and then aborted` }));
        }
        const unknownAt = compatible ? (firstUnknown[k] < len ? firstUnknown[k] : -1) : findInRead(table, t, g, (v) => v === V_UNKNOWN);
        if (unknownAt >= 0) {
          const element = rawRead(table, g, t)[unknownAt];
          sink.add('impossible-value', RULES_OUT['impossible-value'], () => ({ txns: [t], key: k, sentence: (n) => `${n(t)} read ${shown()}, including ${showEdn(element)}, which no transaction appended` }));
        }
        if (!compatible) incompatible(table, orders, t, g, k, explain, sink);
      }
      if (vid >= 0 && table.vIntermediate[vid] === 1 && table.vTxn[vid] !== t) intermediate(table, t, g, vid, explain, sink);
    }
  }
  for (const g of orders.duplicates) duplicate(table, g, explain, sink);
}

/** Per list key, the first position of its order whose vid satisfies `test`, or the order's length. */
function firstPositionWhere(table: TxnTable, orders: VersionOrders, test: (vid: number) => boolean): Int32Array {
  const out = new Int32Array(table.keys.length);
  for (let k = 0; k < table.keys.length; k++) {
    const length = orders.orderStart[k + 1] - orders.orderStart[k];
    let p = 0;
    while (p < length && !test(orders.orderVids[orders.orderStart[k] + p])) p++;
    out[k] = p;
  }
  return out;
}

function findInRead(table: TxnTable, t: number, g: number, test: (vid: number) => boolean): number {
  const ids = table.valueIds[table.mopKey[g]];
  const read = rawRead(table, g, t);
  for (let i = 0; i < read.length; i++) if (test(ids.get(valueKey(read[i])) ?? V_UNKNOWN)) return i;
  return -1;
}

function intermediate(table: TxnTable, t: number, g: number, vid: number, explain: Explainer, sink: AnomalySink): void {
  const w = table.vTxn[vid];
  const k = table.mopKey[g];
  const list = table.keyKind[k] === KEY_LIST;
  sink.add('G1b', RULES_OUT.G1b, () => ({
    txns: [w, t],
    key: k,
    sentence: (n) => {
      const later = showEdn(explain.writeOf(w, k, true));
      const read = `${explain.key(k)}=${showEdn(explain.mop(t, g)[2])}`;
      return list
        ? `${n(t)} read ${read}, ending with ${showEdn(table.vValue[vid])}, which ${n(w)} appended before appending ${later} in the same transaction (an intermediate state)`
        : `${n(t)} read ${read}, an intermediate value: ${n(w)} wrote it and then ${explain.key(k)}=${later} in the same transaction`;
    },
  }));
}

function incompatible(table: TxnTable, orders: VersionOrders, t: number, g: number, k: number, explain: Explainer, sink: AnomalySink): void {
  const longest = orders.longestMop[k];
  const other = txnOfMop(table, longest);
  sink.add('incompatible-order', RULES_OUT['incompatible-order'], () => ({
    txns: other === t ? [t] : [t, other],
    key: k,
    sentence: (n) => `${n(t)} read ${explain.key(k)}=${showEdn(rawRead(table, g, t))} but ${n(other)} read ${explain.key(k)}=${showEdn(rawRead(table, longest, other))}: no single order of appends gives both`,
  }));
  const read = rawRead(table, g, t);
  const counts = new Map<unknown, number>();
  for (const e of read) counts.set(valueKey(e), (counts.get(valueKey(e)) ?? 0) + 1);
  for (const [e, c] of counts) {
    if (c > 1) {
      sink.add('duplicate-value', RULES_OUT['duplicate-value'], () => ({ txns: [t], key: k, sentence: (n) => `${n(t)} read ${explain.key(k)}=${showEdn(read)}, in which ${showEdn(read.find((x) => valueKey(x) === e))} appears ${c} times, though it was appended once` }));
      break;
    }
  }
}

function duplicate(table: TxnTable, g: number, explain: Explainer, sink: AnomalySink): void {
  const t = txnOfMop(table, g);
  const k = table.mopKey[g];
  const read = rawRead(table, g, t);
  const seen = new Map<unknown, number>();
  for (const e of read) seen.set(valueKey(e), (seen.get(valueKey(e)) ?? 0) + 1);
  const [repeated, count] = [...seen].find(([, c]) => c > 1) ?? [undefined, 0];
  const element = read.find((x) => valueKey(x) === repeated);
  sink.add('duplicate-value', RULES_OUT['duplicate-value'], () => ({ txns: [t], key: k, sentence: (n) => `${n(t)} read ${explain.key(k)}=${showEdn(read)}, in which ${showEdn(element)} appears ${count} times, though it was appended once` }));
}
