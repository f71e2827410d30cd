import type { Arena } from './arena.js';
import { valueKey } from './micro-ops.js';

/**
 * Written values by (key id, value) → value id, sized once for the history. Integer values (the
 * common case: Elle's generators write counters) live in an open-addressing table of typed
 * arrays, so millions of writes make no garbage-collected objects; other values fall back to
 * one Map per key.
 */
export class ValueIndex {
  private readonly mask: number;
  private readonly keys: Int32Array;
  private readonly values: Int32Array;
  private readonly ids: Int32Array;
  private readonly others = new Map<number, Map<unknown, number>>();

  constructor(capacity: number, arena?: Arena) {
    const size = ValueIndex.slotsFor(capacity);
    this.mask = size - 1;
    this.keys = arena?.int32(size) ?? new Int32Array(size);
    this.values = arena?.int32(size) ?? new Int32Array(size);
    this.ids = arena?.int32(size, -1) ?? new Int32Array(size).fill(-1);
  }

  /** Table slots for `capacity` values: a power of two, at most about two thirds full. */
  static slotsFor(capacity: number): number {
    let size = 16;
    while (size < capacity * 1.5) size *= 2;
    return size;
  }

  /** The id of `value` written to key k, or -1. */
  get(k: number, value: unknown): number {
    if (typeof value === 'number' && (value | 0) === value) {
      for (let slot = this.slot(k, value); ; slot = (slot + 1) & this.mask) {
        const id = this.ids[slot];
        if (id < 0) return -1;
        if (this.keys[slot] === k && this.values[slot] === value) return id;
      }
    }
    return this.others.get(k)?.get(valueKey(value)) ?? -1;
  }

  /** Records a value not yet present (check with `get` first). */
  set(k: number, value: unknown, id: number): void {
    if (typeof value === 'number' && (value | 0) === value) {
      let slot = this.slot(k, value);
      while (this.ids[slot] >= 0) slot = (slot + 1) & this.mask;
      this.keys[slot] = k;
      this.values[slot] = value;
      this.ids[slot] = id;
      return;
    }
    let map = this.others.get(k);
    if (map === undefined) this.others.set(k, map = new Map());
    map.set(valueKey(value), id);
  }

  private slot(k: number, value: number): number {
    let h = Math.imul(k, 0x9e3779b1) ^ Math.imul(value, 0x85ebca6b);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    return h & this.mask;
  }
}
