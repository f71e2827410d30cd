import type { EventualMessage, HandoffAckMessage, HandoffMessage } from './messages.js';
import type { ReplicaStore } from './replica-store.js';
import type { Resolver } from './versions.js';

/** What hinted handoff needs from its node. */
export interface HandoffNode {
  up(node: number): boolean;
  send(to: number, message: EventualMessage): void;
  /** Whether this node is one of the key's N replicas. */
  replicates(key: unknown): boolean;
}

/**
 * Hinted handoff (Dynamo §4.6): a stand-in keeps the versions it took for an unreachable replica,
 * durably, and every `handoffMs` sends those whose replica it believes up again (a bounded batch
 * per round). The replica merges them and acknowledges their digest; the stand-in then drops the
 * hint, unless newer hinted writes arrived meanwhile (those go in a later round).
 */
export class HintedHandoff {
  /** Where the next round starts among the hints held. */
  private next = 0;

  constructor(private readonly node: HandoffNode, private readonly store: ReplicaStore, private readonly resolver: Resolver, private readonly batchMax: number) {}

  round(): void {
    const hints = this.store.hints();
    // Each round starts after the last hint sent, so hints whose acknowledgements keep getting lost
    // cannot hold the others back.
    const from = hints.length === 0 ? 0 : this.next % hints.length;
    let sent = 0;
    for (let i = 0; i < hints.length && sent < this.batchMax; i++) {
      const hint = hints[(from + i) % hints.length]!;
      if (!this.node.up(hint.target)) continue;
      this.node.send(hint.target, { type: 'handoff', key: hint.key, versions: hint.versions });
      sent++;
      this.next = from + i + 1;
    }
  }

  /** At the replica: take the versions, acknowledge what was taken. */
  onHandoff(from: number, m: HandoffMessage): void {
    if (this.node.replicates(m.key)) this.store.apply(m.key, m.versions);
    // Acknowledged even when this node no longer replicates the key: the hint has nowhere better to go.
    this.node.send(from, { type: 'handoff-ack', key: m.key, digest: this.resolver.digest(m.versions) });
  }

  onAck(from: number, m: HandoffAckMessage): void {
    this.store.handedOff(from, m.key, m.digest);
  }
}
