import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkIsolation, historyFromOps, type Op } from '@verdict/checker';
import type { ClientOp } from '../src/sim/client-driver.js';
import { predicateWorkload } from '../src/workloads/predicate-workload.js';

const drain = (ops: number, seed: number, deletePercent?: number): ClientOp[] => {
  const w = predicateWorkload({ ops, seed, ...(deletePercent !== undefined ? { deletePercent } : {}) });
  const out: ClientOp[] = [];
  for (let op = w.next(); op !== undefined; op = w.next()) out.push(op);
  return out;
};

type Mop = [string, unknown, unknown];

/**
 * Runs the transactions one at a time in `order` against a table of keys, as the SQL workload
 * does: a transaction the database refuses (`refused`) or whose delete finds no row rolls back
 * and fails; the rest commit. Invocations and completions follow the order (strict serial).
 */
function executeSerially(ops: readonly ClientOp[], order: readonly number[], refused: ReadonlySet<number>): Op[] {
  const rows = new Set<number>();
  const events: Omit<Op, 'index'>[] = [];
  for (const i of order) {
    const mine = new Set(rows);
    const done: Mop[] = [];
    let failed = refused.has(i);
    for (const [f, k, v] of ops[i].value as Mop[]) {
      if (failed) break;
      if (f === 'scan') {
        const [lo, hi] = k as [number, number];
        done.push(['scan', [lo, hi], [...mine].filter((x) => x >= lo && x <= hi).sort((a, b) => a - b)]);
      } else if (f === 'w') {
        mine.add(k as number);
        done.push([f, k, v]);
      } else if (f === 'delete') {
        if (!mine.delete(k as number)) failed = true;
        done.push([f, k, null]);
      } else {
        throw new Error(`unexpected micro-op ${f}`);
      }
    }
    if (!failed) for (const k of [...rows]) if (!mine.has(k)) rows.delete(k);
    if (!failed) for (const k of mine) rows.add(k);
    events.push({ process: i % 5, type: 'invoke', f: 'txn', value: ops[i].value });
    events.push({ process: i % 5, type: failed ? 'fail' : 'ok', f: 'txn', value: failed ? ops[i].value : done });
  }
  return events as Op[];
}

describe('predicate workload', () => {
  it('is the same stream for the same seed', () => {
    expect(drain(300, 4)).toEqual(drain(300, 4));
    expect(drain(300, 4)).not.toEqual(drain(300, 5));
  });

  it('scans ranges, inserts each key once and deletes each key at most once, only keys earlier transactions inserted in the range scanned', () => {
    const ops = drain(2_000, 9);
    const insertedAt = new Map<number, number>();
    const deleted = new Set<number>();
    let withDelete = 0;
    ops.forEach((op, i) => {
      const mops = op.value as Mop[];
      expect(mops[0][0]).toBe('scan');
      const [lo, hi] = mops[0][1] as [number, number];
      for (const [f, k] of mops) {
        if (f === 'w') {
          expect(insertedAt.has(k as number)).toBe(false);
          insertedAt.set(k as number, i);
        } else if (f === 'delete') {
          withDelete++;
          expect(deleted.has(k as number)).toBe(false);
          deleted.add(k as number);
          expect(insertedAt.get(k as number)).toBeLessThan(i);
          expect(k as number).toBeGreaterThanOrEqual(lo);
          expect(k as number).toBeLessThanOrEqual(hi);
        }
      }
    });
    // About 30% of transactions (fewer early in a range, when nothing is there to delete yet).
    expect(withDelete / ops.length).toBeGreaterThan(0.15);
    expect(withDelete / ops.length).toBeLessThan(0.35);
    expect(drain(500, 9, 0).some((op) => (op.value as Mop[]).some((m) => m[0] === 'delete'))).toBe(false);
  });

  it('run serially, in any nearby order and with transactions refused, its history is strict serializable with nothing flagged', () => {
    const deletes = { ok: 0, fail: 0 };
    fc.assert(fc.property(fc.nat(1_000_000), fc.array(fc.nat(6), { minLength: 60, maxLength: 60 }), fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }), (seed, shifts, refusals) => {
      const ops = drain(60, seed);
      // Transactions run a few places from where they were generated: some deletes come before their insert.
      const order = ops.map((_, i) => i).sort((a, b) => a + shifts[a] - (b + shifts[b]) || a - b);
      const refused = new Set(refusals.flatMap((r, i) => (r && i % 4 === 0 ? [i] : [])));
      const history = historyFromOps(executeSerially(ops, order, refused));
      for (const o of history.operations) if ((o.input as Mop[]).some((m) => m[0] === 'delete')) deletes[o.status === 'ok' ? 'ok' : 'fail']++;
      const result = checkIsolation(history);
      expect(result.anomalies.map((a) => a.sentence)).toEqual([]);
      expect(result.strongest).toBe('strict-serializable');
      expect(result.valid).toBe(true);
    }), { numRuns: 60 });
    // Both kinds happened: deletes that committed, and deletes that found nothing (or were refused).
    expect(deletes.ok).toBeGreaterThan(100);
    expect(deletes.fail).toBeGreaterThan(10);
  });
});
