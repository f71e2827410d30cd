import type { Operation } from '../history/op.js';

/** Porcupine's three answers. `unknown` is never a pass: it carries its cause. */
export type CheckOutcome = 'ok' | 'illegal' | 'unknown';

export type UnknownCause = 'time-limit' | 'memory-limit' | 'cancelled';

/** An operation as reports show it: JSON-safe (an open completion is `null`). */
export interface OperationView {
  /** Dense id of the operation in the checked history. */
  id: number;
  process: number | string;
  f: string;
  input: unknown;
  output: unknown;
  status: Operation['status'];
  /** History index of the invocation and of the completion (`null`: still open at the end). */
  call: number;
  ret: number | null;
  /** A short human description, in the model's words. */
  description: string;
}

export interface StepView {
  op: OperationView;
  /** The model state after the operation, rendered by the model. */
  state: string;
}

export interface FinalPath {
  steps: StepView[];
  blocked: OperationView;
  attempts: { op: OperationView; reason: string }[];
}

export interface Counterexample {
  /** The partition (key) that is not linearizable; `""` for an unpartitioned history. */
  partition: string;
  initialState: string;
  /** The longest linearizable prefix found: only its last steps when it is long (`prefixLength` counts them all). */
  prefix: StepView[];
  prefixLength: number;
  /** The operation that cannot follow that prefix. */
  blocked: OperationView;
  /** Why each candidate could not go next, along a bounded set of paths to the deepest point. */
  finalPaths: FinalPath[];
  /**
   * The history shrunk (delta debugging) to the few operations that still cannot be linearized,
   * in invocation order. `minimal` is false when the shrinking budget ran out first.
   */
  witness: { operations: OperationView[]; minimal: boolean; explanation: string };
}

export interface PartitionResult {
  key: string;
  outcome: CheckOutcome;
  operations: number;
  steps: number;
  cacheEntries: number;
  elapsedMs: number;
  cause?: UnknownCause;
}

export interface LinearizabilityResult {
  outcome: CheckOutcome;
  model: string;
  /** Operations checked after dropping those that cannot matter (failed, unknown reads). */
  operations: number;
  partitions: PartitionResult[];
  cause?: { kind: UnknownCause; message: string };
  counterexample?: Counterexample;
  stats: { steps: number; elapsedMs: number; cacheEntries: number; peakCacheBytes: number; threads: number };
}
