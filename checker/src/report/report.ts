import type { LevelsResult } from '../consistency/types.js';
import type { IsolationLevel, IsolationResult } from '../isolation/types.js';
import type { InvariantResult } from '../invariants/types.js';
import type { LinearizabilityResult } from '../linearizability/result.js';
import type { ConsistencyLevel } from '../consistency/types.js';

/**
 * Everything Verdict says about one history. The checkers fill it; renderers (text, JSON,
 * JUnit XML, SVG timeline) and the service only read it.
 */
export interface Report {
  version: 1;
  /** Single-object operations (registers, kv, queues...) or transactions (Elle's txn form). */
  kind: 'single-object' | 'transactional';
  history: {
    source?: string;
    format?: string;
    /** Raw history events, client operations (paired) and fault events. */
    events: number;
    operations: number;
    processes: number;
    faults: number;
    /** What the parser had to assume (e.g. how ops without a process were paired). */
    warnings?: string[];
  };
  /** The model single-object histories were checked against. */
  model?: string;
  linearizability?: LinearizabilityResult;
  consistency?: LevelsResult;
  isolation?: IsolationResult;
  /** Invariants every read must keep, checked beside the model (the bank's constant total). */
  invariants?: InvariantResult[];
  /** The headline: the strongest level of each lattice that holds. */
  verdict: {
    consistency?: ConsistencyLevel | 'none';
    isolation?: IsolationLevel | 'none';
    /** `unknown` when some check could not finish: never read as a pass. */
    outcome: 'ok' | 'violated' | 'unknown';
    summary: string;
  };
  elapsedMs: number;
}
