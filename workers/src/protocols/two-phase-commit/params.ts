import type { NodeOptions } from '../protocol.js';
import { tunables } from '../tunables.js';

/** Two-phase commit's tunables, in milliseconds of the node's own clock. */
export interface TwoPcParams {
  /** The coordinator aborts a transaction whose votes have not all arrived by then. */
  voteTimeoutMs: number;
  /** The coordinator re-sends its decision to participants that have not acknowledged it. */
  decisionRetryMs: number;
  /** An in-doubt participant asks the coordinator for the decision this often. */
  inquiryIntervalMs: number;
  /**
   * Bug `participant-timeout-decides` only: how long a participant stays in doubt before it
   * commits or aborts alone.
   */
  inDoubtTimeoutMs: number;
}

/**
 * Sized against the simulated network (one-way latency about 3 ms on average, 40 ms at most):
 * every timeout outlasts a slow round trip, so without faults nothing times out.
 */
export const TWO_PC_DEFAULTS: TwoPcParams = {
  voteTimeoutMs: 100,
  decisionRetryMs: 50,
  inquiryIntervalMs: 50,
  inDoubtTimeoutMs: 150,
};

/** The defaults, overridden by the run's `params` where it names them (unknown names throw). */
export function twoPcParams(options: Pick<NodeOptions, 'params'>): TwoPcParams {
  return tunables('2pc', TWO_PC_DEFAULTS, options.params);
}
