import type { LinearizabilityResult, OperationView } from '../linearizability/result.js';

/**
 * The consistency lattice, strongest first: strong (linearizable) ⊃ sequential ⊃ session ⊃
 * eventual ⊃ none; per-user (`user`) sits beside `session` (the seed's 用户一致性).
 */
export type ConsistencyLevel = 'strong' | 'sequential' | 'session' | 'user' | 'eventual';

export const CONSISTENCY_LEVELS: readonly ConsistencyLevel[] = ['strong', 'sequential', 'session', 'user', 'eventual'];

/**
 * `holds`, `violated` (with witnesses), `unknown` (with its cause: a budget ran out, the data is
 * ambiguous) or `not-applicable` (with its reason: the history cannot show this level at all,
 * such as convergence without final reads). `unknown` is never a pass; `not-applicable` is no
 * pass either, but it does not make the verdict on the levels that were judged unknown.
 */
export type LevelStatus = 'holds' | 'violated' | 'unknown' | 'not-applicable';

/** The session guarantees (Terry et al.), checked per session and per user. */
export type SessionGuarantee = 'read-your-writes' | 'monotonic-reads' | 'monotonic-writes' | 'writes-follow-reads';

export const SESSION_GUARANTEES: readonly SessionGuarantee[] = ['read-your-writes', 'monotonic-reads', 'monotonic-writes', 'writes-follow-reads'];

/** One broken promise: the few operations that show it and one plain sentence. */
export interface Violation {
  /** What was broken: a session guarantee, `linearizability`, `sequential`, `convergence`, `lost-write`, `invented-value`... */
  kind: string;
  /** The session or user it concerns, when it concerns one. */
  scope?: string;
  sentence: string;
  operations: OperationView[];
}

export interface LevelResult {
  level: ConsistencyLevel;
  status: LevelStatus;
  /** Present when violated: a bounded list of witnesses. */
  violations?: Violation[];
  /** Present when unknown or not applicable: why (a limit; missing data such as no final reads). */
  cause?: string;
  /** Level-specific figures: per-guarantee results, convergence time, counts. */
  details?: Record<string, unknown>;
}

export interface LevelsResult {
  levels: LevelResult[];
  /** The strongest level that holds; `none` when even eventual does not. */
  strongest: ConsistencyLevel | 'none';
  /**
   * Why a level that holds on its own was not named strongest (a weaker level it implies is
   * violated), and other remarks a reader of the verdict needs. Absent when there are none.
   */
  notes?: string[];
  /** The full linearizability result behind `strong`, when it was checked. */
  linearizability?: LinearizabilityResult;
}

/**
 * One session guarantee over all sessions (or all users): `holds`, `violated` with witnesses, or
 * `unknown` when the only contradictions found involve values written more than once (a read of
 * such a value cannot name its write).
 */
export interface GuaranteeResult {
  guarantee: SessionGuarantee;
  status: LevelStatus;
  /** A bounded list of witnesses, one per operation shown. */
  violations: Violation[];
  /** Operations whose promise under this guarantee lies on a contradiction (all of them, not only those shown). */
  count: number;
  cause?: string;
}
