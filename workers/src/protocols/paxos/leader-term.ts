import type { ClientReply, NodeId } from '../../sim/node-context.js';
import type { Ballot } from './ballot.js';
import type { Command, SlotValue } from './kv-state-machine.js';
import { LeaseHolder } from './lease.js';
import type { PaxosParams } from './params.js';

interface InFlightSlot {
  value: SlotValue;
  acks: Set<NodeId>;
  sentAtMs: number;
}

/** Where a new term starts, from phase 1. */
export interface TermStart {
  ballot: Ballot;
  /** The first free slot. */
  nextSlot: number;
  /** Reads are served locally only once every slot up to here is applied. */
  barrierSlot: number;
  /** When the old master's lease is certainly over (this node's clock). */
  serveAtMs: number;
  nowMs: number;
  quorum: number;
  marginMs: number;
}

/**
 * The proposer while it leads a ballot: phase 1 is done once for every future slot, so each
 * command costs one phase 2 round. Commands wait in a bounded queue, are packed into batches of
 * `batchMax`, and at most `windowSlotsMax` slots are in flight. Until `serveAtMs` it proposes
 * only the recovered slots and holds every client answer back: an old master may still be
 * serving reads under its lease.
 */
export class LeaderTerm {
  readonly ballot: Ballot;
  readonly lease: LeaseHolder;
  readonly barrierSlot: number;
  readonly serveAtMs: number;
  /** Send time of the latest heartbeat round a quorum granted. */
  lastQuorumMs: number;
  private nextSlot: number;
  private readonly inflight = new Map<number, InFlightSlot>();
  private readonly queue: Command[] = [];
  private queueHead = 0;
  private readonly held: [Command, ClientReply][] = [];
  private readonly quorum: number;

  constructor(start: TermStart, private readonly params: PaxosParams) {
    this.ballot = start.ballot;
    this.nextSlot = start.nextSlot;
    this.barrierSlot = start.barrierSlot;
    this.serveAtMs = start.serveAtMs;
    this.lastQuorumMs = start.nowMs;
    this.quorum = start.quorum;
    this.lease = new LeaseHolder(params.leaseMs, start.marginMs, start.quorum);
  }

  serving(nowMs: number): boolean {
    return nowMs >= this.serveAtMs;
  }

  /** A read may be answered from local state: the lease holds and the log is recovered. */
  leaseReadable(nowMs: number, appliedIndex: number): boolean {
    return this.params.leaseMs > 0 && this.serving(nowMs) && appliedIndex >= this.barrierSlot && this.lease.valid(nowMs);
  }

  /** False when the queue is full: the command was not taken. */
  enqueue(command: Command): boolean {
    if (this.queue.length - this.queueHead >= this.params.queueMax) return false;
    this.queue.push(command);
    return true;
  }

  /** Proposes `value` in `slot` (recovery); the caller sends it. */
  propose(slot: number, value: SlotValue, nowMs: number): void {
    this.inflight.set(slot, { value, acks: new Set(), sentAtMs: nowMs });
    if (slot >= this.nextSlot) this.nextSlot = slot + 1;
  }

  /** Moves queued commands into new slots while the window has room; the caller sends them. */
  fill(nowMs: number): [slot: number, value: SlotValue][] {
    const out: [number, SlotValue][] = [];
    if (!this.serving(nowMs)) return out;
    while (this.queueHead < this.queue.length && this.inflight.size < this.params.windowSlotsMax) {
      const end = Math.min(this.queue.length, this.queueHead + this.params.batchMax);
      const value = this.queue.slice(this.queueHead, end);
      this.queueHead = end;
      const slot = this.nextSlot;
      this.propose(slot, value, nowMs);
      out.push([slot, value]);
    }
    if (this.queueHead > 0 && this.queueHead * 2 >= this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
    return out;
  }

  /** Records phase 2 acknowledgements; returns the slots they made chosen. */
  accepted(from: NodeId, slots: readonly number[]): [slot: number, value: SlotValue][] {
    const chosen: [number, SlotValue][] = [];
    for (const slot of slots) {
      const entry = this.inflight.get(slot);
      if (entry === undefined) continue;
      entry.acks.add(from);
      if (entry.acks.size >= this.quorum) {
        this.inflight.delete(slot);
        chosen.push([slot, entry.value]);
      }
    }
    return chosen;
  }

  /** In-flight slots unacknowledged for `retryMs`, per node that has not acknowledged them. */
  due(nowMs: number, peers: readonly NodeId[]): Map<NodeId, [slot: number, value: SlotValue][]> {
    const resend = new Map<NodeId, [number, SlotValue][]>();
    for (const [slot, entry] of this.inflight) {
      if (nowMs - entry.sentAtMs < this.params.retryMs) continue;
      entry.sentAtMs = nowMs;
      for (const peer of peers) {
        if (entry.acks.has(peer)) continue;
        let list = resend.get(peer);
        if (list === undefined) resend.set(peer, (list = []));
        if (list.length < this.params.batchMax) list.push([slot, entry.value]);
      }
    }
    return resend;
  }

  /** Keeps an answer until the term may serve. */
  hold(command: Command, reply: ClientReply): void {
    this.held.push([command, reply]);
  }

  takeHeld(): [Command, ClientReply][] {
    return this.held.splice(0);
  }

  /** Every command the term still owes an answer to, when it ends: queued, in flight, held. */
  abandon(): Command[] {
    const commands: Command[] = this.queue.slice(this.queueHead);
    for (const entry of this.inflight.values()) commands.push(...entry.value);
    for (const [command] of this.held) commands.push(command);
    this.queue.length = 0;
    this.queueHead = 0;
    this.inflight.clear();
    this.held.length = 0;
    return commands;
  }
}
