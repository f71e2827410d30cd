import type { Snapshot, Txn } from './database.js';
import type { Zxid } from './zxid.js';

/** A server's state as its election notifications announce it. */
export type PeerState = 'looking' | 'following' | 'leading' | 'observing';

/** A vote: the proposed leader and the (epoch, last zxid) it was proposed with. */
export interface Vote {
  leader: string;
  epoch: number;
  zxid: Zxid;
}

/** Fast leader election's notification: the sender's round, vote (or, out of election, its leader) and state. */
export interface NotificationMessage {
  type: 'notification';
  round: number;
  vote: Vote;
  state: PeerState;
  /**
   * Sent in answer to another server's notification (to tell it this round and vote): never
   * answered itself, or two servers in different rounds (an observer always is: no voter adopts its
   * round) would answer each other for good, one more endless exchange per duplicated message.
   */
  answer?: true;
}

/** Discovery: a learner tells its prospective leader the last epoch it accepted. */
export interface FollowerInfoMessage {
  type: 'follower-info';
  /** This learner's attempt to join, fresh each time: the link it opens carries it, so nothing of an older link is taken for this one. */
  joinId: number;
  acceptedEpoch: number;
  observer: boolean;
}

export interface NewEpochMessage {
  type: 'new-epoch';
  epoch: number;
}

export interface AckEpochMessage {
  type: 'ack-epoch';
  joinId: number;
  epoch: number;
  /**
   * The learner accepted this epoch now, above every epoch it accepted before (or it accepted it
   * from this same leader earlier): only such acknowledgements count toward the leader's quorum,
   * so no two leaders ever gather a quorum for one epoch.
   */
  fresh: boolean;
  currentEpoch: number;
  lastZxid: Zxid;
}

/**
 * What the leader sends a learner over its FIFO link, numbered by `seq` from 1: the first is the
 * synchronisation (`sync`: DIFF, TRUNC or SNAP, then NEWLEADER), the rest proposals (`entries`) and
 * the commit point. `upToDate` tells the learner the leader is established and it may serve clients.
 */
export interface BatchMessage {
  type: 'batch';
  joinId: number;
  epoch: number;
  seq: number;
  sync?: { mode: 'diff' | 'trunc' | 'snap'; truncTo?: Zxid; snapshot?: Snapshot };
  entries: readonly Txn[];
  commitZxid: Zxid;
  upToDate: boolean;
}

/** The leader's heartbeat: the commit point and how far the link has been sent (so a gap is seen). */
export interface PingMessage {
  type: 'ping';
  joinId: number;
  epoch: number;
  commitZxid: Zxid;
  seqSent: number;
  upToDate: boolean;
}

/** A learner's acknowledgement: batches delivered in order up to `seq`; log persisted up to `zxid`. */
export interface AckMessage {
  type: 'ack';
  joinId: number;
  epoch: number;
  seq: number;
  zxid: Zxid;
}

/** A learner's client request on its way to the leader. */
export interface ForwardMessage {
  type: 'forward';
  txn: Omit<Txn, 'zxid'>;
}

/** The leader turns a learner away (its history is ahead, or the epoch is stale): elect again. */
export interface RefuseMessage {
  type: 'refuse';
  epoch: number;
}

/** Session keep-alive relayed by a server to the leader, which expires sessions. */
export interface TouchMessage {
  type: 'touch';
  sessions: readonly number[];
}

export type ZabMessage = NotificationMessage | FollowerInfoMessage | NewEpochMessage | AckEpochMessage | BatchMessage | PingMessage | AckMessage | ForwardMessage | RefuseMessage | TouchMessage;
