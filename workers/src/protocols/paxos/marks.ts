/**
 * The protocol events Paxos nodes announce with `ctx.mark`, for a nemesis to be armed on: the
 * instants where a fault does the most harm.
 */

/**
 * The leader has just applied a chosen client write (a write, or a cas that matched) and answered
 * it; the other nodes have accepted its slot but will hear it is chosen only with the leader's
 * next accept or heartbeat (up to `heartbeatMs` later).
 */
export const CHOSEN = 'chosen';

export const PAXOS_MARKS: Readonly<Record<string, string>> = {
  [CHOSEN]: 'the leader has just applied a chosen write that changed the store and answered it, before any follower knows it is chosen: a crash now leaves a new leader to recover it from the values its quorum accepted',
};
