import { keyName } from './hash.js';
import { DEPTH, MerkleTree, childrenOf, leafOf } from './merkle.js';
import type { AeKeysMessage, AeTreeMessage, EventualMessage } from './messages.js';
import type { ReplicaStore, StoredKey } from './replica-store.js';
import type { Resolver } from './versions.js';

/** What anti-entropy needs from its node. */
export interface AeNode {
  readonly self: number;
  readonly nodes: number;
  /** The key's N replicas, by node index. */
  replicasOf(key: unknown): readonly number[];
  up(node: number): boolean;
  send(to: number, message: EventualMessage): void;
}

/**
 * Merkle-tree anti-entropy (Dynamo §4.7): every round a node compares, with the next peer in turn
 * it believes up, a tree over the keys both of them replicate. Equal roots end it at once; else
 * the two walk down the differing subtrees, one level per message, alternating, and at the
 * leaves each ships the other its versions of the keys there, which the other merges. Repairs
 * what hinted handoff and read repair missed — writes dropped before a peer was suspected, keys
 * nobody reads again — so replicas converge after every heal.
 */
export class AntiEntropy {
  private nextPeer: number;
  /** Where the next over-full key shipment starts. */
  private rotation = 0;

  constructor(private readonly node: AeNode, private readonly store: ReplicaStore, private readonly resolver: Resolver, private readonly keysPerMessageMax: number) {
    this.nextPeer = (node.self + 1) % node.nodes;
  }

  /** Starts one exchange with the next peer believed up (none when alone). */
  round(): void {
    for (let tries = 0; tries < this.node.nodes; tries++) {
      const peer = this.nextPeer;
      this.nextPeer = (this.nextPeer + 1) % this.node.nodes;
      if (peer === this.node.self || !this.node.up(peer)) continue;
      this.node.send(peer, { type: 'ae-tree', level: 0, nodes: [[0, this.tree(peer).hash(0, 0)]] });
      return;
    }
  }

  onTree(from: number, m: AeTreeMessage): void {
    const tree = this.tree(from);
    const differing = m.nodes.filter(([index, hash]) => tree.hash(m.level, index) !== hash).map(([index]) => index);
    if (differing.length === 0) return;
    if (m.level < DEPTH) {
      const nodes = differing.flatMap((index) => childrenOf(index).map((child): [number, string] => [child, tree.hash(m.level + 1, child)]));
      this.node.send(from, { type: 'ae-tree', level: m.level + 1, nodes });
      return;
    }
    this.node.send(from, { type: 'ae-keys', leaves: differing, keys: this.keysUnder(from, differing), answer: true });
  }

  onKeys(from: number, m: AeKeysMessage): void {
    for (const entry of m.keys) {
      if (this.node.replicasOf(entry.key).includes(this.node.self)) this.store.apply(entry.key, entry.versions);
    }
    if (m.answer) this.node.send(from, { type: 'ae-keys', leaves: m.leaves, keys: this.keysUnder(from, m.leaves), answer: false });
  }

  /** The tree over the keys this node replicates together with `peer`. */
  private tree(peer: number): MerkleTree {
    const entries: { name: string; digest: string }[] = [];
    for (const entry of this.shared(peer)) entries.push({ name: keyName(entry.key), digest: this.resolver.digest(entry.versions) });
    return new MerkleTree(entries);
  }

  /**
   * This node's keys shared with `peer` under the given leaves, at most a message's worth. When
   * there are more, each message starts where the last one stopped, so every key is shipped in
   * some round however many differ.
   */
  private keysUnder(peer: number, leaves: readonly number[]): StoredKey[] {
    const wanted = new Set(leaves);
    const all: StoredKey[] = [];
    for (const entry of this.shared(peer)) if (wanted.has(leafOf(keyName(entry.key)))) all.push({ key: entry.key, versions: entry.versions });
    if (all.length <= this.keysPerMessageMax) return all;
    const from = this.rotation % all.length;
    this.rotation += this.keysPerMessageMax;
    return [...all.slice(from), ...all.slice(0, from)].slice(0, this.keysPerMessageMax);
  }

  private *shared(peer: number): Generator<StoredKey> {
    for (const entry of this.store.entries()) if (this.node.replicasOf(entry.key).includes(peer)) yield entry;
  }
}

