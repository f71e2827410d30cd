import type { ClientReply, ClientRequest, NodeBehaviour, NodeContext, NodeId } from '../../sim/node-context.js';
import { Acceptor } from './acceptor.js';
import { ClientDesk, FAIL_READ, type DeskNode } from './client-desk.js';
import { BALLOT_NODES_MAX, nextBallot, type Ballot } from './ballot.js';
import type { Command, SlotValue } from './kv-state-machine.js';
import { LeaderTerm } from './leader-term.js';
import { Learner } from './learner.js';
import { LeaseGrantor, newMasterServeAtMs } from './lease.js';
import { CHOSEN } from './marks.js';
import type { PaxosMessage, PromiseMessage, RejectMessage } from './messages.js';
import { quorumSize, type PaxosBugs, type PaxosParams } from './params.js';
import { planRecovery } from './recovery.js';
import { SlotLog } from './slot-log.js';

interface Candidacy {
  ballot: Ballot;
  /** `probe` asks whether a quorum would promise; `prepare` is phase 1 proper. */
  stage: 'probe' | 'prepare';
  probes: Set<NodeId>;
  fromSlot: number;
  promises: Map<NodeId, PromiseMessage>;
  /** A retry is planned for when the lease that blocked a promise runs out. */
  retryArmed: boolean;
}

/**
 * One Paxos replica: acceptor, learner and (when elected) proposer of a multi-decree log that
 * drives a key-value store. Messages to itself go through a local inbox drained at the end of each
 * event, so its own acceptor is treated like any other without a trip through the network.
 */
export class PaxosNode implements NodeBehaviour, DeskNode {
  private readonly log: SlotLog;
  private readonly acceptor: Acceptor;
  private readonly learner: Learner;
  private readonly desk: ClientDesk;
  private readonly selfIndex: number;
  private readonly quorum: number;
  private readonly marginMs: number;
  /** The leader this node believes in (itself while it leads). */
  leaderId: NodeId | undefined;
  private lastLeaderContactMs: number;
  private highestSeen: Ballot;
  private candidacy: Candidacy | undefined;
  private term: LeaderTerm | undefined;
  private lastCatchUpMs = -Infinity;
  private readonly inbox: [NodeId, PaxosMessage][] = [];
  private draining = false;

  constructor(private readonly ctx: NodeContext, private readonly params: PaxosParams, private readonly bugs: PaxosBugs) {
    this.selfIndex = ctx.peers.indexOf(ctx.id);
    if (this.selfIndex < 0) throw new Error(`paxos: node ${ctx.id} is not among its peers`);
    if (ctx.peers.length > BALLOT_NODES_MAX) throw new Error(`paxos: at most ${BALLOT_NODES_MAX} nodes, got ${ctx.peers.length}`);
    this.quorum = quorumSize(ctx.peers.length, bugs);
    this.marginMs = bugs.leaseWithoutDriftMargin ? 0 : params.driftMarginMs;
    this.log = new SlotLog(ctx);
    this.acceptor = new Acceptor(this.log, new LeaseGrantor(params.leaseMs, ctx.now(), this.log.restarted));
    this.learner = new Learner(this.log, params.sessionsMax, params.snapshotEverySlots);
    this.learner.onApplied = (command, reply) => this.onApplied(command, reply);
    this.desk = new ClientDesk(ctx, params, this);
    this.highestSeen = this.log.promised;
    this.lastLeaderContactMs = ctx.now();
  }

  onStart(): void {
    this.ctx.setRole('follower');
    this.armElection();
  }

  onMessage(from: NodeId, message: unknown): void {
    this.dispatch(from, message as PaxosMessage);
    this.drain();
  }

  onTimer(tag: string, data: unknown): void {
    if (tag === 'election') this.onElectionTimer();
    else if (tag === 'heartbeat' && this.term?.ballot === data) this.onHeartbeatTimer();
    else if (tag === 'serve' && this.term?.ballot === data) this.startServing();
    else if (tag === 'campaign' && this.candidacy?.ballot === data) this.startCandidacy();
    else if (tag === 'parked') this.desk.expireParked();
    this.drain();
  }

  onClientRequest(request: ClientRequest): void {
    this.desk.onClientRequest(request);
    this.drain();
  }

  private dispatch(from: NodeId, m: PaxosMessage): void {
    const now = this.ctx.now();
    switch (m.type) {
      case 'probe':
        return this.send(from, this.acceptor.onProbe(m, from, now));
      case 'probe-ok':
        return this.onProbeOk(from, m.ballot);
      case 'prepare': {
        const reply = this.acceptor.onPrepare(m, from, now);
        if (reply.type === 'promise' && from !== this.ctx.id) this.supersededBy(m.ballot, undefined);
        return this.send(from, reply);
      }
      case 'promise':
        return this.onPromise(from, m);
      case 'accept': {
        const reply = this.acceptor.onAccept(m);
        this.send(from, reply);
        if (reply.type === 'accepted') this.followLeader(from, m.ballot, m.commitIndex);
        return;
      }
      case 'accepted':
        return this.onAccepted(from, m.ballot, m.slots);
      case 'heartbeat': {
        const reply = this.acceptor.onHeartbeat(m, from, now);
        this.send(from, reply);
        if (reply.type === 'heartbeat-ack') this.followLeader(from, m.ballot, m.commitIndex);
        return;
      }
      case 'heartbeat-ack': {
        if (this.term?.ballot !== m.ballot) return;
        const sentAtMs = this.term.lease.granted(m.round, from);
        if (sentAtMs !== undefined) this.term.lastQuorumMs = Math.max(this.term.lastQuorumMs, sentAtMs);
        return;
      }
      case 'reject':
        return this.onReject(m);
      case 'catch-up': {
        const snapshot = m.fromSlot <= this.log.snapshotIndex ? this.log.snapshot : undefined;
        const slots = this.learner.chosenFrom(m.fromSlot, this.params.catchUpBatchMax);
        if (snapshot !== undefined || slots.length > 0) this.send(from, { type: 'catch-up-reply', slots, ...(snapshot === undefined ? {} : { snapshot }) });
        return;
      }
      case 'catch-up-reply':
        if (m.snapshot !== undefined) this.learner.install(m.snapshot);
        for (const [slot, value] of m.slots) this.learner.choose(slot, value);
        return this.learner.advance();
      case 'forward':
        return this.desk.onForward(m);
      case 'result':
        return this.desk.onResult(m);
      case 'not-leader':
        return this.desk.onNotLeader(m);
    }
  }

  // --- Election ------------------------------------------------------------------------------

  /** One election timer runs for the node's whole life; each firing arms the next. */
  private armElection(): void {
    const waitMs = this.term !== undefined
      ? this.params.electionTimeoutMs
      : Math.max(1, this.lastLeaderContactMs + this.params.electionTimeoutMs - this.ctx.now());
    this.ctx.setTimer(waitMs + this.ctx.rng.int(0, this.params.electionJitterMs), 'election');
  }

  private onElectionTimer(): void {
    const now = this.ctx.now();
    if (this.term === undefined && now - this.lastLeaderContactMs >= this.params.electionTimeoutMs) {
      this.startCandidacy();
      this.ctx.setTimer(this.params.electionTimeoutMs + this.ctx.rng.int(0, this.params.electionJitterMs), 'election');
      return;
    }
    this.armElection();
  }

  private startCandidacy(): void {
    this.leaderId = undefined;
    const ballot = nextBallot(Math.max(this.highestSeen, this.log.promised), this.selfIndex);
    this.highestSeen = ballot;
    this.candidacy = { ballot, stage: 'probe', probes: new Set(), fromSlot: 0, promises: new Map(), retryArmed: false };
    this.ctx.log('candidate', { ballot });
    this.broadcast({ type: 'probe', ballot });
  }

  private onProbeOk(from: NodeId, ballot: Ballot): void {
    const candidacy = this.candidacy;
    if (candidacy?.ballot !== ballot || candidacy.stage !== 'probe') return;
    candidacy.probes.add(from);
    if (candidacy.probes.size < this.quorum) return;
    candidacy.stage = 'prepare';
    candidacy.fromSlot = this.learner.appliedIndex + 1;
    this.broadcast({ type: 'prepare', ballot, fromSlot: candidacy.fromSlot });
  }

  private onPromise(from: NodeId, m: PromiseMessage): void {
    const candidacy = this.candidacy;
    if (candidacy?.ballot !== m.ballot || candidacy.stage !== 'prepare') return;
    candidacy.promises.set(from, m);
    if (candidacy.promises.size >= this.quorum) this.becomeLeader(candidacy);
  }

  private becomeLeader(candidacy: Candidacy): void {
    this.candidacy = undefined;
    const plan = planRecovery([...candidacy.promises.values()], candidacy.fromSlot, this.bugs.forgetHighestAccepted);
    const now = this.ctx.now();
    const serveAtMs = this.params.leaseMs > 0 ? newMasterServeAtMs(now, plan.forgottenLeaseMs, this.marginMs) : now;
    const term = new LeaderTerm({
      ballot: candidacy.ballot,
      nextSlot: Math.max(plan.endSlot, this.learner.appliedIndex) + 1,
      barrierSlot: plan.endSlot,
      serveAtMs,
      nowMs: now,
      quorum: this.quorum,
      marginMs: this.marginMs,
    }, this.params);
    this.term = term;
    this.leaderId = this.ctx.id;
    this.ctx.setRole('leader');
    this.ctx.log('leader', { ballot: term.ballot, endSlot: plan.endSlot, serveAtMs });
    // Learned before proposing, so recovered commands are answered by this term (held until it serves).
    if (plan.snapshot !== undefined) this.learner.install(plan.snapshot);
    for (const [slot, value] of plan.chosen) this.learner.choose(slot, value);
    this.learner.advance();
    const recovered: [number, SlotValue][] = [];
    for (const [slot, value] of plan.propose) {
      if (slot <= this.learner.appliedIndex) continue;
      term.propose(slot, value, now);
      recovered.push([slot, value]);
    }
    for (let i = 0; i < recovered.length; i += this.params.catchUpBatchMax) {
      this.broadcastAccept(recovered.slice(i, i + this.params.catchUpBatchMax));
    }
    this.onHeartbeatTimer();
    this.desk.onNewLeader(this.ctx.id);
    if (serveAtMs > now) this.ctx.setTimer(serveAtMs - now, 'serve', term.ballot);
    else this.pump();
  }

  /** Someone holds a higher ballot: stop leading or campaigning for a lower one. */
  private supersededBy(ballot: Ballot, leader: NodeId | undefined): void {
    if (ballot > this.highestSeen) this.highestSeen = ballot;
    if (this.term !== undefined && ballot > this.term.ballot) this.stepDown();
    if (this.candidacy !== undefined && ballot > this.candidacy.ballot) this.candidacy = undefined;
    if (leader !== undefined && leader !== this.leaderId) {
      this.leaderId = leader;
      this.desk.onNewLeader(leader);
    }
    this.lastLeaderContactMs = this.ctx.now();
  }

  private onReject(m: RejectMessage): void {
    const candidacy = this.candidacy;
    if (m.leaseBlockedMs > 0 && candidacy?.ballot === m.ballot && !candidacy.retryArmed) {
      // Try again as soon as the old master's lease has run out there, not a whole timeout later.
      candidacy.retryArmed = true;
      this.ctx.setTimer(m.leaseBlockedMs + this.ctx.rng.int(1, this.params.heartbeatMs), 'campaign', candidacy.ballot);
    }
    if (m.promised <= m.ballot) return;
    if (m.promised > this.highestSeen) this.highestSeen = m.promised;
    if (this.term?.ballot === m.ballot) this.stepDown();
    if (this.candidacy?.ballot === m.ballot) this.candidacy = undefined;
  }

  private stepDown(): void {
    const term = this.term;
    if (term === undefined) return;
    this.term = undefined;
    this.leaderId = undefined;
    this.lastLeaderContactMs = this.ctx.now();
    this.ctx.setRole('follower');
    this.ctx.log('step down', { ballot: term.ballot });
    for (const command of term.abandon()) this.desk.orphaned(command);
  }

  // --- Following -----------------------------------------------------------------------------

  /** A valid accept or heartbeat from the leader of `ballot`: follow it and learn what it chose. */
  private followLeader(leader: NodeId, ballot: Ballot, commitIndex: number): void {
    if (leader !== this.ctx.id) this.supersededBy(ballot, leader);
    if (this.learner.commitUpTo(ballot, commitIndex)) return;
    const now = this.ctx.now();
    if (leader !== this.ctx.id && now - this.lastCatchUpMs >= this.params.retryMs) {
      this.lastCatchUpMs = now;
      this.send(leader, { type: 'catch-up', fromSlot: this.learner.appliedIndex + 1 });
    }
  }

  // --- Leading -------------------------------------------------------------------------------

  leading(): boolean {
    return this.term !== undefined;
  }

  /** A client command reached the leader: served from the lease, or queued for the log. */
  lead(command: Command): void {
    const term = this.term!;
    if (command.f === 'read' && term.leaseReadable(this.ctx.now(), this.learner.appliedIndex)) {
      this.desk.answer(command, this.learner.kv.read(command.value));
    } else if (term.enqueue(command)) {
      this.pump();
    } else if (command.f === 'read') {
      this.desk.answer(command, FAIL_READ);
    }
  }

  /** The leader answers each command it applied; the entry node relays it to the client. */
  private onApplied(command: Command, reply: ClientReply): void {
    const term = this.term;
    if (term === undefined) return;
    if (!term.serving(this.ctx.now())) {
      term.hold(command, reply);
      return;
    }
    this.desk.answer(command, reply);
    // Until its next accept or heartbeat, only this node knows the write is chosen.
    if (command.f !== 'read' && reply.type === 'ok') this.ctx.mark(CHOSEN);
  }

  private onAccepted(from: NodeId, ballot: Ballot, slots: readonly number[]): void {
    const term = this.term;
    if (term === undefined || term.ballot !== ballot) return;
    const chosen = term.accepted(from, slots);
    if (chosen.length > 0) {
      for (const [slot, value] of chosen) this.learner.choose(slot, value);
      this.learner.advance();
    }
    this.pump();
  }

  /** Proposes queued commands while the window has room. */
  private pump(): void {
    const term = this.term;
    if (term === undefined) return;
    const slots = term.fill(this.ctx.now());
    if (slots.length > 0) this.broadcastAccept(slots);
  }

  private startServing(): void {
    const term = this.term!;
    for (const [command, reply] of term.takeHeld()) this.desk.answer(command, reply);
    this.pump();
  }

  private onHeartbeatTimer(): void {
    const term = this.term!;
    const now = this.ctx.now();
    // A master holds on while its lease runs (Chubby): no one else can lead before it ends anyway.
    if (now - term.lastQuorumMs > this.params.electionTimeoutMs && !term.lease.valid(now)) {
      this.stepDown();
      return;
    }
    const round = term.lease.startRound(now);
    this.broadcast({ type: 'heartbeat', ballot: term.ballot, round, commitIndex: this.learner.appliedIndex });
    for (const [peer, slots] of term.due(now, this.ctx.peers)) {
      this.send(peer, { type: 'accept', ballot: term.ballot, slots, commitIndex: this.learner.appliedIndex });
    }
    this.ctx.setTimer(this.params.heartbeatMs, 'heartbeat', term.ballot);
  }

  private broadcastAccept(slots: [number, SlotValue][]): void {
    this.broadcast({ type: 'accept', ballot: this.term!.ballot, slots, commitIndex: this.learner.appliedIndex });
  }

  // --- Transport -----------------------------------------------------------------------------

  private send(to: NodeId, message: PaxosMessage): void {
    if (to === this.ctx.id) this.inbox.push([to, message]);
    else this.ctx.send(to, message);
  }

  private broadcast(message: PaxosMessage): void {
    for (const peer of this.ctx.peers) this.send(peer, message);
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let i = 0; i < this.inbox.length; i++) this.dispatch(this.inbox[i]![0], this.inbox[i]![1]);
      this.inbox.length = 0;
    } finally {
      this.draining = false;
    }
  }
}
