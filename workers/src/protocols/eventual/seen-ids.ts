/** Request ids a node has taken, the most recent `max` of them: a duplicate delivery is dropped. */
export class SeenIds {
  private readonly seen = new Set<number>();
  private readonly order: number[] = [];
  private head = 0;

  constructor(private readonly max: number) {}

  /** True the first time an id is offered. */
  first(id: number): boolean {
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    if (this.order.length < this.max) {
      this.order.push(id);
    } else {
      this.seen.delete(this.order[this.head]!);
      this.order[this.head] = id;
      this.head = (this.head + 1) % this.max;
    }
    return true;
  }
}
