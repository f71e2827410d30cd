import type { NodeContext, NodeId } from '../../sim/node-context.js';
import type { ClientDesk } from './client-desk.js';
import type { Txn, ZkDatabase } from './database.js';
import { LeaderState, type LearnerLink } from './leader-state.js';
import { LAGGARD_JOINS, PROPOSED } from './marks.js';
import type { AckEpochMessage, AckMessage, BatchMessage } from './messages.js';
import type { ZabBugs, ZabParams } from './params.js';
import type { TxnLog } from './txn-log.js';
import { makeZxid, showZxid, type Zxid } from './zxid.js';

/** Resends per link per tick, so a long outage is made up in bounded bursts. */
const RESEND_BATCHES_MAX = 32;

/** What a leader needs from its server: the commit point, the database, the client desk and a way back to election. */
export interface LeaderHost {
  readonly commitZxid: Zxid;
  readonly db: ZkDatabase;
  readonly desk: ClientDesk;
  /** Everything up to `zxid` is committed: apply it. */
  learnCommit(zxid: Zxid): void;
  /** The server may answer clients (the leader is established). */
  serve(): void;
  /** Back to election: this term is over. */
  startLooking(): void;
}

/**
 * One leader's term, its side of ZAB: discovery (a new epoch from a quorum's follower-info, taken
 * as current once a quorum acknowledged it afresh), synchronisation of each learner over its
 * numbered link (DIFF, TRUNC or SNAP), then broadcast: proposals, the quorum arithmetic of their
 * acknowledgements, commits, pings and resends, and session expiry.
 */
export class Leader {
  readonly state: LeaderState;

  constructor(
    private readonly ctx: NodeContext,
    private readonly params: ZabParams,
    private readonly bugs: ZabBugs,
    private readonly log: TxnLog,
    private readonly voters: readonly NodeId[],
    private readonly quorum: number,
    private readonly host: LeaderHost,
  ) {
    this.state = new LeaderState(ctx.now());
    this.state.acceptedEpochs.set(ctx.id, log.acceptedEpoch);
    this.state.previousEpoch = log.currentEpoch;
  }

  onFollowerInfo(from: NodeId, acceptedEpoch: number, observer: boolean): void {
    const lead = this.state;
    if (observer) lead.observers.add(from);
    if (lead.epoch !== undefined) {
      this.ctx.send(from, { type: 'new-epoch', epoch: lead.epoch });
      // A voter that last accepted an older epoch was away while this one committed: it is behind.
      if (!observer && lead.established && acceptedEpoch < lead.epoch && this.host.commitZxid > lead.initialZxid) this.ctx.mark(LAGGARD_JOINS, from);
      return;
    }
    if (!observer) lead.acceptedEpochs.set(from, acceptedEpoch);
    this.decideEpoch();
  }

  /** With a quorum's accepted epochs known, the new epoch is one past the highest of them. */
  decideEpoch(): void {
    const lead = this.state;
    if (lead.epoch !== undefined || lead.acceptedEpochs.size < this.quorum) return;
    const epoch = Math.max(...lead.acceptedEpochs.values()) + 1;
    lead.epoch = epoch;
    // Accepted, not yet current: a leader that took the epoch as current before a quorum had
    // acknowledged it would vote with it in the next election, and with its (possibly short)
    // history beat servers that committed proposals under a later leader of a lower epoch.
    this.log.setAcceptedEpoch(epoch);
    lead.initialZxid = this.log.lastZxid;
    this.ctx.log('new epoch', { epoch, initialZxid: showZxid(lead.initialZxid) });
    for (const peer of lead.acceptedEpochs.keys()) if (peer !== this.ctx.id) this.ctx.send(peer, { type: 'new-epoch', epoch });
    for (const peer of lead.observers) this.ctx.send(peer, { type: 'new-epoch', epoch });
    this.checkEpochQuorum();
  }

  onAckEpoch(from: NodeId, m: AckEpochMessage): void {
    const lead = this.state;
    if (lead.epoch === undefined || m.epoch !== lead.epoch) return;
    if (this.learnerAhead(lead, m) && !this.bugs.electLowerZxid) {
      this.ctx.log('refuses learner ahead of it', { learner: from, currentEpoch: m.currentEpoch, lastZxid: showZxid(m.lastZxid) });
      this.ctx.send(from, { type: 'refuse', epoch: lead.epoch });
      return;
    }
    if (lead.links.get(from)?.joinId === m.joinId) return; // A resent ack-epoch: the sync is on its way.
    if (lead.synchronising) return this.startSync(from, m);
    lead.epochAcks.set(from, m);
    if (m.fresh && this.voters.includes(from)) lead.epochVoters.add(from);
    this.checkEpochQuorum();
  }

  /**
   * Whether a learner's history may hold what this leader's lacks. One synced in this epoch holds
   * this leader's history; one whose history is of a later epoch than this leader's is ahead; and
   * until a quorum has acknowledged the epoch, so is one of the same epoch with a longer history
   * (it may hold commits this leader missed). Afterwards the quorum has shown this leader holds
   * every committed proposal: a longer history of its epoch holds uncommitted ones (TRUNC).
   */
  private learnerAhead(lead: LeaderState, m: AckEpochMessage): boolean {
    if (m.currentEpoch === lead.epoch) return false;
    if (m.currentEpoch > lead.previousEpoch) return true;
    return !lead.synchronising && m.currentEpoch === lead.previousEpoch && m.lastZxid > lead.initialZxid;
  }

  /** A quorum of voters (this leader included) acknowledged the epoch afresh: it becomes current, and learners are synchronised. */
  private checkEpochQuorum(): void {
    const lead = this.state;
    if (lead.synchronising || lead.epoch === undefined || lead.epochVoters.size + 1 < this.quorum) return;
    lead.synchronising = true;
    this.log.setCurrentEpoch(lead.epoch);
    for (const [peer, m] of lead.epochAcks) this.startSync(peer, m);
    lead.epochAcks.clear();
    this.checkEstablished();
  }

  private startSync(from: NodeId, m: AckEpochMessage): void {
    const lead = this.state;
    const link = lead.openLink(from, m.joinId, lead.observers.has(from), this.ctx.now());
    this.sendOnLink(from, link, this.syncBatch(m, link));
  }

  private syncBatch(m: AckEpochMessage, link: LearnerLink): BatchMessage {
    const lead = this.state;
    const base = { type: 'batch' as const, joinId: link.joinId, epoch: lead.epoch!, seq: link.nextSeq++, commitZxid: this.host.commitZxid, upToDate: lead.established };
    const ahead = m.currentEpoch !== lead.epoch && m.currentEpoch > lead.previousEpoch;
    if (!ahead && this.log.holds(m.lastZxid) && this.log.after(m.lastZxid).length <= this.params.diffMax) {
      return { ...base, sync: { mode: 'diff' }, entries: this.log.after(m.lastZxid) };
    }
    if (!ahead && m.lastZxid > this.log.snapshotZxid) {
      // The learner holds proposals this leader never had: none was committed, so they go.
      const truncTo = this.log.floor(m.lastZxid);
      if (this.log.after(truncTo).length <= this.params.diffMax) return { ...base, sync: { mode: 'trunc', truncTo }, entries: this.log.after(truncTo) };
    }
    const snapshot = this.host.db.snapshot();
    return { ...base, sync: { mode: 'snap', snapshot }, entries: this.log.after(snapshot.zxid) };
  }

  onAck(from: NodeId, m: AckMessage): void {
    const lead = this.state;
    const link = lead.links.get(from);
    if (link === undefined || m.epoch !== lead.epoch || m.joinId !== link.joinId) return;
    link.lastHeardMs = this.ctx.now();
    if (m.seq > link.ackedSeq) {
      link.ackedSeq = m.seq;
      while (link.unacked.length > 0 && link.unacked[0]!.batch.seq <= m.seq) link.unacked.shift();
    }
    if (m.seq >= 1 && !link.synced) {
      link.synced = true;
      this.ctx.log('learner synced', { learner: from });
    }
    if (m.zxid > link.ackedZxid) link.ackedZxid = m.zxid;
    this.checkEstablished();
    this.advanceLeaderCommit();
  }

  /** A quorum acknowledged NEWLEADER: the initial history is committed and clients are served. */
  private checkEstablished(): void {
    const lead = this.state;
    if (lead.established || lead.epoch === undefined || lead.syncedVoters() < this.quorum) return;
    lead.established = true;
    this.host.serve();
    this.ctx.log('established', { epoch: lead.epoch });
    this.host.learnCommit(lead.initialZxid);
    // Every learner's sync already carried the initial history.
    for (const link of lead.links.values()) link.outbox.length = 0;
    this.host.desk.onLeader();
    const waiting = lead.waiting.splice(0);
    for (const txn of waiting) this.propose(txn);
  }

  touch(sessions: readonly number[]): void {
    for (const s of sessions) this.state.sessionSeenMs.set(s, this.ctx.now());
  }

  /** A request becomes a proposal (at the leader), or waits for establishment. */
  propose(txn: Omit<Txn, 'zxid'>): void {
    const lead = this.state;
    if (txn.kind !== 'close-session') lead.sessionSeenMs.set(txn.session, this.ctx.now());
    if (!lead.established) {
      if (lead.waiting.length < this.params.queueMax) lead.waiting.push(txn);
      return;
    }
    // Written out field by field: a spread with an extra field is slow, and this runs per proposal.
    const full: Txn = { zxid: makeZxid(lead.epoch!, ++lead.counter), session: txn.session, cxid: txn.cxid, kind: txn.kind, op: txn.op, who: txn.who, timeoutMs: txn.timeoutMs };
    this.log.append(full);
    for (const link of lead.links.values()) if (!link.observer) link.outbox.push(full);
    this.ctx.mark(PROPOSED);
    if (this.bugs.commitBeforeQuorum) this.host.learnCommit(full.zxid);
    else this.advanceLeaderCommit();
  }

  private advanceLeaderCommit(): void {
    const lead = this.state;
    if (!lead.established) return;
    const point = lead.commitPoint(this.log.lastZxid, this.quorum);
    if (point !== undefined && point > this.host.commitZxid) this.host.learnCommit(point);
  }

  /**
   * The leader expires a session it has not heard of (a request, or a server's keep-alive for it)
   * within its timeout: a close-session transaction, which deletes its ephemeral nodes at once. A
   * new leader gives every session a full timeout before judging it.
   */
  private expireSessions(now: number): void {
    const lead = this.state;
    for (const session of this.host.db.sessionIds()) {
      const timeoutMs = this.host.db.sessionTimeoutMs(session) ?? 0;
      if (timeoutMs <= 0) continue;
      const seen = lead.sessionSeenMs.get(session);
      if (seen === undefined) lead.sessionSeenMs.set(session, now);
      else if (now - seen > timeoutMs && !lead.expiring.has(session)) {
        lead.expiring.add(session);
        this.ctx.log('expires session', { session });
        this.propose({ session, cxid: Number.MAX_SAFE_INTEGER, kind: 'close-session' });
      }
    }
  }

  private sendOnLink(peer: NodeId, link: LearnerLink, batch: BatchMessage): void {
    link.unacked.push({ batch, sentMs: this.ctx.now() });
    if (link.unacked.length > this.params.linkWindowMax) {
      // Too far behind for the window: drop the link; the learner resyncs when it rejoins.
      this.state.links.delete(peer);
      this.ctx.send(peer, { type: 'refuse', epoch: batch.epoch });
      return;
    }
    this.ctx.send(peer, batch);
  }

  sendBatches(): void {
    const lead = this.state;
    if (!lead.established) return;
    for (const [peer, link] of lead.links) {
      if (link.outbox.length === 0 && this.host.commitZxid <= link.sentCommitZxid) continue;
      link.sentCommitZxid = this.host.commitZxid;
      do {
        const entries = link.outbox.splice(0, this.params.batchMax);
        this.sendOnLink(peer, link, { type: 'batch', joinId: link.joinId, epoch: lead.epoch!, seq: link.nextSeq++, entries, commitZxid: this.host.commitZxid, upToDate: true });
      } while (link.outbox.length > 0 && lead.links.get(peer) === link);
    }
  }

  onTick(now: number): void {
    const lead = this.state;
    if (!lead.established) {
      if (now - lead.startedMs > this.params.initLimitMs) return this.host.startLooking();
      return;
    }
    if (lead.heardVoters(now, this.params.syncLimitMs) < this.quorum) {
      this.ctx.log('lost its quorum', { epoch: lead.epoch });
      return this.host.startLooking();
    }
    this.expireSessions(now);
    for (const [peer, link] of lead.links) {
      let resent = 0;
      for (const u of link.unacked) {
        if (resent >= RESEND_BATCHES_MAX || now - u.sentMs < this.params.tickMs) break;
        u.sentMs = now;
        this.ctx.send(peer, u.batch);
        resent++;
      }
      this.ctx.send(peer, { type: 'ping', joinId: link.joinId, epoch: lead.epoch!, commitZxid: this.host.commitZxid, seqSent: link.nextSeq - 1, upToDate: true });
    }
    this.host.desk.onTick();
  }
}
