import type { ClientReply, NodeContext, NodeId } from '../../sim/node-context.js';
import { mergeResults, type MicroOp, type TxnShare } from './list-append.js';

/** What a participant reports once it has settled a transaction; acknowledgements carry it. */
export interface SettledOutcome {
  outcome: 'committed' | 'aborted';
  /** Whether the coordinator's decision settled it, or the participant alone (a timeout). */
  decidedBy: 'coordinator' | 'participant';
  /**
   * The share as executed, when committed: the coordinator can then answer with the reads even
   * when the vote or PreCommit acknowledgement that first carried them was lost.
   */
  results?: MicroOp[];
}

/** A transaction as its coordinator tracks it, whatever the protocol. */
export interface CoordinatedTxn {
  id: string;
  /** Absent for a transaction recovered from the log: its client belonged to the crashed incarnation. */
  requestId?: number;
  ops: MicroOp[];
  shares: Map<NodeId, TxnShare>;
  /** Completed shares: from votes or PreCommit acknowledgements, or from acknowledgements of a commit. */
  results: Map<NodeId, MicroOp[]>;
  /** What each participant reported doing (a no vote or a refusal counts as aborted). */
  outcomes: Map<NodeId, SettledOutcome['outcome']>;
  decision?: 'commit' | 'abort';
  reason?: string;
}

/**
 * The client's answer, from what the participants did rather than from what was decided: they
 * differ when a participant settled alone. All committed: `ok` with the reads (or `info` if some
 * share's reads never arrived); all aborted: `fail`; a mix: `info`, since the transaction took
 * effect in part — the shape the isolation checker reports as a non-atomic commit.
 */
export function clientOutcome(txn: CoordinatedTxn): ClientReply {
  const outcomes = new Set(txn.outcomes.values());
  if (outcomes.size > 1) {
    return { type: 'info', error: `mixed-outcome: participants of ${txn.id} did not all follow the decision ${txn.decision ?? 'none'}` };
  }
  if (outcomes.has('aborted')) return { type: 'fail', error: txn.reason ?? 'aborted' };
  if (txn.results.size < txn.shares.size) return { type: 'info', error: `committed, but the reads of ${txn.id} did not all arrive` };
  return { type: 'ok', value: mergeResults(txn.ops, txn.shares, txn.results) };
}

/**
 * Takes a participant's acknowledgement of the decision into `txn`: what it did and, if it
 * committed, its reads. An outcome against the decision (the participant settled alone first) is
 * kept, and logged as `<protocol> participant outcome differs from the decision`.
 */
export function recordAck(ctx: NodeContext, protocol: string, txn: CoordinatedTxn, from: NodeId, ack: SettledOutcome): void {
  const expected = txn.decision === 'commit' ? 'committed' : 'aborted';
  if (ack.outcome !== expected) ctx.log(`${protocol} participant outcome differs from the decision`, { txn: txn.id, participant: from, outcome: ack.outcome, decidedBy: ack.decidedBy });
  txn.outcomes.set(from, ack.outcome);
  if (ack.results !== undefined) txn.results.set(from, ack.results);
}
