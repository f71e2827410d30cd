import { firstSlot, slotsFor } from './open-addressing.js';

/**
 * The linearized set, in the compact form the memo stores: every completed operation below
 * `low` is linearized (so those bits need no storing), `bits` words `lowWord..highWord` hold the
 * window above it, and `infoBits` holds which `info` operations (those that may never take effect)
 * are linearized, in a numbering of their own. The form is a function of the set alone, so equal
 * sets compare equal word by word; an entry costs the window and the info words, not the history.
 */
export interface LinearizedWindow {
  bits: Uint32Array;
  lowWord: number;
  /** Inclusive; `lowWord - 1` for an empty window. */
  highWord: number;
  infoBits: Uint32Array;
}

/**
 * Lowe's memoisation for the WGL search: the set of (linearized ops, model state) pairs already
 * explored. The linearized set has an incremental Zobrist hash (two 32-bit words) and is stored
 * in its compact window form; the state contributes its own hash, so histories whose linearized
 * sets reach many states (a kv with appends) still find their entry in one probe. Open
 * addressing over flat typed arrays: a million entries cost a few allocations, not a million.
 */
export class VisitedCache<S> {
  private slots: Int32Array;
  private mask: number;
  private keys: Int32Array;
  private hashes2: Int32Array;
  /** Per entry: where its words start in the arena, and its window's first word and length. */
  private offsets: Int32Array;
  private lowWords: Int32Array;
  private lengths: Int32Array;
  private arena: Uint32Array;
  private arenaUsed = 0;
  private readonly states: S[] = [];
  private count = 0;
  /** Bytes the cache may grow to: an add that would need more is refused and sets `full`. */
  bytesMax = Infinity;
  /** An add was refused for want of memory: the search cannot go on (nothing was added). */
  full = false;

  constructor(
    private readonly infoWords: number,
    private readonly equal: (a: S, b: S) => boolean,
    initialCapacity = 256,
  ) {
    this.slots = new Int32Array(initialCapacity * 2).fill(-1);
    this.mask = initialCapacity * 2 - 1;
    this.keys = new Int32Array(initialCapacity);
    this.hashes2 = new Int32Array(initialCapacity);
    this.offsets = new Int32Array(initialCapacity);
    this.lowWords = new Int32Array(initialCapacity);
    this.lengths = new Int32Array(initialCapacity);
    this.arena = new Uint32Array(initialCapacity * (2 + infoWords));
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held, estimated: arena, per-entry arrays, slots and a state reference each. */
  get bytes(): number {
    return this.arena.byteLength + this.keys.byteLength * 5 + this.slots.byteLength + this.count * 16;
  }

  /**
   * Adds (linearized set, state) unless present; true when it was new. `h1`/`h2` hash the set,
   * `stateHash` the state (equal states must hash alike). False also when the cache is `full`:
   * the caller must then stop, not read it as explored.
   */
  add(set: LinearizedWindow, h1: number, h2: number, state: S, stateHash: number): boolean {
    const key = (h1 ^ Math.imul(stateHash, 0x9e3779b1)) | 0;
    const slots = this.slots;
    const mask = this.mask;
    const length = set.highWord - set.lowWord + 1;
    let slot = firstSlot(key, mask);
    for (let e = slots[slot]!; e !== -1; e = slots[slot]!) {
      if (this.keys[e] === key && this.hashes2[e] === h2 && this.lowWords[e] === set.lowWord && this.lengths[e] === length && this.sameWords(e, set) && this.equal(this.states[e]!, state)) return false;
      slot = (slot + 1) & mask;
    }
    const at = this.count;
    const words = length + this.infoWords;
    if (at >= this.keys.length || this.arenaUsed + words > this.arena.length) {
      // Growing doubles the arrays (and the slots soon after).
      if (2 * this.bytes > this.bytesMax) {
        this.full = true;
        return false;
      }
      if (at >= this.keys.length) this.growEntries();
      if (this.arenaUsed + words > this.arena.length) this.growArena(this.arenaUsed + words);
    }
    this.count++;
    this.keys[at] = key;
    this.hashes2[at] = h2;
    this.offsets[at] = this.arenaUsed;
    this.lowWords[at] = set.lowWord;
    this.lengths[at] = length;
    const arena = this.arena;
    let o = this.arenaUsed;
    for (let w = set.lowWord; w <= set.highWord; w++) arena[o++] = set.bits[w]!;
    for (let w = 0; w < this.infoWords; w++) arena[o++] = set.infoBits[w]!;
    this.arenaUsed = o;
    this.states.push(state);
    slots[slot] = at;
    if (this.count * 2 > this.slots.length) this.rehash();
    return true;
  }

  private sameWords(entry: number, set: LinearizedWindow): boolean {
    const arena = this.arena;
    let o = this.offsets[entry]!;
    const { bits, infoBits } = set;
    for (let w = set.lowWord; w <= set.highWord; w++) if (arena[o++] !== bits[w]) return false;
    for (let w = 0; w < this.infoWords; w++) if (arena[o++] !== infoBits[w]) return false;
    return true;
  }

  private growEntries(): void {
    const capacity = this.keys.length * 2;
    const grow = (a: Int32Array): Int32Array => {
      const b = new Int32Array(capacity);
      b.set(a);
      return b;
    };
    this.keys = grow(this.keys);
    this.hashes2 = grow(this.hashes2);
    this.offsets = grow(this.offsets);
    this.lowWords = grow(this.lowWords);
    this.lengths = grow(this.lengths);
  }

  private growArena(atLeast: number): void {
    const arena = new Uint32Array(Math.max(atLeast, this.arena.length * 2));
    arena.set(this.arena.subarray(0, this.arenaUsed));
    this.arena = arena;
  }

  private rehash(): void {
    this.slots = slotsFor(this.keys, this.count, this.slots.length * 2);
    this.mask = this.slots.length - 1;
  }
}
