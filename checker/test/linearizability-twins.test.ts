import { describe, expect, it } from 'vitest';
import type { Operation } from '../src/history/op.js';
import { findTwins } from '../src/linearizability/twins.js';

/** Completed writes, all overlapping: op i is called at i and returns at 100 + i. */
function writes(values: unknown[]): Operation[] {
  return values.map((v, i) => ({ id: i, process: i, f: 'write', input: v, output: v, status: 'ok', call: i, ret: 100 + i }));
}

function twins(ops: Operation[]) {
  const n = ops.length;
  return findTwins(ops, new Uint8Array(n).fill(1), new Uint8Array(n), true);
}

describe('twins: which operations the search may take in one order only', () => {
  it('pairs overlapping writes of equal values, an earlier one returning first, and no others', () => {
    const t = twins(writes([[1, 'a'], [1, 'a'], [2, 'a'], 1, 1n]));
    expect([...t.before]).toEqual([-1, 0, -1, -1, -1]);
    expect(t.kind[0]).toBe(t.kind[1]);
    expect(new Set(t.kind).size).toBe(4);
    expect([...t.crowded]).toEqual([1, 0, 0, 0, 0]);
  });

  it('compares a bounded part of each value: equal values too large to compare are not twins (a hostile history stays linear)', () => {
    const big = Array.from({ length: 100_000 }, (_, i) => i);
    const t = twins(writes(Array.from({ length: 40 }, () => [...big])));
    expect([...t.before].every((b) => b === -1)).toBe(true);
    expect([...t.crowded].every((c) => c === 0)).toBe(true);
    // The same array object is one value, whatever its size.
    expect([...twins(writes([big, big])).before]).toEqual([-1, 0]);
  });

  it('finds none for a model that does not step by value', () => {
    const ops = writes([1, 1]);
    expect([...findTwins(ops, new Uint8Array(2).fill(1), new Uint8Array(2), false).before]).toEqual([-1, -1]);
  });
});
