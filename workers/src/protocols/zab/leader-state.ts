import type { NodeId } from '../../sim/node-context.js';
import type { Txn } from './database.js';
import type { AckEpochMessage, BatchMessage } from './messages.js';
import type { Zxid } from './zxid.js';

/** The leader's view of one learner's FIFO link. */
export interface LearnerLink {
  joinId: number;
  observer: boolean;
  /** The learner acknowledged its sync (NEWLEADER): it now counts toward quorums (voters only). */
  synced: boolean;
  nextSeq: number;
  ackedSeq: number;
  /** The learner's log is persisted up to here. */
  ackedZxid: Zxid;
  /** Sent and not yet acknowledged, oldest first, with when each was last sent. */
  unacked: { batch: BatchMessage; sentMs: number }[];
  lastHeardMs: number;
  /** Proposals for the next batch (followers) or newly committed transactions (observers). */
  outbox: Txn[];
  /** The commit point last sent on this link. */
  sentCommitZxid: Zxid;
}

/**
 * A leader's term: its epoch, discovery (the follower-info of each learner), its learners' links
 * and the quorum arithmetic of the broadcast phase. Commits never go past what a quorum of voters
 * (this server included) has persisted.
 */
export class LeaderState {
  epoch: number | undefined;
  counter = 0;
  established = false;
  /** The leader's last zxid when its epoch was decided: the initial history, committed on establishment. */
  initialZxid: Zxid = 0;
  /** The epoch of the leader's history before it took the new one (its currentEpoch when elected). */
  previousEpoch = 0;
  readonly acceptedEpochs = new Map<NodeId, number>();
  /** Acknowledgements of the new epoch held until a quorum of voters acknowledged it afresh. */
  readonly epochAcks = new Map<NodeId, AckEpochMessage>();
  /** Voters (this leader aside) whose fresh acknowledgement of the new epoch arrived. */
  readonly epochVoters = new Set<NodeId>();
  /**
   * A quorum of voters acknowledged the epoch, none of them ahead of this leader's history: it now
   * holds every committed proposal, takes the epoch as its current one and synchronises learners.
   */
  synchronising = false;
  readonly observers = new Set<NodeId>();
  readonly links = new Map<NodeId, LearnerLink>();
  /** Requests that arrived before establishment, proposed once it is reached. */
  readonly waiting: Omit<Txn, 'zxid'>[] = [];
  /** Sessions and when the leader last heard of each (for expiry). */
  readonly sessionSeenMs = new Map<number, number>();
  /** Sessions whose expiry this leader has proposed. */
  readonly expiring = new Set<number>();

  private readonly zxidsScratch: Zxid[] = [];

  constructor(readonly startedMs: number) {}

  openLink(peer: NodeId, joinId: number, observer: boolean, nowMs: number): LearnerLink {
    const link: LearnerLink = { joinId, observer, synced: false, nextSeq: 1, ackedSeq: 0, ackedZxid: 0, unacked: [], lastHeardMs: nowMs, outbox: [], sentCommitZxid: 0 };
    this.links.set(peer, link);
    return link;
  }

  /** Voters (this leader included) whose logs hold `zxid` or later, for the quorum rule. */
  commitPoint(selfZxid: Zxid, quorum: number): Zxid | undefined {
    // Runs on every acknowledgement: the voters' zxids go into one reused array, kept sorted
    // highest first by insertion (a handful of voters), instead of a fresh array and a sort.
    const zxids = this.zxidsScratch;
    zxids[0] = selfZxid;
    let n = 1;
    for (const link of this.links.values()) {
      if (!link.synced || link.observer) continue;
      let i = n++;
      while (i > 0 && zxids[i - 1]! < link.ackedZxid) {
        zxids[i] = zxids[i - 1]!;
        i--;
      }
      zxids[i] = link.ackedZxid;
    }
    return n < quorum ? undefined : zxids[quorum - 1];
  }

  /** The highest-id voter whose log does not yet hold `zxid`, if any: the one a fault can leave behind. */
  laggingVoter(zxid: Zxid): NodeId | undefined {
    let lagging: NodeId | undefined;
    for (const [peer, link] of this.links) {
      if (link.observer || link.ackedZxid >= zxid) continue;
      if (lagging === undefined || peer > lagging) lagging = peer;
    }
    return lagging;
  }

  /** Voters synced with this term, this leader included. */
  syncedVoters(): number {
    let n = 1;
    for (const link of this.links.values()) if (link.synced && !link.observer) n++;
    return n;
  }

  /** Voters heard from within `windowMs`, this leader included. */
  heardVoters(nowMs: number, windowMs: number): number {
    let n = 1;
    for (const link of this.links.values()) if (link.synced && !link.observer && nowMs - link.lastHeardMs <= windowMs) n++;
    return n;
  }
}
