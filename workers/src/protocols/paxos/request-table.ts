/**
 * The client requests one node has seen, bounded: the ones it must still answer (it is their
 * entry node) and the ids it has handled, so a duplicated delivery or forward is dropped.
 */
export class RequestTable {
  private readonly pending = new Map<number, string>();
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
  owe(id: number, f: string): void {
    this.pending.set(id, f);
    if (this.pending.size > this.rememberedMax) this.pending.delete(this.pending.keys().next().value!);
  }

  /** The operation of a request still owed an answer, or undefined. */
  operationOf(id: number): string | undefined {
    return this.pending.get(id);
  }

  /** True (once) when the request was owed an answer: the caller answers it now. */
  take(id: number): boolean {
    return this.pending.delete(id);
  }
}
