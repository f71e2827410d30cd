import type { SettledOutcome } from '../shared/client-outcome.js';
import type { MicroOp } from '../shared/list-append.js';

/**
 * The messages of two-phase commit. Every message names its transaction; the coordinator of a
 * transaction is the node that sent its prepare.
 */

/** Phase one: the coordinator sends each participant its share of the transaction. */
export interface PrepareMessage {
  type: '2pc/prepare';
  txn: string;
  ops: MicroOp[];
}

/** A participant's vote; a yes carries the share as executed (reads filled in). */
export interface VoteMessage {
  type: '2pc/vote';
  txn: string;
  yes: boolean;
  results?: MicroOp[];
  reason?: string;
}

/** Phase two: the logged decision, sent to every participant that may hold the transaction. */
export interface DecisionMessage {
  type: '2pc/decision';
  txn: string;
  commit: boolean;
}

/**
 * A participant's answer to a decision: what it actually did. It differs from the decision only
 * when the participant decided alone before the decision reached it (the bug variant).
 */
export interface AckMessage extends SettledOutcome {
  type: '2pc/ack';
  txn: string;
}

/** An in-doubt participant asks the coordinator for the decision (cooperative termination). */
export interface InquiryMessage {
  type: '2pc/inquiry';
  txn: string;
}

export type TwoPcMessage = PrepareMessage | VoteMessage | DecisionMessage | AckMessage | InquiryMessage;

const TYPES = new Set(['2pc/prepare', '2pc/vote', '2pc/decision', '2pc/ack', '2pc/inquiry']);

/** Narrows what the network delivered; anything else is ignored by the nodes. */
export function isTwoPcMessage(message: unknown): message is TwoPcMessage {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as { type?: unknown; txn?: unknown };
  return typeof m.type === 'string' && TYPES.has(m.type) && typeof m.txn === 'string';
}
