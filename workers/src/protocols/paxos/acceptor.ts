import type { NodeId } from '../../sim/node-context.js';
import type { LeaseGrantor } from './lease.js';
import type {
  AcceptMessage,
  AcceptedMessage,
  HeartbeatAckMessage,
  HeartbeatMessage,
  PrepareMessage,
  ProbeMessage,
  ProbeOkMessage,
  PromiseMessage,
  RejectMessage,
} from './messages.js';
import type { SlotLog } from './slot-log.js';

/**
 * The acceptor: answers phase 1 and phase 2 and grants master leases. Its state lives in the
 * SlotLog, which persists every change before a reply is built.
 *
 * Leases are a promise on top of Paxos: while a grant to one node runs on this acceptor's clock,
 * it promises no other candidate. Phase 2 needs no such check: a leader that got a quorum of
 * promises got at least one from an acceptor that had granted the old master's last lease and
 * waited it out.
 */
export class Acceptor {
  constructor(private readonly log: SlotLog, private readonly grantor: LeaseGrantor) {}

  /** Would this acceptor promise `ballot` now? Changes nothing. */
  onProbe(message: ProbeMessage, candidate: NodeId, nowMs: number): ProbeOkMessage | RejectMessage {
    const { ballot } = message;
    if (ballot <= this.log.promised) return this.reject(ballot);
    const blockedMs = this.grantor.blocksForMs(candidate, nowMs);
    if (blockedMs > 0) return this.reject(ballot, blockedMs);
    return { type: 'probe-ok', ballot };
  }

  onPrepare(message: PrepareMessage, candidate: NodeId, nowMs: number): PromiseMessage | RejectMessage {
    const { ballot } = message;
    if (ballot < this.log.promised) return this.reject(ballot);
    const blockedMs = ballot > this.log.promised ? this.grantor.blocksForMs(candidate, nowMs) : 0;
    if (blockedMs > 0) return this.reject(ballot, blockedMs);
    this.log.promise(ballot);
    const snapshot = message.fromSlot <= this.log.snapshotIndex ? this.log.snapshot : undefined;
    return {
      type: 'promise',
      ballot,
      slots: this.log.report(message.fromSlot),
      ...(snapshot === undefined ? {} : { snapshot }),
      forgottenLeaseMs: this.grantor.forgottenRemainingMs(nowMs),
    };
  }

  onAccept(message: AcceptMessage): AcceptedMessage | RejectMessage {
    const { ballot } = message;
    if (ballot < this.log.promised) return this.reject(ballot);
    this.log.promise(ballot);
    const slots: number[] = [];
    for (const [slot, value] of message.slots) {
      this.log.accept(slot, ballot, value);
      slots.push(slot);
    }
    return { type: 'accepted', ballot, slots };
  }

  /** A heartbeat from the leader of `ballot` renews its lease here. */
  onHeartbeat(message: HeartbeatMessage, leader: NodeId, nowMs: number): HeartbeatAckMessage | RejectMessage {
    const { ballot } = message;
    if (ballot < this.log.promised) return this.reject(ballot);
    this.log.promise(ballot);
    this.grantor.grant(leader, nowMs);
    return { type: 'heartbeat-ack', ballot, round: message.round };
  }

  private reject(ballot: number, leaseBlockedMs = 0): RejectMessage {
    return { type: 'reject', ballot, promised: this.log.promised, leaseBlockedMs };
  }
}
