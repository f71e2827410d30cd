/**
 * Transaction isolation: Adya's anomalies as Elle finds them, and the strongest level that holds.
 * Levels, strongest first: strict-serializable ⊃ serializable ⊃ snapshot-isolation and
 * repeatable-read ⊃ read-committed ⊃ read-uncommitted.
 */
export type IsolationLevel =
  | 'strict-serializable'
  | 'serializable'
  | 'snapshot-isolation'
  | 'repeatable-read'
  | 'read-committed'
  | 'read-uncommitted';

export type AnomalyType =
  | 'G0'
  | 'G1a'
  | 'G1b'
  | 'G1c'
  | 'G-single'
  | 'G2-item'
  | 'G2'
  | 'lost-update'
  | 'non-repeatable-read'
  | 'phantom-read'
  | 'internal-inconsistency'
  | 'duplicate-value'
  | 'impossible-value'
  | 'non-atomic-commit'
  | 'G-nonadjacent'
  | 'incompatible-order'
  | 'lost-write'
  | (string & {});

/** `wrp`/`rwp`: the predicate (scan) forms of `wr`/`rw`. */
export type DependencyKind = 'ww' | 'wr' | 'rw' | 'wrp' | 'rwp' | 'realtime' | 'process';

export interface TransactionView {
  /** A short name used in sentences: T1, T2... */
  name: string;
  /** History index of the invocation and of the completion (null when open). */
  call: number;
  ret: number | null;
  process: number | string;
  status: 'ok' | 'fail' | 'info';
  /** The micro-ops as completed (reads carry their results). */
  ops: unknown[];
}

export interface DependencyEdge {
  from: string;
  to: string;
  kind: DependencyKind;
  /** The key the dependency is on, when there is one. */
  key?: unknown;
  /**
   * The value written that the dependency is about, when there is one: ww the later write (`to`'s),
   * wr the write `to` read (`from`'s), rw the write `from` did not see (`to`'s); for the predicate
   * forms, the write that put the key in (or out of) the scan. For drawing edges labelled with it.
   */
  value?: unknown;
  /** Why the edge exists, in a few words. */
  why?: string;
}

export interface Anomaly {
  type: AnomalyType;
  /** The levels this anomaly rules out. */
  rulesOut: IsolationLevel[];
  transactions: TransactionView[];
  edges: DependencyEdge[];
  /** One plain sentence, e.g. "T2 read x=3, which T1 wrote and then aborted". */
  sentence: string;
  /** The key the anomaly is about, when it concerns one. */
  key?: unknown;
}

/** Options of `checkIsolation`. */
export interface IsolationOptions {
  /** Budget for the typed cycle searches, in ms (default 5000). A search cut short is `unknown`. */
  timeLimitMs?: number;
  /** Budget for the typed cycle searches in BFS steps (default unbounded); deterministic, for tests. */
  searchStepsMax?: number;
  /** Add real-time edges and check strict serializability (default true). */
  realtime?: boolean;
  /** Add process (session) edges (default true). */
  process?: boolean;
  /** The level `valid` is judged against (default strict-serializable, or serializable without realtime). */
  expected?: IsolationLevel;
  /** At most this many anomalies of one type are listed (default 8); `anomalyCounts` has them all. */
  anomaliesPerTypeMax?: number;
}

export interface IsolationResult {
  transactions: number;
  anomalies: Anomaly[];
  /** Anomaly searches cut short by the budget: that anomaly is unknown, not absent. */
  unknown: { type: AnomalyType; cause: string }[];
  /** Per level: holds, violated (with the anomaly types that rule it out) or unknown. */
  levels: { level: IsolationLevel; status: 'holds' | 'violated' | 'unknown'; ruledOutBy?: AnomalyType[]; cause?: string }[];
  /** The strongest level that holds; `none` when even read-uncommitted does not. */
  strongest: IsolationLevel | 'none';
  /**
   * Every level that holds while no stronger one does: snapshot isolation and repeatable read
   * are incomparable, so both can be maximal; `strongest` names the first of them.
   */
  maximal?: IsolationLevel[];
  /** Whether `expected` holds: false when violated, `unknown` when it could not be decided. */
  valid?: boolean | 'unknown';
  expected?: IsolationLevel;
  /** How many anomalies of each type were found (the list is capped per type). */
  anomalyCounts?: Record<string, number>;
  stats?: Record<string, number>;
}
