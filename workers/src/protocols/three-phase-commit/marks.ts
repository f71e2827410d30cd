/**
 * The protocol events 3PC nodes announce with `ctx.mark`, for a nemesis to be armed on: the
 * instants where a fault does the most harm, each a window a few milliseconds wide. Both concern
 * transactions that write, the ones whose atomicity is at stake.
 */

/** A coordinator has just sent PreCommit for a transaction that appends at two participants or more. */
export const PRE_COMMIT_SENT = 'pre-commit-sent';

/** A participant whose share appends has just executed PreCommit and acknowledged it; the mark's peer is its coordinator. */
export const PRE_COMMITTED = 'pre-committed';

export const THREE_PC_MARKS: Readonly<Record<string, string>> = {
  [PRE_COMMIT_SENT]: 'a coordinator has just sent PreCommit for a transaction writing at two participants or more: a crash now leaves its participants to commit alone on their timeouts (3PC does not block)',
  [PRE_COMMITTED]: 'a participant that appends has just executed PreCommit and acknowledged it (peer: its coordinator): a partition now keeps the acknowledgement from the coordinator, which aborts the others while this one commits alone',
};
