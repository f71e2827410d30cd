import type { ClientReply } from '../../sim/node-context.js';
import type { StoredKey } from './replica-store.js';
import type { Version } from './versions.js';

/** Liveness gossip: hearing any message from a peer counts, pings keep quiet links heard. */
export interface PingMessage {
  type: 'ping';
}

/** A client request sent on to a replica of its key, which coordinates it (Dynamo §4.5). */
export interface ForwardMessage {
  type: 'forward';
  id: number;
  f: string;
  value: unknown;
}

/** The coordinator's answer to a forwarded request, for the node the client asked. */
export interface ResultMessage {
  type: 'result';
  id: number;
  reply: ClientReply;
}

/** Store these versions of the key (as a hint for `hintFor` when it is ≥ 0); `id` names the coordination. */
export interface PutMessage {
  type: 'put';
  id: number;
  key: unknown;
  versions: Version[];
  hintFor: number;
}

export interface PutAckMessage {
  type: 'put-ack';
  id: number;
}

/** Send me what you hold for the key. */
export interface GetMessage {
  type: 'get';
  id: number;
  key: unknown;
}

export interface GetReplyMessage {
  type: 'get-reply';
  id: number;
  versions: Version[];
}

/** Read repair: a replica that answered a read with less than the coordinator learned gets the rest. */
export interface RepairMessage {
  type: 'repair';
  key: unknown;
  versions: Version[];
  hintFor: number;
}

/** Hinted handoff: versions a stand-in held for this node; acknowledged with their digest. */
export interface HandoffMessage {
  type: 'handoff';
  key: unknown;
  versions: Version[];
}

export interface HandoffAckMessage {
  type: 'handoff-ack';
  key: unknown;
  digest: string;
}

/**
 * Merkle anti-entropy, one level of the tree over the keys both nodes replicate: the sender's
 * hashes of these tree nodes; the receiver answers with the children of those that differ, or,
 * at the leaves, with the keys under them (`ae-keys`).
 */
export interface AeTreeMessage {
  type: 'ae-tree';
  level: number;
  nodes: [index: number, hash: string][];
}

/** The sender's keys under some leaves of the tree; `answer`: send yours under the same leaves back. */
export interface AeKeysMessage {
  type: 'ae-keys';
  leaves: number[];
  keys: StoredKey[];
  answer: boolean;
}

export type EventualMessage =
  | PingMessage
  | ForwardMessage
  | ResultMessage
  | PutMessage
  | PutAckMessage
  | GetMessage
  | GetReplyMessage
  | RepairMessage
  | HandoffMessage
  | HandoffAckMessage
  | AeTreeMessage
  | AeKeysMessage;
