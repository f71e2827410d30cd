import type { ClientRequest, NodeBehaviour, NodeContext, NodeId } from '../../sim/node-context.js';
import { ClientDesk } from './client-desk.js';
import { ZkDatabase, type Applied, type Txn } from './database.js';
import { Election } from './election.js';
import { LeaderState, type LearnerLink } from './leader-state.js';
import { COMMITTED, LAGGARD_JOINS, PROPOSED, TRUNCATED } from './marks.js';
import type { AckEpochMessage, AckMessage, BatchMessage, NotificationMessage, PeerState, PingMessage, Vote, ZabMessage } from './messages.js';
import type { ZabBugs, ZabParams } from './params.js';
import { TxnLog } from './txn-log.js';
import type { WatchTable } from './watches.js';
import { makeZxid, showZxid, type Zxid } from './zxid.js';

type Role = 'looking' | 'following' | 'observing' | 'leading';

/** Resends per link per tick, so a long outage is made up in bounded bursts. */
const RESEND_BATCHES_MAX = 32;

/**
 * One ZooKeeper server running ZAB: fast leader election, then discovery (a new epoch a quorum
 * accepts), synchronisation (DIFF, TRUNC or SNAP over a FIFO link per learner), then broadcast
 * (proposals persisted before they are acknowledged, committed in zxid order once a quorum of
 * voters holds them). Observers learn commits and serve reads but never vote or count.
 */
export class ZabNode implements NodeBehaviour {
  readonly log: TxnLog;
  db: ZkDatabase;
  role: Role = 'looking';
  leaderId: NodeId | undefined;
  /** The commit point this server knows; it applies its log up to here. */
  commitZxid: Zxid = 0;
  /** True while this server may answer clients: it follows (or leads) an established leader. */
  serving = false;
  readonly observer: boolean;
  private readonly voters: readonly NodeId[];
  private readonly quorum: number;
  private readonly election: Election;
  private readonly desk: ClientDesk;
  private lead: LeaderState | undefined;
  // Learner side of the link with the leader.
  private learnerEpoch = 0;
  private expectedSeq = 1;
  private readonly early = new Map<number, BatchMessage>();
  private joinedMs = 0;
  private joinId = 0;
  private lastLeaderMs = 0;
  private phase: 'info' | 'epoch' | 'synced' = 'info';
  private lookingSinceMs = 0;
  private finalizeArmed = false;
  private appliedSinceSnapshot = 0;
  private flushArmed = false;

  constructor(private readonly ctx: NodeContext, private readonly params: ZabParams, private readonly bugs: ZabBugs, observers: readonly NodeId[]) {
    this.observer = observers.includes(ctx.id);
    this.voters = ctx.peers.filter((p) => !observers.includes(p));
    this.quorum = Math.floor(this.voters.length / 2) + 1;
    this.log = new TxnLog(ctx);
    this.db = this.log.snapshot !== undefined ? ZkDatabase.fromSnapshot(this.log.snapshot) : new ZkDatabase();
    this.commitZxid = this.db.appliedZxid;
    this.election = new Election(ctx.id, this.voters, this.quorum, bugs.electLowerZxid, this.ownVote());
    this.desk = new ClientDesk(ctx, params, this);
  }

  /** The watches of the clients connected here. */
  get watches(): WatchTable {
    return this.desk.watches;
  }

  onStart(): void {
    this.ctx.setRole(this.observer ? 'observer' : 'follower');
    this.startLooking();
    this.ctx.setTimer(this.params.tickMs, 'tick');
  }

  onClientRequest(request: ClientRequest): void {
    this.desk.onClientRequest(request);
    this.flush();
  }

  onTimer(tag: string, data: unknown): void {
    if (tag === 'tick') {
      this.onTick();
      this.ctx.setTimer(this.params.tickMs, 'tick');
    } else if (tag === 'flush') {
      this.flushArmed = false;
      this.sendBatches();
    } else if (tag === 'finalize') this.onFinalize(data as number);
    else if (tag === 'park') this.desk.expireParked();
    this.flush();
  }

  onMessage(from: NodeId, message: unknown): void {
    const m = message as ZabMessage;
    switch (m.type) {
      case 'notification':
        this.onNotification(from, m);
        break;
      case 'follower-info':
        this.onFollowerInfo(from, m.acceptedEpoch, m.observer);
        break;
      case 'new-epoch':
        this.onNewEpoch(from, m.epoch);
        break;
      case 'ack-epoch':
        this.onAckEpoch(from, m);
        break;
      case 'batch':
        this.onBatch(from, m);
        break;
      case 'ping':
        this.onPing(from, m);
        break;
      case 'ack':
        this.onAck(from, m);
        break;
      case 'forward':
        this.propose(m.txn);
        break;
      case 'refuse':
        if (from === this.leaderId && m.epoch >= this.learnerEpoch) this.startLooking();
        break;
      case 'touch':
        this.touch(m.sessions);
        break;
    }
    this.flush();
  }

  // --- Election ------------------------------------------------------------------------------

  private ownVote(): Vote {
    return { leader: this.ctx.id, epoch: this.log.currentEpoch, zxid: this.log.lastZxid };
  }

  private startLooking(): void {
    if (this.role === 'leading') this.ctx.log('leader steps down', { epoch: this.lead?.epoch });
    this.role = 'looking';
    this.lead = undefined;
    this.leaderId = undefined;
    this.serving = false;
    this.lookingSinceMs = this.ctx.now();
    this.ctx.setRole(this.observer ? 'observer' : 'follower');
    this.election.restart(this.ownVote());
    this.desk.onLeaderLost();
    this.announce();
    this.checkElection();
  }

  private announce(): void {
    const m: NotificationMessage = { type: 'notification', round: this.election.round, vote: this.election.vote, state: 'looking' };
    for (const peer of this.voters) if (peer !== this.ctx.id) this.ctx.send(peer, m);
  }

  private stateNotice(): NotificationMessage {
    const state: PeerState = this.role;
    const vote: Vote = { leader: this.leaderId ?? this.ctx.id, epoch: this.log.currentEpoch, zxid: this.log.lastZxid };
    return { type: 'notification', round: this.election.round, vote, state };
  }

  private onNotification(from: NodeId, m: NotificationMessage): void {
    if (this.role !== 'looking') {
      // Out of election: tell a LOOKING server whom this one follows.
      if (m.state === 'looking' && this.leaderId !== undefined && this.phase === 'synced') this.ctx.send(from, this.stateNotice());
      if (m.state === 'looking' && this.role === 'leading' && this.lead?.established === true) this.ctx.send(from, this.stateNotice());
      return;
    }
    const { changed, answer } = this.election.onNotification(from, m);
    if (answer) this.ctx.send(from, { type: 'notification', round: this.election.round, vote: this.election.vote, state: 'looking' });
    if (changed) this.announce();
    this.checkElection();
  }

  private checkElection(): void {
    if (this.role !== 'looking') return;
    const settled = this.election.settledLeader();
    if (settled !== undefined && settled !== this.ctx.id) return this.join(settled);
    if (this.observer || !this.election.hasQuorum() || this.finalizeArmed) return;
    this.finalizeArmed = true;
    this.ctx.setTimer(this.params.finalizeWaitMs, 'finalize', this.election.round);
  }

  private onFinalize(round: number): void {
    this.finalizeArmed = false;
    if (this.role !== 'looking' || round !== this.election.round || !this.election.hasQuorum()) return this.checkElection();
    const leader = this.election.vote.leader;
    if (leader === this.ctx.id) this.becomeLeader();
    else this.join(leader);
  }

  // --- Learner: discovery and synchronisation -------------------------------------------------

  private join(leader: NodeId): void {
    this.role = this.observer ? 'observing' : 'following';
    this.leaderId = leader;
    this.phase = 'info';
    this.serving = false;
    this.expectedSeq = 1;
    this.early.clear();
    this.joinedMs = this.ctx.now();
    this.lastLeaderMs = this.ctx.now();
    this.joinId = this.ctx.rng.int(1, 2 ** 31 - 1);
    this.ctx.log('joins leader', { leader });
    this.sendFollowerInfo();
  }

  private sendFollowerInfo(): void {
    this.ctx.send(this.leaderId!, { type: 'follower-info', joinId: this.joinId, acceptedEpoch: this.log.acceptedEpoch, observer: this.observer });
  }

  private isLeader(from: NodeId): boolean {
    return (this.role === 'following' || this.role === 'observing') && from === this.leaderId;
  }

  private onNewEpoch(from: NodeId, epoch: number): void {
    if (!this.isLeader(from) || this.phase === 'synced') return;
    if (epoch < this.log.acceptedEpoch) {
      this.ctx.log('refuses stale epoch', { epoch, acceptedEpoch: this.log.acceptedEpoch });
      return this.startLooking();
    }
    if (epoch > this.log.acceptedEpoch) this.log.setAcceptedEpoch(epoch);
    this.learnerEpoch = epoch;
    this.phase = 'epoch';
    this.lastLeaderMs = this.ctx.now();
    this.sendAckEpoch();
  }

  private sendAckEpoch(): void {
    this.ctx.send(this.leaderId!, { type: 'ack-epoch', joinId: this.joinId, epoch: this.learnerEpoch, currentEpoch: this.log.currentEpoch, lastZxid: this.log.lastZxid });
  }

  private onBatch(from: NodeId, m: BatchMessage): void {
    if (!this.isLeader(from) || m.epoch !== this.learnerEpoch || m.joinId !== this.joinId || this.phase === 'info') return;
    this.lastLeaderMs = this.ctx.now();
    if (m.seq < this.expectedSeq) return this.sendAck();
    if (m.seq > this.expectedSeq) {
      if (this.early.size < this.params.linkWindowMax) this.early.set(m.seq, m);
      return;
    }
    this.deliver(m);
    for (let next = this.early.get(this.expectedSeq); next !== undefined; next = this.early.get(this.expectedSeq)) {
      this.early.delete(next.seq);
      this.deliver(next);
    }
    this.sendAck();
  }

  private deliver(m: BatchMessage): void {
    this.expectedSeq = m.seq + 1;
    if (m.sync !== undefined) {
      this.applySync(m);
    } else {
      for (const txn of m.entries) this.log.append(txn);
      this.learnCommit(m.commitZxid);
    }
    if (m.upToDate && !this.serving) this.startServing();
  }

  private applySync(m: BatchMessage): void {
    const sync = m.sync!;
    if (sync.mode === 'snap' && sync.snapshot !== undefined) this.log.install(sync.snapshot);
    if (sync.mode === 'trunc' && sync.truncTo !== undefined) {
      if (this.bugs.skipTrunc && this.log.lastZxid > sync.truncTo) {
        this.ctx.log('keeps proposals past TRUNC (bug skip-trunc)', { truncTo: showZxid(sync.truncTo), lastZxid: showZxid(this.log.lastZxid) });
      } else {
        this.log.truncate(sync.truncTo);
        this.ctx.mark(TRUNCATED);
      }
    }
    for (const txn of m.entries) this.log.append(txn);
    this.log.setCurrentEpoch(m.epoch);
    this.phase = 'synced';
    // Rebuild the database from the (possibly new) snapshot and the committed part of the log.
    this.db = this.log.snapshot !== undefined ? ZkDatabase.fromSnapshot(this.log.snapshot) : new ZkDatabase();
    this.commitZxid = this.db.appliedZxid;
    this.appliedSinceSnapshot = 0;
    this.desk.onDatabaseReset();
    this.learnCommit(m.commitZxid);
    this.ctx.log('synced', { mode: sync.mode, epoch: m.epoch, lastZxid: showZxid(this.log.lastZxid), commit: showZxid(this.commitZxid) });
  }

  private onPing(from: NodeId, m: PingMessage): void {
    if (!this.isLeader(from) || m.epoch !== this.learnerEpoch || m.joinId !== this.joinId || this.phase !== 'synced') return;
    this.lastLeaderMs = this.ctx.now();
    if (m.seqSent < this.expectedSeq) {
      this.learnCommit(m.commitZxid);
      if (m.upToDate && !this.serving) this.startServing();
    }
    this.sendAck();
  }

  private sendAck(): void {
    const ack: AckMessage = { type: 'ack', joinId: this.joinId, epoch: this.learnerEpoch, seq: this.expectedSeq - 1, zxid: this.log.lastZxid };
    this.ctx.send(this.leaderId!, ack);
  }

  private startServing(): void {
    this.serving = true;
    this.ctx.log('serving', { leader: this.leaderId, epoch: this.learnerEpoch });
    this.desk.onLeader();
  }

  // --- Leader: discovery, synchronisation, broadcast ------------------------------------------

  private becomeLeader(): void {
    this.role = 'leading';
    this.leaderId = this.ctx.id;
    const lead = new LeaderState(this.ctx.now());
    this.lead = lead;
    lead.acceptedEpochs.set(this.ctx.id, this.log.acceptedEpoch);
    lead.previousEpoch = this.log.currentEpoch;
    this.ctx.setRole('leader');
    this.ctx.log('leads', { lastZxid: showZxid(this.log.lastZxid), currentEpoch: this.log.currentEpoch });
    this.decideEpoch();
  }

  private onFollowerInfo(from: NodeId, acceptedEpoch: number, observer: boolean): void {
    const lead = this.lead;
    if (lead === undefined) return;
    if (observer) lead.observers.add(from);
    if (lead.epoch !== undefined) {
      this.ctx.send(from, { type: 'new-epoch', epoch: lead.epoch });
      // A voter that last accepted an older epoch was away while this one committed: it is behind.
      if (!observer && lead.established && acceptedEpoch < lead.epoch && this.commitZxid > lead.initialZxid) this.ctx.mark(LAGGARD_JOINS, from);
      return;
    }
    if (!observer) lead.acceptedEpochs.set(from, acceptedEpoch);
    this.decideEpoch();
  }

  /** With a quorum's accepted epochs known, the new epoch is one past the highest of them. */
  private decideEpoch(): void {
    const lead = this.lead!;
    if (lead.epoch !== undefined || lead.acceptedEpochs.size < this.quorum) return;
    const epoch = Math.max(...lead.acceptedEpochs.values()) + 1;
    lead.epoch = epoch;
    this.log.setAcceptedEpoch(epoch);
    this.log.setCurrentEpoch(epoch);
    lead.initialZxid = this.log.lastZxid;
    this.ctx.log('new epoch', { epoch, initialZxid: showZxid(lead.initialZxid) });
    for (const peer of lead.acceptedEpochs.keys()) if (peer !== this.ctx.id) this.ctx.send(peer, { type: 'new-epoch', epoch });
    for (const peer of lead.observers) this.ctx.send(peer, { type: 'new-epoch', epoch });
    this.checkEstablished();
  }

  private onAckEpoch(from: NodeId, m: AckEpochMessage): void {
    const lead = this.lead;
    if (lead?.epoch === undefined || m.epoch !== lead.epoch) return;
    // A learner already synced in this epoch holds this leader's history; any other whose history
    // is of a later epoch than this leader's is ahead of it, and this leader must not lead it.
    const ahead = m.currentEpoch !== lead.epoch && m.currentEpoch > lead.previousEpoch;
    if (ahead && !this.bugs.electLowerZxid) {
      this.ctx.log('refuses learner ahead of it', { learner: from, currentEpoch: m.currentEpoch, lastZxid: showZxid(m.lastZxid) });
      this.ctx.send(from, { type: 'refuse', epoch: lead.epoch });
      return;
    }
    if (lead.links.get(from)?.joinId === m.joinId) return; // A resent ack-epoch: the sync is on its way.
    const link = lead.openLink(from, m.joinId, lead.observers.has(from), this.ctx.now());
    const batch = this.syncBatch(m, link);
    this.sendOnLink(from, link, batch);
  }

  private syncBatch(m: AckEpochMessage, link: LearnerLink): BatchMessage {
    const lead = this.lead!;
    const base = { type: 'batch' as const, joinId: link.joinId, epoch: lead.epoch!, seq: link.nextSeq++, commitZxid: this.commitZxid, upToDate: lead.established };
    const ahead = m.currentEpoch !== lead.epoch && m.currentEpoch > lead.previousEpoch;
    if (!ahead && this.log.holds(m.lastZxid) && this.log.after(m.lastZxid).length <= this.params.diffMax) {
      return { ...base, sync: { mode: 'diff' }, entries: this.log.after(m.lastZxid) };
    }
    if (!ahead && m.lastZxid > this.log.snapshotZxid) {
      // The learner holds proposals this leader never had: none was committed, so they go.
      const truncTo = this.log.floor(m.lastZxid);
      if (this.log.after(truncTo).length <= this.params.diffMax) return { ...base, sync: { mode: 'trunc', truncTo }, entries: this.log.after(truncTo) };
    }
    const snapshot = this.db.snapshot();
    return { ...base, sync: { mode: 'snap', snapshot }, entries: this.log.after(snapshot.zxid) };
  }

  private onAck(from: NodeId, m: AckMessage): void {
    const lead = this.lead;
    const link = lead?.links.get(from);
    if (lead === undefined || link === undefined || m.epoch !== lead.epoch || m.joinId !== link.joinId) return;
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
    const lead = this.lead!;
    if (lead.established || lead.epoch === undefined || lead.syncedVoters() < this.quorum) return;
    lead.established = true;
    this.serving = true;
    this.ctx.log('established', { epoch: lead.epoch });
    this.learnCommit(lead.initialZxid);
    // Every learner's sync already carried the initial history.
    for (const link of lead.links.values()) link.outbox.length = 0;
    this.desk.onLeader();
    const waiting = lead.waiting.splice(0);
    for (const txn of waiting) this.propose(txn);
  }

  touch(sessions: readonly number[]): void {
    if (this.lead === undefined) return;
    for (const s of sessions) this.lead.sessionSeenMs.set(s, this.ctx.now());
  }

  /** A request becomes a proposal (at the leader), or waits for establishment. */
  propose(txn: Omit<Txn, 'zxid'>): void {
    const lead = this.lead;
    if (lead === undefined) return; // Not the leader: the entry server sends it again to the next one.
    if (txn.kind !== 'close-session') lead.sessionSeenMs.set(txn.session, this.ctx.now());
    if (!lead.established) {
      if (lead.waiting.length < this.params.queueMax) lead.waiting.push(txn);
      return;
    }
    const full: Txn = { ...txn, zxid: makeZxid(lead.epoch!, ++lead.counter) };
    this.log.append(full);
    for (const link of lead.links.values()) if (!link.observer) link.outbox.push(full);
    this.ctx.mark(PROPOSED);
    if (this.bugs.commitBeforeQuorum) this.learnCommit(full.zxid);
    else this.advanceLeaderCommit();
  }

  private advanceLeaderCommit(): void {
    const lead = this.lead;
    if (lead?.established !== true) return;
    const point = lead.commitPoint(this.log.lastZxid, this.quorum);
    if (point !== undefined && point > this.commitZxid) this.learnCommit(point);
  }

  /**
   * The leader expires a session it has not heard of (a request, or a server's keep-alive for it)
   * within its timeout: a close-session transaction, which deletes its ephemeral nodes at once. A
   * new leader gives every session a full timeout before judging it.
   */
  private expireSessions(now: number): void {
    const lead = this.lead!;
    for (const session of this.db.sessionIds()) {
      const timeoutMs = this.db.sessionTimeoutMs(session) ?? 0;
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

  // --- Commit and apply ----------------------------------------------------------------------

  /** Learns that everything up to `zxid` is committed, and applies what this log holds of it, in zxid order. */
  private learnCommit(zxid: Zxid): void {
    if (zxid > this.commitZxid) this.commitZxid = zxid;
    if (this.db.appliedZxid >= this.commitZxid || this.log.lastZxid <= this.db.appliedZxid) return;
    const ready = this.log.after(this.db.appliedZxid).filter((t) => t.zxid <= this.commitZxid);
    if (ready.length === 0) return;
    const applied: Applied[] = [];
    for (const txn of ready) applied.push(this.db.apply(txn));
    if (this.lead !== undefined) {
      for (const link of this.lead.links.values()) if (link.observer) link.outbox.push(...ready);
      if (ready.some((t) => t.kind === 'op')) this.ctx.mark(COMMITTED, this.lead.laggingVoter(this.commitZxid));
    }
    for (const a of applied) this.desk.onApplied(a);
    this.appliedSinceSnapshot += ready.length;
    if (this.appliedSinceSnapshot >= this.params.snapshotEveryTxns) {
      this.appliedSinceSnapshot = 0;
      this.log.compact(this.db.snapshot());
    }
  }

  // --- Links and timers ----------------------------------------------------------------------

  private sendOnLink(peer: NodeId, link: LearnerLink, batch: BatchMessage): void {
    link.unacked.push({ batch, sentMs: this.ctx.now() });
    if (link.unacked.length > this.params.linkWindowMax) {
      // Too far behind for the window: drop the link; the learner resyncs when it rejoins.
      this.lead!.links.delete(peer);
      this.ctx.send(peer, { type: 'refuse', epoch: batch.epoch });
      return;
    }
    this.ctx.send(peer, batch);
  }

  /**
   * At the end of each event: what it proposed or committed goes out, gathered for `batchDelayMs`
   * so one message per learner carries many proposals and the latest commit point.
   */
  private flush(): void {
    if (this.lead?.established !== true || this.flushArmed) return;
    if (this.params.batchDelayMs === 0) return this.sendBatches();
    this.flushArmed = true;
    this.ctx.setTimer(this.params.batchDelayMs, 'flush');
  }

  private sendBatches(): void {
    const lead = this.lead;
    if (lead?.established !== true) return;
    for (const [peer, link] of lead.links) {
      if (link.outbox.length === 0 && this.commitZxid <= link.sentCommitZxid) continue;
      link.sentCommitZxid = this.commitZxid;
      do {
        const entries = link.outbox.splice(0, this.params.batchMax);
        this.sendOnLink(peer, link, { type: 'batch', joinId: link.joinId, epoch: lead.epoch!, seq: link.nextSeq++, entries, commitZxid: this.commitZxid, upToDate: true });
      } while (link.outbox.length > 0 && lead.links.get(peer) === link);
    }
  }

  private onTick(): void {
    const now = this.ctx.now();
    if (this.role === 'looking') {
      this.announce();
      return;
    }
    if (this.role === 'leading') return this.leaderTick(now);
    // A learner: give up on a leader that went quiet, or that never let it join.
    const limit = this.phase === 'synced' ? this.params.syncLimitMs : this.params.initLimitMs;
    if (now - this.lastLeaderMs > limit || (this.phase !== 'synced' && now - this.joinedMs > this.params.initLimitMs)) {
      this.ctx.log('leader lost', { leader: this.leaderId });
      return this.startLooking();
    }
    if (this.phase === 'info') this.sendFollowerInfo();
    else if (this.phase === 'epoch') this.sendAckEpoch();
    this.desk.onTick();
  }

  private leaderTick(now: number): void {
    const lead = this.lead!;
    if (!lead.established) {
      if (now - lead.startedMs > this.params.initLimitMs) return this.startLooking();
      return;
    }
    if (lead.heardVoters(now, this.params.syncLimitMs) < this.quorum) {
      this.ctx.log('lost its quorum', { epoch: lead.epoch });
      return this.startLooking();
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
      this.ctx.send(peer, { type: 'ping', joinId: link.joinId, epoch: lead.epoch!, commitZxid: this.commitZxid, seqSent: link.nextSeq - 1, upToDate: true });
    }
    this.desk.onTick();
  }
}
