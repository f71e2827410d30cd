import { firstSlot } from './open-addressing.js';

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
  /** Open addressing, two ints a slot: the entry's key (its combined hash), then the entry + 1 (0: empty). */
  private slots: Int32Array;
  private mask: number;
  /** Per entry, side by side so a probe touches one cache line: second hash, arena offset, window's first word, window length. */
  private meta: Int32Array;
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
    this.slots = new Int32Array(initialCapacity * 4);
    this.mask = initialCapacity * 2 - 1;
    this.meta = new Int32Array(initialCapacity * META);
    this.arena = new Uint32Array(initialCapacity * (2 + infoWords));
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held, estimated: arena, per-entry metadata, slots and a state reference each. */
  get bytes(): number {
    return this.arena.byteLength + this.meta.byteLength + this.slots.byteLength + this.count * 16;
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
    for (let e1 = slots[2 * slot + 1]!; e1 !== 0; e1 = slots[2 * slot + 1]!) {
      if (slots[2 * slot] === key) {
        const m = (e1 - 1) * META;
        const meta = this.meta;
        if (meta[m] === h2 && meta[m + 2] === set.lowWord && meta[m + 3] === length && this.sameWords(meta[m + 1]!, set) && this.equal(this.states[e1 - 1]!, state)) return false;
      }
      slot = (slot + 1) & mask;
    }
    const at = this.count;
    const words = length + this.infoWords;
    const entriesFull = (at + 1) * META > this.meta.length;
    const arenaFull = this.arenaUsed + words > this.arena.length;
    if (entriesFull || arenaFull) {
      // Growing doubles the arrays (and the slots soon after).
      if (2 * this.bytes > this.bytesMax) {
        this.full = true;
        return false;
      }
      if (entriesFull) {
        const meta = new Int32Array(this.meta.length * 2);
        meta.set(this.meta);
        this.meta = meta;
      }
      if (arenaFull) this.growArena(this.arenaUsed + words);
    }
    this.count++;
    const m = at * META;
    const meta = this.meta;
    meta[m] = h2;
    meta[m + 1] = this.arenaUsed;
    meta[m + 2] = set.lowWord;
    meta[m + 3] = length;
    const arena = this.arena;
    let o = this.arenaUsed;
    for (let w = set.lowWord; w <= set.highWord; w++) arena[o++] = set.bits[w]!;
    for (let w = 0; w < this.infoWords; w++) arena[o++] = set.infoBits[w]!;
    this.arenaUsed = o;
    this.states.push(state);
    slots[2 * slot] = key;
    slots[2 * slot + 1] = at + 1;
    if (this.count * 2 > mask + 1) this.rehash();
    return true;
  }

  private sameWords(offset: number, set: LinearizedWindow): boolean {
    const arena = this.arena;
    let o = offset;
    const { bits, infoBits } = set;
    for (let w = set.lowWord; w <= set.highWord; w++) if (arena[o++] !== bits[w]) return false;
    for (let w = 0; w < this.infoWords; w++) if (arena[o++] !== infoBits[w]) return false;
    return true;
  }

  private growArena(atLeast: number): void {
    const arena = new Uint32Array(Math.max(atLeast, this.arena.length * 2));
    arena.set(this.arena.subarray(0, this.arenaUsed));
    this.arena = arena;
  }

  /** Doubles the slot table, moving each (key, entry) pair; the entries stay where they are. */
  private rehash(): void {
    const old = this.slots;
    const size = (this.mask + 1) * 2;
    const slots = new Int32Array(size * 2);
    const mask = size - 1;
    for (let s = 0; s < old.length; s += 2) {
      const e1 = old[s + 1]!;
      if (e1 === 0) continue;
      const key = old[s]!;
      let slot = firstSlot(key, mask);
      while (slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      slots[2 * slot] = key;
      slots[2 * slot + 1] = e1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** Ints of metadata per entry. */
const META = 4;
