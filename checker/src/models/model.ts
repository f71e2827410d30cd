import type { Operation } from '../history/op.js';

/**
 * The result of a step that no state can explain: the operation cannot take effect here.
 * The reason may be given as a function: the search tries many steps that fail and reads
 * the reason of only a few, so formatting it eagerly would be wasted work on the hot path.
 */
export class Inconsistent {
  readonly inconsistent = true;
  private why: string | ((a: any, b: any, c: any, d: any) => string);
  // The parts a wording function is given (see `refused`), dropped once worded.
  private a: unknown;
  private b: unknown;
  private c: unknown;
  private d: unknown;

  constructor(why: string | ((a: any, b: any, c: any, d: any) => string), a?: unknown, b?: unknown, c?: unknown, d?: unknown) {
    this.why = why;
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }

  /** One plain sentence: why this operation cannot follow this state. */
  get reason(): string {
    if (typeof this.why === 'function') {
      this.why = this.why(this.a, this.b, this.c, this.d);
      this.a = this.b = this.c = this.d = undefined;
    }
    return this.why;
  }
}

/**
 * A refusal worded from its parts only if read: `word` is a function of module scope, so the
 * step allocates this one object rather than a closure, its captured context and this object
 * (the search refuses far more steps than any report shows).
 */
export function refused<A, B, C, D>(word: (a: A, b: B, c: C, d: D) => string, a: A, b: B, c?: C, d?: D): Inconsistent {
  return new Inconsistent(word, a, b, c, d);
}

export function inconsistent(reason: string | (() => string)): Inconsistent {
  return new Inconsistent(reason);
}

export function isInconsistent(x: unknown): x is Inconsistent {
  return x instanceof Inconsistent;
}

/** One independent part of a history (P-compositionality), checked on its own. */
export interface Partition {
  /** A name a person can read, such as the key. */
  key: string;
  operations: Operation[];
  /** The model the part is checked against; the parent model when absent. */
  model?: Model<any>;
}

/** How to rebuild a model in another thread or process: its registry name and initial state. */
export interface ModelSpec {
  name: string;
  init?: unknown;
}

/**
 * A sequential specification, as pure functions (Porcupine's Model, Knossos's step).
 * `step` never mutates `state`; it returns the next state or `inconsistent(reason)`.
 * Operations whose outcome is unknown (`status: 'info'`, `output: undefined`) must be accepted
 * whenever the operation could have run, so that an indeterminate operation is never a false alarm.
 */
export interface Model<S = unknown> {
  readonly name: string;
  /** Present on models built by `createModel`: lets the checker rebuild it on worker threads. */
  readonly spec?: ModelSpec;
  init(): S;
  step(state: S, op: Operation): S | Inconsistent;
  /** State equality; defaults to deep equality of JSON-like values. */
  equal?(a: S, b: S): boolean;
  /** 32-bit state hash consistent with `equal`; defaults to a hash of the JSON-like value. */
  hash?(state: S): number;
  /**
   * For histories that also hold operations only the model's invariants judge (ZooKeeper's
   * guarantee clients): whether the model reads operations of this f. The others are left out of
   * linearizability and the consistency levels, their ids and indices unchanged. Absent: all.
   */
  judges?(f: string): boolean;
  /** Split a history into independent parts; absent means one part. */
  partition?(operations: readonly Operation[]): Partition[];
  /**
   * How `fail` completions read: `drop` (Knossos, Jepsen: it certainly did not happen) or
   * `observe` (Porcupine's etcd reading: it ran, observed the state, and changed nothing).
   */
  readonly failed?: 'drop' | 'observe';
  /** Why the model cannot read this operation (wrong f or value shape), or undefined when it can. */
  validate?(op: Operation): string | undefined;
  /** True when the operation never changes the state: such ops with unknown outcome are dropped. */
  isReadOnly?(op: Operation): boolean;
  /**
   * True when `step` reads only an operation's f, input, output and status (never its process,
   * times or id). Two operations with equal f, input, output and status then step alike, and the
   * search takes one called and returned before the other first (see twins.ts). Absent: false.
   */
  readonly stepsByValue?: boolean;
  describeOperation?(op: Operation): string;
  describeState?(state: S): string;
  /**
   * What an operation writes and what it can observe, for shrinking counterexamples soundly: a
   * write that no remaining operation could observe may be dropped from an illegal history
   * without inventing a violation. Absent: writes are only ever weakened, never dropped.
   */
  readonly footprint?: Footprint;
}

export interface Footprint {
  /** The value the op may put in the state (any encoding the model likes), or undefined. */
  written(op: Operation): unknown;
  /** Could `op`'s outcome depend on a state that holds `written`? When unsure, true. */
  observes(op: Operation, written: unknown): boolean;
}

/** A model with every optional behaviour filled in: what the search uses. */
export interface CompleteModel<S = unknown> extends Model<S> {
  equal(a: S, b: S): boolean;
  hash(state: S): number;
  readonly failed: 'drop' | 'observe';
  isReadOnly(op: Operation): boolean;
  readonly stepsByValue: boolean;
  validate(op: Operation): string | undefined;
  describeOperation(op: Operation): string;
  describeState(state: S): string;
}
