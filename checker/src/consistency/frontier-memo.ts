import { firstSlot, slotsFor } from '../linearizability/open-addressing.js';

/**
 * Lowe's memoisation for the sequential search: the set of (frontier, model state) pairs already
 * explored. A frontier is keyed compactly, with variable length: which chains are finished and
 * which are started (a bit each), the position of each chain in between, and which floating ops
 * happened. At any point only the chains of the processes running "now" are in between, so a
 * history of thousands of short-lived processes costs a few words per entry, not one per chain.
 * Open addressing over flat typed arrays; the caller supplies an incremental hash of the frontier.
 */
export class FrontierMemo<S> {
  private slots: Int32Array<ArrayBuffer>;
  private mask: number;
  private hashes: Int32Array<ArrayBuffer>;
  private hashes2: Int32Array<ArrayBuffer>;
  private offsets: Int32Array<ArrayBuffer>;
  private arena: Uint32Array<ArrayBuffer>;
  private used = 0;
  private readonly states: S[] = [];
  private count = 0;

  constructor(private readonly equal: (a: S, b: S) => boolean, capacity = 256) {
    this.slots = new Int32Array(capacity * 2).fill(-1);
    this.mask = capacity * 2 - 1;
    this.hashes = new Int32Array(capacity);
    this.hashes2 = new Int32Array(capacity);
    this.offsets = new Int32Array(capacity + 1);
    this.arena = new Uint32Array(capacity * 8);
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held, estimated: arena, per-entry arrays, slots and a state reference each. */
  get bytes(): number {
    return this.arena.byteLength + this.hashes.byteLength * 3 + this.slots.byteLength + this.count * 16;
  }

  /** Adds (key[0..length), state) unless present; true when it was new. */
  add(key: Uint32Array, length: number, h1: number, h2: number, state: S, stateHash: number): boolean {
    const hash = (h1 ^ Math.imul(stateHash, 0x9e3779b1)) | 0;
    const { slots, mask } = this;
    let slot = firstSlot(hash, mask);
    for (let e = slots[slot]!; e !== -1; e = slots[slot]!) {
      if (this.hashes[e] === hash && this.hashes2[e] === h2 && this.sameKey(e, key, length) && this.equal(this.states[e]!, state)) return false;
      slot = (slot + 1) & mask;
    }
    const at = this.count++;
    if (at + 1 >= this.hashes.length) this.growEntries();
    if (this.used + length > this.arena.length) this.growArena(length);
    this.hashes[at] = hash;
    this.hashes2[at] = h2;
    this.arena.set(key.subarray(0, length), this.used);
    this.offsets[at] = this.used;
    this.used += length;
    this.offsets[at + 1] = this.used;
    this.states.push(state);
    slots[slot] = at;
    if (this.count * 2 > this.slots.length) this.rehash();
    return true;
  }

  private sameKey(e: number, key: Uint32Array, length: number): boolean {
    const from = this.offsets[e]!;
    if (this.offsets[e + 1]! - from !== length) return false;
    const arena = this.arena;
    for (let k = 0; k < length; k++) if (arena[from + k] !== key[k]) return false;
    return true;
  }

  private growEntries(): void {
    const capacity = this.hashes.length * 2;
    const grow = (a: Int32Array<ArrayBuffer>, size: number): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.hashes = grow(this.hashes, capacity);
    this.hashes2 = grow(this.hashes2, capacity);
    this.offsets = grow(this.offsets, capacity + 1);
  }

  private growArena(length: number): void {
    const arena = new Uint32Array(Math.max(this.arena.length * 2, this.used + length));
    arena.set(this.arena.subarray(0, this.used));
    this.arena = arena;
  }

  private rehash(): void {
    this.slots = slotsFor(this.hashes, this.count, this.slots.length * 2);
    this.mask = this.slots.length - 1;
  }
}
