/**
 * A tiny read-committed store, as lock-based databases build it (Gray's degree 2): transactions
 * interleave micro-op by micro-op; a read sees the latest committed state (plus the
 * transaction's own buffered writes), never another transaction's uncommitted writes, and there
 * is no snapshot, so a later read may see more. A write takes the key's write lock until commit
 * (a transaction that would wait on a deadlock is aborted); writes are installed atomically at
 * commit; an aborted transaction installs nothing. It allows fuzzy reads, lost updates, write
 * skew and phantoms, never G0 or G1. (Without write locks, a blind append buffered until commit
 * lands after appends committed meanwhile, and the transaction's own read of it showed a list
 * state that never existed: Elle's version model rightly calls that an incompatible order.)
 */
import fc from 'fast-check';
import { historyFromOps, type History, type Op } from '../../src/index.js';
import type { MicroOp } from './isolation-histories.js';
import { plannedTxn, type PlannedTxn } from './isolation-serial-store.js';

interface Running {
  i: number;
  step: number;
  lists: Map<number, number[]>;
  registers: Map<string, number>;
  invoke: MicroOp[];
  complete: MicroOp[];
}

/** Runs the transactions concurrently; `picks` choose which running transaction steps next. */
export function runReadCommitted(txns: readonly PlannedTxn[], picks: readonly number[], concurrency: number): History {
  const lists = new Map<number, number[]>();
  const registers = new Map<string, number>();
  const ops: Omit<Op, 'index'>[] = [];
  const running: Running[] = [];
  let started = 0;
  let next = 1;
  let pick = 0;
  const locks = new Map<number | string, number>();
  const release = (i: number): void => { for (const [k, holder] of locks) if (holder === i) locks.delete(k); };
  const blocked = (t: Running): boolean => {
    const m = txns[t.i].mops[t.step];
    if (m === undefined || m.f === 'scan' || m.f === 'r') return false;
    const holder = locks.get(m.key);
    return holder !== undefined && holder !== t.i;
  };
  const begin = (i: number): void => {
    const invoke = txns[i].mops.map((m): MicroOp => (m.f === 'scan' ? ['scan', [m.lo, m.hi], null] : m.f === 'r' ? ['r', m.key, null] : [m.f, m.key, next++]));
    ops.push({ process: i, type: 'invoke', f: 'txn', value: invoke });
    running.push({ i, step: 0, lists: new Map(), registers: new Map(), invoke, complete: [] });
  };
  while (started < txns.length || running.length > 0) {
    if (started < txns.length && (running.length < concurrency)) begin(started++);
    const first = (picks[pick++ % Math.max(1, picks.length)] ?? 0) % running.length;
    let at = first;
    while (blocked(running[at]) && (at = (at + 1) % running.length) !== first);
    const t = running[at];
    const txn = txns[t.i];
    if (blocked(t)) {
      // Everyone waits on someone: abort this one.
      running.splice(at, 1);
      release(t.i);
      ops.push({ process: t.i, type: 'fail', f: 'txn', value: t.invoke });
      continue;
    }
    if (t.step < txn.mops.length) {
      const m = txn.mops[t.step];
      const planned = t.invoke[t.step];
      if (m.f === 'scan') {
        const keys = [...new Set([...lists.keys(), ...t.lists.keys()])]
          .filter((k) => k >= m.lo && k <= m.hi && ((lists.get(k)?.length ?? 0) + (t.lists.get(k)?.length ?? 0)) > 0)
          .sort((a, b) => a - b);
        t.complete.push(['scan', [m.lo, m.hi], keys]);
      } else if (m.f === 'r') {
        const value = typeof m.key === 'number'
          ? [...(lists.get(m.key) ?? []), ...(t.lists.get(m.key) ?? [])]
          : (t.registers.get(m.key) ?? registers.get(m.key) ?? null);
        t.complete.push(['r', m.key, value]);
      } else {
        const v = planned[2] as number;
        locks.set(m.key, t.i);
        if (m.f === 'append') t.lists.set(m.key as number, [...(t.lists.get(m.key as number) ?? []), v]);
        else t.registers.set(m.key as string, v);
        t.complete.push(planned);
      }
      t.step++;
      continue;
    }
    running.splice(at, 1);
    release(t.i);
    const install = txn.outcome === 'ok' || txn.outcome === 'info-applied';
    if (install) {
      for (const [k, appended] of t.lists) lists.set(k, [...(lists.get(k) ?? []), ...appended]);
      for (const [k, v] of t.registers) registers.set(k, v);
    }
    const type = txn.outcome === 'ok' ? 'ok' : txn.outcome === 'fail' ? 'fail' : 'info';
    ops.push({ process: t.i, type, f: 'txn', value: type === 'ok' ? t.complete : t.invoke });
  }
  return historyFromOps(ops);
}

export const readCommittedRun = fc.record({
  txns: fc.array(plannedTxn, { minLength: 2, maxLength: 16 }),
  picks: fc.array(fc.nat(1000), { minLength: 1, maxLength: 200 }),
  concurrency: fc.integer({ min: 2, max: 5 }),
});
