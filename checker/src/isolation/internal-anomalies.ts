import { valueEquals } from '../models/values.js';
import type { AnomalySink } from './anomaly-sink.js';
import { showEdn, type Explainer } from './explain.js';
import { MOP_APPEND, MOP_DELETE, MOP_READ, MOP_SCAN, MOP_WRITE } from './micro-ops.js';
import { KEY_LIST, ST_OK, type TxnTable } from './txn-table.js';

/**
 * What one committed transaction shows about itself, key by key, in micro-op order:
 * - internal inconsistency: a read that does not show the transaction's own earlier write (a
 *   register read other than the value it wrote; a list read that does not end with the
 *   elements it appended; anything but nil after its own delete), or that shows a write the
 *   transaction only makes later (a future read);
 * - non-repeatable (fuzzy) read: a read that differs from the transaction's previous read of the
 *   key although the transaction wrote nothing in between (after its own appends: the part
 *   before them differs from the previous read).
 * Only transactions that touch some key twice can show either; the rest are skipped quickly.
 */
export function findInternalAnomalies(table: TxnTable, explain: Explainer, sink: AnomalySink): void {
  const touched = new Int32Array(table.keys.length).fill(-1);
  for (let t = 0; t < table.n; t++) {
    if (table.status[t] !== ST_OK) continue;
    let repeats = false;
    for (let g = table.mopStart[t]; g < table.mopStart[t + 1]; g++) {
      if (table.mopKind[g] === MOP_SCAN) continue;
      const k = table.mopKey[g];
      if (touched[k] === t) { repeats = true; break; }
      touched[k] = t;
    }
    if (repeats) checkTransaction(table, t, explain, sink);
  }
}

function checkTransaction(table: TxnTable, t: number, explain: Explainer, sink: AnomalySink): void {
  const start = table.mopStart[t];
  const end = table.mopStart[t + 1];
  for (let g = start; g < end; g++) {
    if (table.mopKind[g] !== MOP_READ) continue;
    const k = table.mopKey[g];
    const read = explain.mop(t, g)[2];
    const list = table.keyKind[k] === KEY_LIST;
    let previousRead = -1;
    let ownFrom = g;
    let ownDelete = -1;
    for (let h = g - 1; h >= start; h--) {
      if (table.mopKey[h] !== k || table.mopKind[h] === MOP_SCAN) continue;
      if (table.mopKind[h] === MOP_READ) { previousRead = h; break; }
      if (table.mopKind[h] === MOP_DELETE) { ownDelete = h; break; }
      ownFrom = h;
      if (!list) break; // a register read only has to show the last write
    }
    if (ownDelete >= 0) {
      // A deleted key is never written again by its deleter (the table rejects that), so only nil shows the delete.
      if (read !== null && read !== undefined) {
        sink.add('internal-inconsistency', () => ({ txns: [t], key: k, sentence: (n) => `${n(t)} deleted ${explain.key(k)} and then read ${explain.key(k)}=${showEdn(read)}, which does not show its own delete` }));
      }
      continue;
    }
    if (ownFrom < g) {
      const ownWrites = writesOf(table, explain, t, k, ownFrom, g);
      const seesOwn = list ? endsWith(asList(read), ownWrites) : valueEquals(read, ownWrites[ownWrites.length - 1]);
      if (!seesOwn) {
        notOwn(sink, explain, t, k, read, ownWrites, list);
        continue;
      }
      if (list && previousRead >= 0) {
        const before = asList(explain.mop(t, previousRead)[2]);
        const prefix = asList(read).slice(0, asList(read).length - ownWrites.length);
        if (!valueEquals(prefix, before)) fuzzy(sink, t, k, before, read, explain, true);
      }
    } else if (previousRead >= 0) {
      const before = explain.mop(t, previousRead)[2];
      const same = list ? valueEquals(asList(read), asList(before)) : valueEquals(read, before);
      if (!same) fuzzy(sink, t, k, before, read, explain, false);
    }
    const future = futureWrite(table, explain, t, g, k, read, list);
    if (future >= 0) futureRead(sink, explain, t, k, read, explain.mop(t, future)[2]);
  }
}

/** The values t wrote to key k among its micro-ops from..to-1. */
function writesOf(table: TxnTable, explain: Explainer, t: number, k: number, from: number, to: number): unknown[] {
  const out: unknown[] = [];
  for (let h = from; h < to; h++) {
    if (table.mopKey[h] === k && (table.mopKind[h] === MOP_WRITE || table.mopKind[h] === MOP_APPEND)) out.push(explain.mop(t, h)[2]);
  }
  return out;
}

function notOwn(sink: AnomalySink, explain: Explainer, t: number, k: number, read: unknown, ownWrites: unknown[], list: boolean): void {
  const wrote = list ? `appended ${ownWrites.map(showEdn).join(', ')} to` : `wrote ${showEdn(ownWrites[ownWrites.length - 1])} to`;
  sink.add('internal-inconsistency', () => ({ txns: [t], key: k, sentence: (n) => `${n(t)} ${wrote} ${explain.key(k)} and then read ${explain.key(k)}=${showEdn(read)}, which does not show its own write` }));
}

function fuzzy(sink: AnomalySink, t: number, k: number, before: unknown, after: unknown, explain: Explainer, ownBetween: boolean): void {
  const between = ownBetween ? 'with only its own appends in between, which do not explain the difference' : 'without writing it in between';
  sink.add('non-repeatable-read', () => ({ txns: [t], key: k, sentence: (n) => `${n(t)} read ${explain.key(k)}=${showEdn(before)} and later ${explain.key(k)}=${showEdn(after)}, ${between}` }));
}

/** The first later micro-op of t that writes a value the read at g already shows, or -1. */
function futureWrite(table: TxnTable, explain: Explainer, t: number, g: number, k: number, read: unknown, list: boolean): number {
  for (let h = g + 1; h < table.mopStart[t + 1]; h++) {
    const kind = table.mopKind[h];
    if (table.mopKey[h] !== k || (kind !== MOP_WRITE && kind !== MOP_APPEND)) continue;
    const value = explain.mop(t, h)[2];
    if (list ? contains(asList(read), value) : valueEquals(read, value)) return h;
  }
  return -1;
}

function futureRead(sink: AnomalySink, explain: Explainer, t: number, k: number, read: unknown, value: unknown): void {
  sink.add('future-read', () => ({ txns: [t], key: k, sentence: (n) => `${n(t)} read ${explain.key(k)}=${showEdn(read)}, which shows ${showEdn(value)}, a write ${n(t)} only makes later (a future read)` }));
}

function contains(list: readonly unknown[], value: unknown): boolean {
  for (const e of list) if (valueEquals(e, value)) return true;
  return false;
}

function asList(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

function endsWith(list: readonly unknown[], suffix: readonly unknown[]): boolean {
  if (suffix.length > list.length) return false;
  const offset = list.length - suffix.length;
  return suffix.every((e, i) => valueEquals(list[offset + i], e));
}
