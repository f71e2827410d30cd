import { checkSequentialSync } from '../consistency/sequential.js';
import type { Operation } from '../history/op.js';
import { checkSync } from '../linearizability/check.js';
import type { Counterexample } from '../linearizability/result.js';
import { mopsOf, valueKey } from './micro-ops.js';
import { txnStoreModel } from './txn-model.js';

/** The models the exact search decides, and the order each keeps besides the data. */
export type ExactModel = 'serializable' | 'strong-session-serializable' | 'strict-serializable';

export interface ExactOutcome {
  model: ExactModel;
  outcome: 'ok' | 'illegal' | 'unknown';
  /** Why it is unknown. */
  cause?: string;
  /** For `illegal`: the shrunk counterexample (its witness cannot be ordered either). */
  counterexample?: Counterexample;
  steps: number;
  elapsedMs: number;
}

export interface ExactLimits {
  timeLimitMs: number;
  memoryLimitBytes: number;
}

/**
 * Decides one model exactly, whatever the version orders: is there one order of the committed
 * transactions (and of any of the indeterminate ones) in which every read sees the latest write
 * (`txnStoreModel`)? With no other constraint that is serializability; keeping each process's
 * order, strong session serializability (the sequential search); keeping real-time order,
 * strict serializability (linearizability: the WGL search). Both searches are the checker's own,
 * memoised and bounded: past the limits the answer is `unknown`, never a guess.
 */
export function exactSearch(operations: readonly Operation[], model: ExactModel, limits: ExactLimits): ExactOutcome {
  // Copies whose ids are positions (the witness names transactions by them). With no order to
  // keep, candidates are tried by completion rather than invocation: a store commits a
  // transaction between the two, and so a blind write is not tried long before its turn (where
  // it would overwrite a version some later read still needs, found only deep in the search).
  const tryAt = model === 'serializable' ? serialHints(operations) : undefined;
  const ops = operations.map((o, id) => ({ ...o, id, ...(tryAt !== undefined ? { call: tryAt[id] } : {}) }));
  const store = txnStoreModel(ops);
  const started = performance.now();
  const common = { timeLimitMs: Math.max(1, limits.timeLimitMs), memoryLimitBytes: limits.memoryLimitBytes, shrinkTimeMs: Math.min(1000, Math.max(100, limits.timeLimitMs / 4)) };
  const result = model === 'strict-serializable'
    ? checkSync(store, ops, common)
    : checkSequentialSync(store, ops, { ...common, order: model === 'serializable' ? 'none' : 'process' });
  const out: ExactOutcome = { model, outcome: result.outcome, steps: result.stats.steps, elapsedMs: Math.round((performance.now() - started) * 10) / 10 };
  if (result.cause !== undefined && result.outcome === 'unknown') out.cause = `exact search: ${result.cause.message}`;
  if (result.counterexample !== undefined) out.counterexample = result.counterexample;
  return out;
}

/**
 * Where the search for a serial order tries each transaction (its `call`, a preference only):
 * a completed one at its completion; an indeterminate one just before the first completed
 * transaction that reads one of its writes, or after everything when none does (it is optional:
 * placed only where a read needs it).
 */
function serialHints(operations: readonly Operation[]): Float64Array {
  const writerOf = new Map<string, number>();
  const tag = (k: unknown, v: unknown): string => `${typeof k}\u0000${String(valueKey(k))}\u0000${typeof v}\u0000${String(valueKey(v))}`;
  operations.forEach((o, i) => {
    if (o.status !== 'info') return;
    for (const m of mopsOf(o) as unknown[][]) if (Array.isArray(m) && (m[0] === 'w' || m[0] === 'append')) writerOf.set(tag(m[1], m[2]), i);
  });
  let last = 0;
  for (const o of operations) if (Number.isFinite(o.ret)) last = Math.max(last, o.ret);
  const at = Float64Array.from(operations, (o, i) => (Number.isFinite(o.ret) ? o.ret : last + 1 + i));
  if (writerOf.size === 0) return at;
  for (const o of operations) {
    if (o.status !== 'ok') continue;
    for (const m of mopsOf(o) as unknown[][]) {
      if (!Array.isArray(m) || m[0] !== 'r') continue;
      for (const v of Array.isArray(m[2]) ? m[2] : [m[2]]) {
        const w = writerOf.get(tag(m[1], v));
        // Observed: it took effect before this read.
        if (w !== undefined && o.ret - 0.5 < at[w]) at[w] = o.ret - 0.5 + w * 1e-9;
      }
    }
  }
  return at;
}
