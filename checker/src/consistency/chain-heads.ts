/**
 * The chains' next operations by invocation index: an indexed binary min-heap, so the search finds
 * the earliest invoked head in O(1) and moves a chain forward or back in O(log chains).
 * An exhausted chain has key Infinity.
 */
export class ChainHeads {
  private readonly heap: Int32Array;
  private readonly at: Int32Array;
  private readonly key: Float64Array;

  constructor(count: number) {
    this.heap = new Int32Array(count);
    this.at = new Int32Array(count);
    this.key = new Float64Array(count).fill(Infinity);
    for (let u = 0; u < count; u++) {
      this.heap[u] = u;
      this.at[u] = u;
    }
  }

  /** The chain whose head was invoked first, or -1 when every chain is done. */
  top(): number {
    return this.heap.length > 0 && this.key[this.heap[0]!]! < Infinity ? this.heap[0]! : -1;
  }

  set(u: number, key: number): void {
    const old = this.key[u]!;
    this.key[u] = key;
    if (key < old) this.up(this.at[u]!);
    else if (key > old) this.down(this.at[u]!);
  }

  private up(i: number): void {
    const { heap, at, key } = this;
    const u = heap[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const v = heap[p]!;
      if (key[v]! <= key[u]!) break;
      heap[i] = v;
      at[v] = i;
      i = p;
    }
    heap[i] = u;
    at[u] = i;
  }

  private down(i: number): void {
    const { heap, at, key } = this;
    const n = heap.length;
    const u = heap[i]!;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && key[heap[c + 1]!]! < key[heap[c]!]!) c++;
      const v = heap[c]!;
      if (key[v]! >= key[u]!) break;
      heap[i] = v;
      at[v] = i;
      i = c;
    }
    heap[i] = u;
    at[u] = i;
  }
}
