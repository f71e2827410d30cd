/**
 * Serial executions with deletes, for the property tests: random transactions of range scans,
 * item reads, inserts of fresh keys and deletes of present keys run one at a time against an
 * in-memory table, as the predicate workload runs against a database. Each key is inserted at
 * most once (a counter hands out fresh keys, even to transactions that fail) and deleted at most
 * once (a key whose delete was tried, even by a failed transaction, is never deleted again).
 */
import fc from 'fast-check';
import type { MicroOp } from './isolation-histories.js';
import type { PlannedTxn } from './isolation-serial-store.js';

const KEYS_MAX = 12;

export type RowMop = { f: 'scan'; lo: number; width: number } | { f: 'r'; key: number } | { f: 'insert' } | { f: 'delete'; pick: number };

export interface RowTxn {
  mops: RowMop[];
  outcome: PlannedTxn['outcome'];
}

const rowMop: fc.Arbitrary<RowMop> = fc.oneof(
  fc.record({ f: fc.constant<'scan'>('scan'), lo: fc.nat(KEYS_MAX - 1), width: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ f: fc.constant<'r'>('r'), key: fc.nat(KEYS_MAX - 1) }),
  fc.record({ f: fc.constant<'insert'>('insert') }),
  fc.record({ f: fc.constant<'delete'>('delete'), pick: fc.nat() }),
);

export const rowTxn: fc.Arbitrary<RowTxn> = fc.record({
  mops: fc.array(rowMop, { minLength: 1, maxLength: 5 }),
  outcome: fc.constantFrom<RowTxn['outcome']>('ok', 'ok', 'ok', 'ok', 'fail', 'info-applied', 'info-lost'),
});

export interface ExecutedRows {
  invoke: MicroOp[];
  complete: MicroOp[];
  outcome: RowTxn['outcome'];
}

/** Runs the transactions in `order`, each alone, and records what each micro-op saw. */
export function runRowsSerially(txns: readonly RowTxn[], order: readonly number[]): ExecutedRows[] {
  const rows = new Map<number, number>();
  const deleteTried = new Set<number>();
  let nextKey = 0;
  const out = new Array<ExecutedRows>(txns.length);
  for (const i of order) {
    const txn = txns[i];
    const mine = new Map(rows);
    const invoke: MicroOp[] = [];
    const complete: MicroOp[] = [];
    for (const m of txn.mops) {
      if (m.f === 'scan') {
        const hi = m.lo + m.width - 1;
        invoke.push(['scan', [m.lo, hi], null]);
        complete.push(['scan', [m.lo, hi], [...mine.keys()].filter((k) => k >= m.lo && k <= hi).sort((a, b) => a - b)]);
      } else if (m.f === 'r') {
        invoke.push(['r', m.key, null]);
        complete.push(['r', m.key, mine.get(m.key) ?? null]);
      } else if (m.f === 'insert') {
        if (nextKey >= KEYS_MAX) continue;
        const k = nextKey++;
        mine.set(k, 100 + k);
        invoke.push(['w', k, 100 + k]);
        complete.push(['w', k, 100 + k]);
      } else {
        // Only a key another transaction inserted: a deleted key has one writer, never its deleter.
        const candidates = [...mine.keys()].filter((k) => rows.has(k) && !deleteTried.has(k));
        if (candidates.length === 0) continue;
        const k = candidates[m.pick % candidates.length];
        deleteTried.add(k);
        mine.delete(k);
        invoke.push(['delete', k, null]);
        complete.push(['delete', k, null]);
      }
    }
    if (txn.outcome === 'ok' || txn.outcome === 'info-applied') {
      rows.clear();
      for (const [k, v] of mine) rows.set(k, v);
    }
    out[i] = { invoke, complete, outcome: txn.outcome };
  }
  return out;
}
