import type { ClientReply, NodeId } from '../../sim/node-context.js';
import type { Ballot } from './ballot.js';
import type { Command, KvSnapshot, SlotValue } from './kv-state-machine.js';

/** A slot as an acceptor reports it in phase 1: what it accepted, and whether it knows it chosen. */
export interface ReportedSlot {
  slot: number;
  ballot: Ballot;
  value: SlotValue;
  chosen: boolean;
}

/** The state machine after applying every slot up to `index`. */
export interface Snapshot {
  index: number;
  state: KvSnapshot;
}

/**
 * Before phase 1, a candidate asks whether acceptors would promise `ballot`, changing nothing
 * (Raft's pre-vote): a node cut off from a majority then never raises the ballots it will
 * present when it comes back, so it cannot depose a healthy leader.
 */
export interface ProbeMessage {
  type: 'probe';
  ballot: Ballot;
}

/** The acceptor would promise the probed ballot now. */
export interface ProbeOkMessage {
  type: 'probe-ok';
  ballot: Ballot;
}

/** Phase 1a: promise me `ballot`; tell me what you accepted from `fromSlot` on. */
export interface PrepareMessage {
  type: 'prepare';
  ballot: Ballot;
  fromSlot: number;
}

/** Phase 1b. */
export interface PromiseMessage {
  type: 'promise';
  ballot: Ballot;
  slots: ReportedSlot[];
  /** Present when the acceptor compacted slots the candidate asked for. */
  snapshot?: Snapshot;
  /** Time left of a lease the acceptor may have granted before a restart (its clock). */
  forgottenLeaseMs: number;
}

/** Phase 2a, several slots at once; it also carries the leader's chosen prefix to learners. */
export interface AcceptMessage {
  type: 'accept';
  ballot: Ballot;
  slots: [slot: number, value: SlotValue][];
  commitIndex: number;
}

/** Phase 2b. */
export interface AcceptedMessage {
  type: 'accepted';
  ballot: Ballot;
  slots: number[];
}

/** Leader liveness, lease renewal round and chosen prefix. */
export interface HeartbeatMessage {
  type: 'heartbeat';
  ballot: Ballot;
  round: number;
  commitIndex: number;
}

/** A lease grant for one renewal round. */
export interface HeartbeatAckMessage {
  type: 'heartbeat-ack';
  ballot: Ballot;
  round: number;
}

/** A refusal: the acceptor promised a higher ballot, or a lease it granted forbids the promise. */
export interface RejectMessage {
  type: 'reject';
  ballot: Ballot;
  promised: Ballot;
  /** Time left of the lease that forbids the promise (the acceptor's clock); 0 when no lease did. */
  leaseBlockedMs: number;
}

/** A learner missing chosen slots asks the leader for them. */
export interface CatchUpRequestMessage {
  type: 'catch-up';
  fromSlot: number;
}

/** Chosen slots, from a snapshot when the asker is behind the leader's compaction. */
export interface CatchUpMessage {
  type: 'catch-up-reply';
  snapshot?: Snapshot;
  slots: [slot: number, value: SlotValue][];
}

/** A client command sent on towards the leader. */
export interface ForwardMessage {
  type: 'forward';
  command: Command;
  hops: number;
}

/** The answer to a command, sent to the node the client asked. */
export interface ResultMessage {
  type: 'result';
  id: number;
  reply: ClientReply;
}

/** A forward reached a node that is not the leader and knows no better one. */
export interface NotLeaderMessage {
  type: 'not-leader';
  id: number;
  leader?: NodeId;
}

export type PaxosMessage =
  | ProbeMessage
  | ProbeOkMessage
  | PrepareMessage
  | PromiseMessage
  | AcceptMessage
  | AcceptedMessage
  | HeartbeatMessage
  | HeartbeatAckMessage
  | RejectMessage
  | CatchUpRequestMessage
  | CatchUpMessage
  | ForwardMessage
  | ResultMessage
  | NotLeaderMessage;
