/**
 * The protocol events 2PC nodes announce with `ctx.mark`, for a nemesis to be armed on: the
 * instants where a fault does the most harm, each a window a few milliseconds wide. Both concern
 * transactions that write, the ones whose atomicity is at stake.
 */

/** A coordinator has just sent the prepares of a transaction that appends at two participants or more. */
export const PREPARE_SENT = 'prepare-sent';

/** A participant whose share appends has just voted yes and is in doubt; the mark's peer is its coordinator. */
export const PREPARED = 'prepared';

export const TWO_PC_MARKS: Readonly<Record<string, string>> = {
  [PREPARE_SENT]: 'a coordinator has just sent the prepares of a transaction writing at two participants or more: a crash now leaves each participant that votes yes in doubt',
  [PREPARED]: 'a participant that appends has just voted yes and holds its locks in doubt (peer: its coordinator): a partition now keeps it from learning the decision',
};
