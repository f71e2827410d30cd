/**
 * The simulator's pending events: a binary min-heap of slot numbers, ordered by (time, sequence),
 * over typed arrays. An event is a row of parallel arrays (kind, node, a, b, ref) rather than an
 * object or a closure, so a message costs no allocation beyond its payload. Ties in time are
 * broken by insertion order, which is itself deterministic: the same seed pops the same order.
 */
export class EventQueue {
  private capacity: number;
  private times: Float64Array;
  private seqs: Float64Array;
  /** Event kind, by slot (the dispatcher's switch). */
  kinds: Uint8Array;
  /** Target node index, by slot (-1 when none). */
  nodes: Int32Array;
  /** Small integer argument, by slot (sender, timer id, request id...). */
  as: Int32Array;
  /** Numeric argument, by slot (generation, incarnation...). */
  bs: Float64Array;
  /** Object argument, by slot (payload); cleared on release so payloads can be collected. */
  refs: unknown[];
  private heap: Int32Array;
  private size = 0;
  private freeSlots: Int32Array;
  private freeCount = 0;
  private nextSlot = 0;
  private nextSeq = 0;

  constructor(initialCapacity = 1024) {
    this.capacity = Math.max(16, initialCapacity);
    this.times = new Float64Array(this.capacity);
    this.seqs = new Float64Array(this.capacity);
    this.kinds = new Uint8Array(this.capacity);
    this.nodes = new Int32Array(this.capacity);
    this.as = new Int32Array(this.capacity);
    this.bs = new Float64Array(this.capacity);
    this.refs = new Array<unknown>(this.capacity).fill(undefined);
    this.heap = new Int32Array(this.capacity);
    this.freeSlots = new Int32Array(this.capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): number {
    return this.size === 0 ? Infinity : this.times[this.heap[0]!]!;
  }

  timeOf(slot: number): number {
    return this.times[slot]!;
  }

  push(timeMs: number, kind: number, node: number, a: number, b: number, ref: unknown): void {
    const slot = this.allocate();
    this.times[slot] = timeMs;
    this.seqs[slot] = this.nextSeq++;
    this.kinds[slot] = kind;
    this.nodes[slot] = node;
    this.as[slot] = a;
    this.bs[slot] = b;
    this.refs[slot] = ref;
    let i = this.size++;
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!this.before(slot, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = slot;
  }

  /** Removes the earliest event and returns its slot (-1 when empty). Read it, then `release`. */
  pop(): number {
    if (this.size === 0) return -1;
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap[--this.size]!;
    if (this.size > 0) {
      let i = 0;
      const n = this.size;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let child = l;
        if (r < n && this.before(heap[r]!, heap[l]!)) child = r;
        if (!this.before(heap[child]!, last)) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }

  release(slot: number): void {
    this.refs[slot] = undefined;
    this.freeSlots[this.freeCount++] = slot;
  }

  private before(x: number, y: number): boolean {
    const tx = this.times[x]!;
    const ty = this.times[y]!;
    return tx < ty || (tx === ty && this.seqs[x]! < this.seqs[y]!);
  }

  private allocate(): number {
    if (this.freeCount > 0) return this.freeSlots[--this.freeCount]!;
    if (this.nextSlot === this.capacity) this.grow();
    return this.nextSlot++;
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    this.times = resized(this.times, capacity);
    this.seqs = resized(this.seqs, capacity);
    this.kinds = resized(this.kinds, capacity);
    this.nodes = resized(this.nodes, capacity);
    this.as = resized(this.as, capacity);
    this.bs = resized(this.bs, capacity);
    this.heap = resized(this.heap, capacity);
    this.freeSlots = resized(this.freeSlots, capacity);
    for (let i = this.capacity; i < capacity; i++) this.refs.push(undefined);
    this.capacity = capacity;
  }
}

function resized<T extends Float64Array | Int32Array | Uint8Array>(array: T, capacity: number): T {
  const next = new (array.constructor as new (n: number) => T)(capacity);
  next.set(array);
  return next;
}
