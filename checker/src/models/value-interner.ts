import { stableStringify } from './values.js';

/**
 * Gives every distinct value a small integer id, so a model can keep ids as its state: equality
 * is `===` and hashing is free, however long the value (a kv key after many appends). Appends are
 * memoised per (state, suffix), so a step the search repeats costs one map lookup.
 * Semantically pure: the tables only remember answers, they never change one.
 */
export class ValueInterner {
  private readonly primitives = new Map<unknown, number>();
  private readonly structured = new Map<string, number>();
  private readonly values: unknown[] = [];
  private readonly appends: (Map<string, number> | undefined)[] = [];

  /** The id of `v`, creating it when new. */
  id(v: unknown): number {
    const existing = this.lookup(v);
    if (existing !== -1) return existing;
    const id = this.values.length;
    this.values.push(v);
    this.appends.push(undefined);
    if (v !== null && typeof v === 'object') this.structured.set(stableStringify(v), id);
    else this.primitives.set(v, id);
    return id;
  }

  /** The id of `v`, or -1 when no state ever held it. */
  lookup(v: unknown): number {
    if (v !== null && typeof v === 'object') return this.structured.get(stableStringify(v)) ?? -1;
    return this.primitives.get(v) ?? -1;
  }

  value(id: number): unknown {
    return this.values[id];
  }

  /** The id of the string value of `id` followed by `suffix` (nil counts as ""). */
  append(id: number, suffix: string): number {
    let table = this.appends[id];
    if (table === undefined) this.appends[id] = table = new Map();
    const known = table.get(suffix);
    if (known !== undefined) return known;
    const current = this.values[id];
    const next = this.id(String(current ?? '') + suffix);
    table.set(suffix, next);
    return next;
  }
}
