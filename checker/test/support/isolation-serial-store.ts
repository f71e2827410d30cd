/**
 * Serial executions for the isolation property tests: random transactions run one at a time,
 * in a chosen order, against an in-memory store of list keys (numbers, so scans can range over
 * them) and register keys (strings). The history then places invocations and completions
 * either anywhere (serializable, nothing more) or around each transaction's execution point
 * (strict serializable).
 */
import fc from 'fast-check';
import { historyFromOps, type History, type Op } from '../../src/index.js';
import type { MicroOp } from './isolation-histories.js';

const LIST_KEYS = 5;
const REGISTER_KEYS = ['r0', 'r1', 'r2'];

export type PlannedMop = { f: 'r' | 'append' | 'w'; key: number | string } | { f: 'scan'; lo: number; hi: number };

export interface PlannedTxn {
  mops: PlannedMop[];
  outcome: 'ok' | 'fail' | 'info-applied' | 'info-lost';
  phase?: string;
}

/** A final read (`phase: "final"`) of every key, as the simulations take after faults heal. */
export const FINAL_READ: PlannedTxn = {
  mops: [...Array.from({ length: LIST_KEYS }, (_, k): PlannedMop => ({ f: 'r', key: k })), ...REGISTER_KEYS.map((key): PlannedMop => ({ f: 'r', key }))],
  outcome: 'ok',
  phase: 'final',
};


export const plannedMop: fc.Arbitrary<PlannedMop> = fc.oneof(
  fc.record({ f: fc.constantFrom<'r' | 'append'>('r', 'append'), key: fc.integer({ min: 0, max: LIST_KEYS - 1 }) }),
  fc.record({ f: fc.constantFrom<'r' | 'w'>('r', 'w'), key: fc.constantFrom(...REGISTER_KEYS) }),
  fc.integer({ min: 0, max: LIST_KEYS - 1 }).chain((lo) => fc.record({ f: fc.constant<'scan'>('scan'), lo: fc.constant(lo), hi: fc.integer({ min: lo, max: LIST_KEYS }) })),
);

export const plannedTxn: fc.Arbitrary<PlannedTxn> = fc.record({
  mops: fc.array(plannedMop, { minLength: 1, maxLength: 5 }),
  outcome: fc.constantFrom<PlannedTxn['outcome']>('ok', 'ok', 'ok', 'ok', 'fail', 'info-applied', 'info-lost'),
});

interface Executed {
  invoke: MicroOp[];
  complete: MicroOp[];
  outcome: PlannedTxn['outcome'];
  phase?: string;
}

/** Runs the transactions in `order`, each alone, and records what each micro-op saw. */
export function runSerially(txns: readonly PlannedTxn[], order: readonly number[]): Executed[] {
  const lists = new Map<number, number[]>();
  const registers = new Map<string, number>();
  let next = 1;
  const out = new Array<Executed>(txns.length);
  for (const i of order) {
    const txn = txns[i];
    const applied = txn.outcome === 'ok' || txn.outcome === 'info-applied';
    const myLists = new Map([...lists].map(([k, v]) => [k, [...v]]));
    const myRegisters = new Map(registers);
    const invoke: MicroOp[] = [];
    const complete: MicroOp[] = [];
    for (const m of txn.mops) {
      if (m.f === 'scan') {
        const keys = [...myLists.entries()].filter(([k, v]) => k >= m.lo && k <= m.hi && v.length > 0).map(([k]) => k).sort((a, b) => a - b);
        invoke.push(['scan', [m.lo, m.hi], null]);
        complete.push(['scan', [m.lo, m.hi], keys]);
      } else if (m.f === 'r') {
        const value = typeof m.key === 'number' ? [...(myLists.get(m.key) ?? [])] : (myRegisters.get(m.key) ?? null);
        invoke.push(['r', m.key, null]);
        complete.push(['r', m.key, value]);
      } else {
        const v = next++;
        if (m.f === 'append') myLists.set(m.key as number, [...(myLists.get(m.key as number) ?? []), v]);
        else myRegisters.set(m.key as string, v);
        invoke.push([m.f, m.key, v]);
        complete.push([m.f, m.key, v]);
      }
    }
    if (applied) {
      for (const [k, v] of myLists) lists.set(k, v);
      for (const [k, v] of myRegisters) registers.set(k, v);
    }
    out[i] = { invoke, complete, outcome: txn.outcome };
    if (txn.phase !== undefined) out[i].phase = txn.phase;
  }
  return out;
}

/**
 * A history of executed transactions: `spans[i]` is [invoke time, completion time] of
 * transaction i (times need only be distinct); info transactions get an info completion.
 */
export function historyOf(executed: readonly Executed[], spans: readonly [number, number][]): History {
  const events: { at: number; op: Omit<Op, 'index'> }[] = [];
  executed.forEach((e, i) => {
    const [start, end] = spans[i];
    const phase = e.phase === undefined ? {} : { phase: e.phase };
    events.push({ at: start, op: { process: i, type: 'invoke', f: 'txn', value: e.invoke, ...phase } });
    const type = e.outcome === 'ok' ? 'ok' : e.outcome === 'fail' ? 'fail' : 'info';
    events.push({ at: end, op: { process: i, type, f: 'txn', value: type === 'ok' ? e.complete : e.invoke, ...phase } });
  });
  events.sort((a, b) => a.at - b.at);
  return historyFromOps(events.map((e) => e.op));
}

/**
 * Real-time spans for a serial execution in `order`: transaction i takes effect at a point of its
 * own (rank × 50 + 25) and its span stretches `widths[i]` either side, so spans overlap freely but
 * each still contains its effect point (strict serializability by construction).
 */
export function spansAroundEffects(order: readonly number[], widths: readonly (readonly [number, number])[]): [number, number][] {
  const spans: [number, number][] = new Array(order.length);
  order.forEach((i, rank) => {
    const at = rank * 50 + 25;
    spans[i] = [at - widths[i]![0] - i / 1000, at + widths[i]![1] + i / 1000];
  });
  return spans;
}
