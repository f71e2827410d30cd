import type { ClientRequest, NodeBehaviour, NodeContext, NodeId } from '../../sim/node-context.js';
import { ClientDesk } from './client-desk.js';
import { ZkDatabase, type Applied, type Txn } from './database.js';
import { Election } from './election.js';
import { Leader, type LeaderHost } from './leader.js';
import { COMMITTED, TRUNCATED } from './marks.js';
import type { AckMessage, BatchMessage, NotificationMessage, PeerState, PingMessage, Vote, ZabMessage } from './messages.js';
import type { ZabBugs, ZabParams } from './params.js';
import { TxnLog } from './txn-log.js';
import type { WatchTable } from './watches.js';
import { showZxid, type Zxid } from './zxid.js';

type Role = 'looking' | 'following' | 'observing' | 'leading';

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
  private lead: Leader | undefined;
  // Learner side of the link with the leader.
  private learnerEpoch = 0;
  private expectedSeq = 1;
  private readonly early = new Map<number, BatchMessage>();
  private joinedMs = 0;
  private joinId = 0;
  /** Whether this learner's acknowledgement of its leader's epoch counts toward that leader's quorum (see AckEpochMessage.fresh). */
  private epochFresh = false;
  /** The leader whose epoch this server accepted last (memory only: after a restart no rejoin is fresh). */
  private acceptedFrom: NodeId | undefined;
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
      this.lead?.sendBatches();
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
        this.lead?.onFollowerInfo(from, m.acceptedEpoch, m.observer);
        break;
      case 'new-epoch':
        this.onNewEpoch(from, m.epoch);
        break;
      case 'ack-epoch':
        this.lead?.onAckEpoch(from, m);
        break;
      case 'batch':
        this.onBatch(from, m);
        break;
      case 'ping':
        this.onPing(from, m);
        break;
      case 'ack':
        this.lead?.onAck(from, m);
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
    if (this.role === 'leading') this.ctx.log('leader steps down', { epoch: this.lead?.state.epoch });
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
      if (m.state === 'looking' && this.role === 'leading' && this.lead?.state.established === true) this.ctx.send(from, this.stateNotice());
      return;
    }
    const { changed, answer } = this.election.onNotification(from, m);
    if (answer && m.answer !== true) this.ctx.send(from, { type: 'notification', round: this.election.round, vote: this.election.vote, state: 'looking', answer: true });
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
    if (this.phase === 'epoch' && epoch === this.learnerEpoch) return this.sendAckEpoch(); // A copy: answered as the first was.
    if (epoch < this.log.acceptedEpoch) {
      this.ctx.log('refuses stale epoch', { epoch, acceptedEpoch: this.log.acceptedEpoch });
      return this.startLooking();
    }
    this.epochFresh = epoch > this.log.acceptedEpoch || this.acceptedFrom === from;
    if (epoch > this.log.acceptedEpoch) {
      this.log.setAcceptedEpoch(epoch);
      this.acceptedFrom = from;
    }
    this.learnerEpoch = epoch;
    this.phase = 'epoch';
    this.lastLeaderMs = this.ctx.now();
    this.sendAckEpoch();
  }

  private sendAckEpoch(): void {
    this.ctx.send(this.leaderId!, { type: 'ack-epoch', joinId: this.joinId, epoch: this.learnerEpoch, fresh: this.epochFresh, currentEpoch: this.log.currentEpoch, lastZxid: this.log.lastZxid });
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

  // --- Leader (its term lives in leader.ts) --------------------------------------------------

  private becomeLeader(): void {
    this.role = 'leading';
    this.leaderId = this.ctx.id;
    const node = this;
    const host: LeaderHost = {
      get commitZxid() {
        return node.commitZxid;
      },
      get db() {
        return node.db;
      },
      desk: this.desk,
      learnCommit: (zxid) => this.learnCommit(zxid),
      serve: () => {
        this.serving = true;
      },
      startLooking: () => this.startLooking(),
    };
    const lead = new Leader(this.ctx, this.params, this.bugs, this.log, this.voters, this.quorum, host);
    this.lead = lead;
    this.ctx.setRole('leader');
    this.ctx.log('leads', { lastZxid: showZxid(this.log.lastZxid), currentEpoch: this.log.currentEpoch });
    lead.decideEpoch();
  }

  touch(sessions: readonly number[]): void {
    this.lead?.touch(sessions);
  }

  /** A request becomes a proposal at the leader (or waits there for establishment); elsewhere the entry server sends it again to the next leader. */
  propose(txn: Omit<Txn, 'zxid'>): void {
    this.lead?.propose(txn);
  }

  // --- Commit and apply ----------------------------------------------------------------------

  /** Learns that everything up to `zxid` is committed, and applies what this log holds of it, in zxid order. */
  private learnCommit(zxid: Zxid): void {
    if (zxid > this.commitZxid) this.commitZxid = zxid;
    if (this.db.appliedZxid >= this.commitZxid || this.log.lastZxid <= this.db.appliedZxid) return;
    const ready = this.log.between(this.db.appliedZxid, this.commitZxid);
    if (ready.length === 0) return;
    const applied: Applied[] = [];
    for (const txn of ready) applied.push(this.db.apply(txn));
    if (this.lead !== undefined) {
      const lead = this.lead.state;
      for (const link of lead.links.values()) if (link.observer) link.outbox.push(...ready);
      if (ready.some((t) => t.kind === 'op')) this.ctx.mark(COMMITTED, lead.laggingVoter(this.commitZxid));
    }
    for (const a of applied) this.desk.onApplied(a);
    this.appliedSinceSnapshot += ready.length;
    if (this.appliedSinceSnapshot >= this.params.snapshotEveryTxns) {
      this.appliedSinceSnapshot = 0;
      this.log.compact(this.db.snapshot());
    }
  }

  // --- Timers ----------------------------------------------------------------------------------

  /**
   * At the end of each event: what it proposed or committed goes out, gathered for `batchDelayMs`
   * so one message per learner carries many proposals and the latest commit point.
   */
  private flush(): void {
    if (this.lead?.state.established !== true || this.flushArmed) return;
    if (this.params.batchDelayMs === 0) return this.lead.sendBatches();
    this.flushArmed = true;
    this.ctx.setTimer(this.params.batchDelayMs, 'flush');
  }

  private onTick(): void {
    const now = this.ctx.now();
    if (this.role === 'looking') {
      this.announce();
      return;
    }
    if (this.role === 'leading') return this.lead!.onTick(now);
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


}
