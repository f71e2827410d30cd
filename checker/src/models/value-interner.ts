import { stableStringify } from './values.js';

/**
 * Gives every distinct value a small integer id, so a model can keep ids as its state: equality
 * is `===` and hashing is free, however long the value (a kv key after many appends). Appends are
 * memoised per (state, suffix), so a step the search repeats costs one map lookup.
 * Semantically pure: the tables only remember answers, they never change one.
 *
 * Past `lazyAfter` strings, a string made by an append is not built: it is its base's id plus the
 * suffix, with its length and a polynomial hash computed from the base's. Equal strings still get one id (the hash
 * table finds the candidates; a candidate is accepted only after comparing the text itself), so
 * a search through thousands of append orders neither copies nor rehashes long strings; the text
 * is built only to compare two candidates with equal hashes, or to show a value.
 */
export class ValueInterner {
  /** False while strings are built as plain values (see the constructor). */
  private lazy = false;
  private readonly primitives = new Map<unknown, number>();
  private readonly structured = new Map<string, number>();
  /** String value to id, for strings already built (given values, and appends once built). */
  private readonly strings = new Map<string, number>();
  /** Hashes of strings looked up and not found (yet). */
  private readonly unseen = new Map<string, number>();
  /** Open addressing on the first hash: id + 1 of each string (0: empty). */
  private slots = new Int32Array(64);
  private stringCount = 0;
  /** The value, or undefined for an append not built yet (`base[id]` >= 0). */
  private readonly values: unknown[] = [];
  /** For an unbuilt append: the id it appends to, and what (`-1`: built, or not a string). */
  private readonly base: number[] = [];
  private readonly suffix: (string | undefined)[] = [];
  /** For strings: length and polynomial hash; -1 length for other values. */
  private readonly length: number[] = [];
  private readonly hash: number[] = [];
  /** Appends already made: per suffix, base id → id (few suffixes, each a key of few bases). */
  private readonly appends = new Map<string, Map<number, number>>();

  /**
   * `lazyAfter`: strings are built, as plain values, until there are this many; past it the
   * interner turns lazy. A search that meets few states (a history checked in one pass) never
   * pays for the hashing; one that explores many orders of appends does not build them.
   */
  constructor(private readonly lazyAfter = LAZY_AFTER) {}

  /** The id of `v`, creating it when new. */
  id(v: unknown): number {
    const existing = this.lookup(v);
    if (existing !== -1) return existing;
    if (typeof v === 'string') {
      const h = this.lazy ? (this.unseen.get(v) ?? hashOf(v)) : 0;
      this.unseen.delete(v);
      const id = this.add(v, -1, undefined, v.length, h);
      this.strings.set(v, id);
      return id;
    }
    const id = this.add(v, -1, undefined, -1, 0);
    if (v !== null && typeof v === 'object') this.structured.set(stableStringify(v), id);
    else this.primitives.set(v, id);
    return id;
  }

  /** The id of `v`, or -1 when no state ever held it. */
  lookup(v: unknown): number {
    if (typeof v === 'string') {
      const known = this.strings.get(v);
      if (known !== undefined || !this.lazy) return known ?? -1;
      // A read of a value no state has held yet is looked up again at every step that tries
      // it: its hashes are kept, so that costs a map lookup, not a pass over a long string.
      let h = this.unseen.get(v);
      if (h === undefined) this.unseen.set(v, (h = hashOf(v)));
      // Found, it is not remembered here: callers that look a value up again keep its id.
      const found = this.find(v.length, h, v);
      if (found !== -1) this.unseen.delete(v);
      return found;
    }
    if (v !== null && typeof v === 'object') return this.structured.get(stableStringify(v)) ?? -1;
    return this.primitives.get(v) ?? -1;
  }

  /** The length of string `id` (built or not), -1 when it is not a string. */
  stringLength(id: number): number {
    return this.length[id]!;
  }

  /** The value of `id` (an append's string is built here, once). */
  value(id: number): unknown {
    if (this.base[id]! < 0) return this.values[id];
    // Build from the nearest built ancestor, iteratively: chains can be long.
    const parts: string[] = [];
    let at = id;
    while (this.base[at]! >= 0) {
      parts.push(this.suffix[at]!);
      at = this.base[at]!;
    }
    let text = this.values[at] as string;
    for (let p = parts.length - 1; p >= 0; p--) text += parts[p]!;
    this.values[id] = text;
    this.base[id] = -1;
    this.suffix[id] = undefined;
    this.strings.set(text, id);
    return text;
  }

  /** The id of the string value of `id` followed by `suffix` (nil counts as ""). */
  append(id: number, suffix: string): number {
    let table = this.appends.get(suffix);
    if (table === undefined) this.appends.set(suffix, (table = new Map()));
    const known = table.get(id);
    if (known !== undefined) return known;
    let next: number;
    if (this.length[id]! < 0 || !this.lazy) {
      // Built directly: not a string (nil, a number), or the interner is not lazy yet.
      next = this.id(String(this.values[id] ?? '') + suffix);
    } else {
      const length = this.length[id]! + suffix.length;
      const h = (Math.imul(this.hash[id]!, power(B, suffix.length)) + hashOf(suffix)) | 0;
      next = this.find(length, h, () => (this.value(id) as string) + suffix);
      if (next === -1) next = this.add(undefined, id, suffix, length, h);
    }
    table.set(id, next);
    return next;
  }

  /** The id of the string with this length and hashes whose text is `text` (built by it when a function), or -1. */
  private find(length: number, h: number, text: string | (() => string)): number {
    const { slots } = this;
    const mask = slots.length - 1;
    for (let slot = h & mask; slots[slot] !== 0; slot = (slot + 1) & mask) {
      const c = slots[slot]! - 1;
      if (this.hash[c] !== h || this.length[c] !== length) continue;
      if (typeof text === 'function') text = text();
      if (this.holds(c, text)) return c;
    }
    return -1;
  }

  /** Does string id `id` hold `text`? Compared along its appends, without building it. */
  private holds(id: number, text: string): boolean {
    if (this.length[id] !== text.length) return false;
    let end = text.length;
    let at = id;
    while (this.base[at]! >= 0) {
      const suffix = this.suffix[at]!;
      end -= suffix.length;
      if (!text.startsWith(suffix, end)) return false;
      at = this.base[at]!;
    }
    const built = this.values[at] as string;
    return built.length === end && text.startsWith(built, 0);
  }

  private add(value: unknown, base: number, suffix: string | undefined, length: number, h: number): number {
    const id = this.values.length;
    this.values.push(value);
    this.base.push(base);
    this.suffix.push(suffix);
    this.length.push(length);
    this.hash.push(h);
    if (length >= 0) {
      this.stringCount++;
      if (this.lazy) {
        if (2 * this.stringCount > this.slots.length) this.grow();
        this.place(id);
      } else if (this.stringCount > this.lazyAfter) this.turnLazy();
    }
    return id;
  }

  /** Hashes the strings built so far (all of them: none is lazy yet) into the table. */
  private turnLazy(): void {
    this.lazy = true;
    let size = this.slots.length;
    while (2 * this.stringCount > size) size *= 2;
    this.slots = new Int32Array(size);
    for (let id = 0; id < this.values.length; id++) {
      if (this.length[id]! < 0) continue;
      this.hash[id] = hashOf(this.values[id] as string);
      this.place(id);
    }
  }

  private place(id: number): void {
    const { slots } = this;
    const mask = slots.length - 1;
    let slot = this.hash[id]! & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = id + 1;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    for (const e of old) if (e !== 0) this.place(e - 1);
  }
}

const B = 0x01000193;
const LAZY_AFTER = 1_024;

/**
 * A polynomial hash of `s` (mod 2^32), so that hash(a + b) follows from hash(a), hash(b) and b's
 * length. One hash is enough: a match is confirmed by comparing the text.
 */
function hashOf(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, B) + s.charCodeAt(i)) | 0;
  return h;
}

/** base^n mod 2^32. */
function power(base: number, n: number): number {
  let result = 1;
  let b = base;
  for (let e = n; e > 0; e >>>= 1) {
    if ((e & 1) === 1) result = Math.imul(result, b);
    b = Math.imul(b, b);
  }
  return result;
}
