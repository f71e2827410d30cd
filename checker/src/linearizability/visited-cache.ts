import { firstSlot, slotsFor } from './open-addressing.js';

/**
 * Lowe's memoisation for the WGL search: the set of (linearized ops, model state) pairs already
 * explored. The linearized set is a bitset with an incremental Zobrist hash (two 32-bit words);
 * the state contributes its own hash, so histories whose linearized sets reach many states (a kv
 * with appends) still find their entry in one probe. Open addressing over flat typed arrays: a
 * million entries cost a few allocations, not a million.
 */
export class VisitedCache<S> {
  private slots: Int32Array;
  private mask: number;
  private keys: Int32Array;
  private hashes2: Int32Array;
  private arena: Uint32Array;
  private readonly states: S[] = [];
  private count = 0;
  /** Bytes the cache may grow to: an add that would need more is refused and sets `full`. */
  bytesMax = Infinity;
  /** An add was refused for want of memory: the search cannot go on (nothing was added). */
  full = false;

  constructor(
    private readonly words: number,
    private readonly equal: (a: S, b: S) => boolean,
    initialCapacity = 256,
  ) {
    this.slots = new Int32Array(initialCapacity * 2).fill(-1);
    this.mask = initialCapacity * 2 - 1;
    this.keys = new Int32Array(initialCapacity);
    this.hashes2 = new Int32Array(initialCapacity);
    this.arena = new Uint32Array(initialCapacity * words);
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held, estimated: arena, hashes, slots and a state reference each. */
  get bytes(): number {
    return this.arena.byteLength + this.keys.byteLength * 2 + this.slots.byteLength + this.count * 16;
  }

  /**
   * Adds (bits, state) unless present; true when it was new. `h1`/`h2` hash the bitset, `stateHash`
   * the state (equal states must hash alike). False also when the cache is `full`: the caller
   * must then stop, not read it as explored.
   */
  add(bits: Uint32Array, h1: number, h2: number, state: S, stateHash: number): boolean {
    const key = (h1 ^ Math.imul(stateHash, 0x9e3779b1)) | 0;
    const slots = this.slots;
    const mask = this.mask;
    let slot = firstSlot(key, mask);
    for (let e = slots[slot]!; e !== -1; e = slots[slot]!) {
      if (this.keys[e] === key && this.hashes2[e] === h2 && this.sameBits(e, bits) && this.equal(this.states[e]!, state)) return false;
      slot = (slot + 1) & mask;
    }
    const at = this.count;
    if (at >= this.keys.length) {
      // Growing doubles the arrays (and the slots soon after).
      if (2 * this.bytes > this.bytesMax) {
        this.full = true;
        return false;
      }
      this.growEntries();
    }
    this.count++;
    this.keys[at] = key;
    this.hashes2[at] = h2;
    this.arena.set(bits, at * this.words);
    this.states.push(state);
    slots[slot] = at;
    if (this.count * 2 > this.slots.length) this.rehash();
    return true;
  }

  private sameBits(entry: number, bits: Uint32Array): boolean {
    const arena = this.arena;
    const base = entry * this.words;
    for (let w = 0; w < this.words; w++) if (arena[base + w] !== bits[w]) return false;
    return true;
  }

  private growEntries(): void {
    const capacity = this.keys.length * 2;
    const keys = new Int32Array(capacity);
    keys.set(this.keys);
    this.keys = keys;
    const hashes2 = new Int32Array(capacity);
    hashes2.set(this.hashes2);
    this.hashes2 = hashes2;
    const arena = new Uint32Array(capacity * this.words);
    arena.set(this.arena);
    this.arena = arena;
  }

  private rehash(): void {
    this.slots = slotsFor(this.keys, this.count, this.slots.length * 2);
    this.mask = this.slots.length - 1;
  }
}
