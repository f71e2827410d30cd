/**
 * Ballot numbers: (round, node) packed into one number so that comparing ballots is comparing
 * numbers, on the hot path of every acceptor message. Round 0 is never used, so 0 means "none".
 */
export type Ballot = number;

export const NO_BALLOT: Ballot = 0;

/** Nodes a cluster may have: the node's index is the low part of its ballots. */
export const BALLOT_NODES_MAX = 1024;

export function ballotOf(round: number, nodeIndex: number): Ballot {
  return round * BALLOT_NODES_MAX + nodeIndex;
}

function roundOf(ballot: Ballot): number {
  return Math.floor(ballot / BALLOT_NODES_MAX);
}

/** The smallest ballot of this node that is above every ballot seen so far. */
export function nextBallot(highestSeen: Ballot, nodeIndex: number): Ballot {
  return ballotOf(roundOf(highestSeen) + 1, nodeIndex);
}
