/**
 * The protocol events ZooKeeper servers announce with `ctx.mark`, for a nemesis to be armed on:
 * the instants where a fault does the most harm.
 */

/** The leader has just logged a proposal and sent it to no one yet. */
export const PROPOSED = 'proposed';
/** The leader has just committed a client write and applied it; its learners hear of the commit with its next message. */
export const COMMITTED = 'committed';
/** A learner has just dropped proposals past its new leader's history (TRUNC). */
export const TRUNCATED = 'truncated';

/** The leader has just heard a returning voter, away since an older epoch, that lacks what this epoch committed (the peer named). */
export const LAGGARD_JOINS = 'laggard-joins';

export const ZAB_MARKS: Readonly<Record<string, string>> = {
  [PROPOSED]: 'the leader has just logged a proposal, before any follower has it: a crash now leaves a proposal no quorum acknowledged, which recovery must drop (TRUNC) everywhere',
  [COMMITTED]: 'the leader has just committed and applied a client write, before its followers hear of the commit: a crash now leaves the next leader to recover it from the quorum that holds it',
  [LAGGARD_JOINS]: 'the leader has just heard from a voter (named as the peer) returning from an older epoch, so it lacks what this epoch committed, and has not synced it yet: if the leader dies now, that voter takes part in the next election with a shorter log',
  [TRUNCATED]: 'a learner has just dropped proposals no quorum acknowledged, as its new leader told it',
};
