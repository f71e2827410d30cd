import type { SettledOutcome } from '../shared/client-outcome.js';
import type { MicroOp } from '../shared/list-append.js';

/**
 * The messages of three-phase commit. Every message names its transaction; the coordinator of a
 * transaction is the node that sent its CanCommit.
 */

/** Phase one: may this participant run its share? It locks (no-wait) and votes, writing nothing. */
export interface CanCommitMessage {
  type: '3pc/can-commit';
  txn: string;
  ops: MicroOp[];
}

/** A participant's answer to CanCommit: yes with the locks held, or no with the reason. */
export interface VoteMessage {
  type: '3pc/vote';
  txn: string;
  yes: boolean;
  reason?: string;
}

/** Phase two: every vote was yes; execute the share, log undo/redo, and acknowledge. */
export interface PreCommitMessage {
  type: '3pc/pre-commit';
  txn: string;
}

/** A PreCommit acknowledgement (with the share as executed), or a refusal if the share was aborted. */
export interface PreCommitAckMessage {
  type: '3pc/pre-commit-ack';
  txn: string;
  ok: boolean;
  results?: MicroOp[];
  reason?: string;
}

/** Phase three: the logged decision. */
export interface DecisionMessage {
  type: '3pc/do-commit' | '3pc/abort';
  txn: string;
}

/** What a participant actually did; differs from the decision when its own timeout settled first. */
export interface AckMessage extends SettledOutcome {
  type: '3pc/ack';
  txn: string;
}

export type ThreePcMessage = CanCommitMessage | VoteMessage | PreCommitMessage | PreCommitAckMessage | DecisionMessage | AckMessage;

const TYPES = new Set(['3pc/can-commit', '3pc/vote', '3pc/pre-commit', '3pc/pre-commit-ack', '3pc/do-commit', '3pc/abort', '3pc/ack']);

/** Narrows what the network delivered; anything else is ignored by the nodes. */
export function isThreePcMessage(message: unknown): message is ThreePcMessage {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as { type?: unknown; txn?: unknown };
  return typeof m.type === 'string' && TYPES.has(m.type) && typeof m.txn === 'string';
}
