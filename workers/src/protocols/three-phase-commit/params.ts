import type { NodeOptions } from '../protocol.js';
import { tunables } from '../tunables.js';

/**
 * Three-phase commit's tunables, in milliseconds of the node's own clock. The participant
 * timeouts are set well past the coordinator's so that, without faults, the coordinator's word
 * arrives before a participant acts alone; the flaw needs a fault (a partition or a crash).
 */
export interface ThreePcParams {
  /** The coordinator aborts when CanCommit votes have not all arrived by then. */
  voteTimeoutMs: number;
  /** The coordinator aborts when PreCommit acknowledgements have not all arrived by then. */
  preCommitAckTimeoutMs: number;
  /** The coordinator re-sends PreCommit and its decision to participants that have not answered. */
  retryMs: number;
  /** A participant that voted yes aborts alone if no PreCommit came by then. */
  canCommitTimeoutMs: number;
  /** A participant that acknowledged PreCommit commits alone if no decision came by then. */
  preCommitTimeoutMs: number;
}

/**
 * Sized against the simulated network (one-way latency about 3 ms on average, 40 ms at most): a
 * participant waits for PreCommit longer than the coordinator waits for votes plus a slow
 * delivery, and waits for the decision longer than the coordinator waits for acknowledgements
 * plus a slow Abort.
 */
export const THREE_PC_DEFAULTS: ThreePcParams = {
  voteTimeoutMs: 100,
  preCommitAckTimeoutMs: 100,
  retryMs: 30,
  canCommitTimeoutMs: 250,
  preCommitTimeoutMs: 250,
};

/** The defaults, overridden by the run's `params` where it names them (unknown names throw). */
export function threePcParams(options: Pick<NodeOptions, 'params'>): ThreePcParams {
  return tunables('3pc', THREE_PC_DEFAULTS, options.params);
}
