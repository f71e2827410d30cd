import { checkSequentialSync } from '../consistency/sequential.js';
import type { Operation } from '../history/op.js';
import { checkSync } from '../linearizability/check.js';
import type { Counterexample } from '../linearizability/result.js';
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
export function exactSearch(ops: readonly Operation[], model: ExactModel, limits: ExactLimits): ExactOutcome {
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
