/**
 * Small transactional histories for the isolation tests, written as lists of transactions.
 * Micro-ops are given as completed (reads with their results); the invocation gets the same
 * micro-ops with reads blanked to nil, as Jepsen records them.
 */
import { historyFromOps, type History, type Op } from '../../src/index.js';

export type MicroOp = [string, unknown, unknown];

export interface TxnSpec {
  mops: MicroOp[];
  /** Completion type (default ok). */
  type?: 'ok' | 'fail' | 'info';
  /** Process (default: a process of its own, so no process order links it to others). */
  process?: number;
  phase?: string;
}

type Raw = Omit<Op, 'index'>;

export const r = (k: unknown, v: unknown): MicroOp => ['r', k, v];
export const w = (k: unknown, v: unknown): MicroOp => ['w', k, v];
export const a = (k: unknown, v: unknown): MicroOp => ['append', k, v];
export const scan = (lo: unknown, hi: unknown, keys: unknown[]): MicroOp => ['scan', [lo, hi], keys];
/** A delete of key k (the key existed and the transaction removed it). */
export const del = (k: unknown): MicroOp => ['delete', k, null];

export const ok = (...mops: MicroOp[]): TxnSpec => ({ mops });
export const failed = (...mops: MicroOp[]): TxnSpec => ({ mops, type: 'fail' });
export const info = (...mops: MicroOp[]): TxnSpec => ({ mops, type: 'info' });

function blank(mops: MicroOp[]): MicroOp[] {
  return mops.map(([f, k, v]) => (f === 'r' || f === 'scan' ? [f, k, null] : [f, k, v]));
}

function invoke(spec: TxnSpec, i: number): Raw {
  const op: Raw = { process: spec.process ?? i, type: 'invoke', f: 'txn', value: blank(spec.mops) };
  if (spec.phase !== undefined) op.phase = spec.phase;
  return op;
}

function complete(spec: TxnSpec, i: number): Raw {
  const type = spec.type ?? 'ok';
  const op: Raw = { process: spec.process ?? i, type, f: 'txn', value: type === 'ok' ? spec.mops : blank(spec.mops) };
  if (spec.phase !== undefined) op.phase = spec.phase;
  return op;
}

/** One after another: each transaction completes before the next is invoked (real-time order is the list order). */
export function serial(...txns: TxnSpec[]): History {
  return historyFromOps(txns.flatMap((t, i) => [invoke(t, i), complete(t, i)]));
}

/** All at once: every transaction is invoked before any completes (no real-time order). */
export function concurrent(...txns: TxnSpec[]): History {
  return historyFromOps([...txns.map(invoke), ...txns.map(complete)]);
}

/** Ops given as a schedule: `['i', n]` invokes transaction n, `['c', n]` completes it. */
export function scheduled(txns: TxnSpec[], schedule: ['i' | 'c', number][]): History {
  return historyFromOps(schedule.map(([what, n]) => (what === 'i' ? invoke(txns[n], n) : complete(txns[n], n))));
}
