import type { DurableLog } from './node-context.js';

/**
 * The storage behind a node's append-only durable log (`NodeContext.durableLog`): entries at
 * consecutive positions from `start` to `end`, kept by reference in one array. A log that
 * appends one entry per proposal pays a push, not a copy of the entry and a new string key
 * in the node's key-value storage; dropping a compacted prefix is one splice.
 */
export class DurableLogStore<T> implements DurableLog<T> {
  private readonly items: T[] = [];
  private first = 0;

  get start(): number {
    return this.first;
  }

  get end(): number {
    return this.first + this.items.length;
  }

  at(position: number): T | undefined {
    return position >= this.first ? this.items[position - this.first] : undefined;
  }

  slice(from: number, to: number): T[] {
    return this.items.slice(Math.max(0, from - this.first), Math.max(0, to - this.first));
  }

  append(value: T): void {
    this.items.push(value);
  }

  truncateFrom(position: number): void {
    const keep = position - this.first;
    if (keep < this.items.length) this.items.length = Math.max(0, keep);
  }

  dropBefore(position: number): void {
    if (position <= this.first) return;
    const drop = Math.min(position - this.first, this.items.length);
    this.items.splice(0, drop);
    this.first = position;
  }
}
