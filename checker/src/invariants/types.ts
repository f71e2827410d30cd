/**
 * A property every observation of a history must keep, whatever the order of operations (Jepsen's
 * bank: the total never changes). Unlike a model, it needs no search: each read is judged on its
 * own, so it scales to any history and names exactly the reads that break it.
 */
export interface InvariantResult {
  /** The invariant's name: `bank`. */
  name: string;
  /** `unknown` when a check ran out of budget (never a pass). */
  status: 'holds' | 'violated' | 'unknown';
  /** Why the status is unknown. */
  cause?: string;
  /** One sentence: what was checked. */
  checks: string;
  /** Observations examined (ok reads). */
  observations: number;
  /** Violations by kind (`wrong-total`, `total-changed`, `negative-balance`, ...). */
  counts: Record<string, number>;
  /** The first few violations, each with its operations and one plain sentence. */
  violations: InvariantViolation[];
}

export interface InvariantViolation {
  kind: string;
  /** Ids of the operations that show it (in the checked history). */
  operations: number[];
  sentence: string;
}
