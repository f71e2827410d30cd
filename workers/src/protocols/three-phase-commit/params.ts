import type { NodeOptions } from '../protocol.js';

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

/** The defaults, overridden by the run's `params` where it names them. */
export function threePcParams(options: NodeOptions): ThreePcParams {
  const p = options.params ?? {};
  return {
    voteTimeoutMs: p['voteTimeoutMs'] ?? THREE_PC_DEFAULTS.voteTimeoutMs,
    preCommitAckTimeoutMs: p['preCommitAckTimeoutMs'] ?? THREE_PC_DEFAULTS.preCommitAckTimeoutMs,
    retryMs: p['retryMs'] ?? THREE_PC_DEFAULTS.retryMs,
    canCommitTimeoutMs: p['canCommitTimeoutMs'] ?? THREE_PC_DEFAULTS.canCommitTimeoutMs,
    preCommitTimeoutMs: p['preCommitTimeoutMs'] ?? THREE_PC_DEFAULTS.preCommitTimeoutMs,
  };
}
