import type { NodeId } from '../../sim/node-context.js';
import type { Command } from './kv-state-machine.js';

interface Owed {
  command: Command;
  /** The node it was last forwarded to. */
  sentTo: NodeId | undefined;
}

/**
 * The client requests one node has seen, bounded: the ones it must still answer (it is their
 * entry node, and remembers where it sent them) and the ids it has handled, so a duplicated
 * delivery or forward is dropped.
 */
export class RequestTable {
  private readonly owed = new Map<number, Owed>();
  private readonly seen = new Set<number>();
  private readonly seenOrder: number[] = [];
  private seenHead = 0;

  constructor(private readonly rememberedMax: number) {}

  /** True the first time an id is offered; false for a duplicate. */
  firstSeen(id: number): boolean {
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    if (this.seenOrder.length < this.rememberedMax) {
      this.seenOrder.push(id);
    } else {
      this.seen.delete(this.seenOrder[this.seenHead]!);
      this.seenOrder[this.seenHead] = id;
      this.seenHead = (this.seenHead + 1) % this.rememberedMax;
    }
    return true;
  }

  /** Remembers that this node owes the client an answer; the oldest is given up beyond the bound (its client times out). */
  owe(command: Command): void {
    this.owed.set(command.id, { command, sentTo: undefined });
    if (this.owed.size > this.rememberedMax) this.owed.delete(this.owed.keys().next().value!);
  }

  sentTo(id: number, node: NodeId): void {
    const owed = this.owed.get(id);
    if (owed !== undefined) owed.sentTo = node;
  }

  wasSent(id: number): boolean {
    return this.owed.get(id)?.sentTo !== undefined;
  }

  /** The operation of a request still owed an answer, or undefined. */
  operationOf(id: number): string | undefined {
    return this.owed.get(id)?.command.f;
  }

  /** True (once) when the request was owed an answer: the caller answers it now. */
  take(id: number): boolean {
    return this.owed.delete(id);
  }

  /** Owed commands last forwarded to some node other than `leader`: worth sending again. */
  sentElsewhere(leader: NodeId): Command[] {
    const commands: Command[] = [];
    for (const owed of this.owed.values()) if (owed.sentTo !== undefined && owed.sentTo !== leader) commands.push(owed.command);
    return commands;
  }
}
