import type { ClientReply, NodeId } from '../../sim/node-context.js';
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

/** A finished transaction as its coordinator saw it. */
export interface FinishedTxn {
  id: string;
  ops: readonly MicroOp[];
  shares: ReadonlyMap<NodeId, TxnShare>;
  /** Completed shares, from votes, PreCommit acknowledgements or acknowledgements. */
  results: ReadonlyMap<NodeId, MicroOp[]>;
  /** What every participant reported doing. */
  outcomes: ReadonlyMap<NodeId, SettledOutcome['outcome']>;
  decision?: 'commit' | 'abort';
  reason?: string;
}

/**
 * The client's answer, from what the participants did rather than from what was decided: they
 * differ when a participant settled alone. All committed: `ok` with the reads (or `info` if some
 * share's reads never arrived); all aborted: `fail`; a mix: `info`, since the transaction took
 * effect in part — the shape the isolation checker reports as a non-atomic commit.
 */
export function clientOutcome(txn: FinishedTxn): ClientReply {
  const outcomes = new Set(txn.outcomes.values());
  if (outcomes.size > 1) {
    return { type: 'info', error: `mixed-outcome: participants of ${txn.id} did not all follow the decision ${txn.decision ?? 'none'}` };
  }
  if (outcomes.has('aborted')) return { type: 'fail', error: txn.reason ?? 'aborted' };
  if (txn.results.size < txn.shares.size) return { type: 'info', error: `committed, but the reads of ${txn.id} did not all arrive` };
  return { type: 'ok', value: mergeResults(txn.ops, txn.shares, txn.results) };
}
