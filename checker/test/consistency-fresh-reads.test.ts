import { describe, expect, it } from 'vitest';
import { checkFreshReads, createModel, historyFromOps } from '../src/index.js';
import { inv, kvRead, kvWrite, ok, op, type Raw } from './support/consistency-ops.js';

/** "Every read sees the last acknowledged write": what R + W > N promises, weaker than linearizability. */
const fresh = (ops: Raw[], model = createModel('kv', null)) => checkFreshReads(historyFromOps(ops), model);

describe('fresh reads', () => {
  it('hold when each read returns the last acknowledged write, or one still in flight', () => {
    const r = fresh([
      ...kvRead(0, 'x', null), ...kvWrite(1, 'x', 1), ...kvRead(0, 'x', 1),
      inv(2, 'write', ['x', 2]), ...kvRead(0, 'x', 1), ...kvRead(3, 'x', 2), ok(2, 'write', ['x', 2]),
    ]);
    expect(r).toMatchObject({ status: 'holds', reads: 4, stale: 0 });
  });

  it('hold for two reads that see two overlapping writes in opposite orders (not linearizable, still fresh)', () => {
    const r = fresh([
      inv(0, 'write', ['x', 1]), inv(1, 'write', ['x', 2]), ok(0, 'write', ['x', 1]), ok(1, 'write', ['x', 2]),
      ...kvRead(2, 'x', 2), ...kvRead(3, 'x', 1),
    ]);
    expect(r.status).toBe('holds');
  });

  it('are violated by a read of a value overwritten before it began, with the overwriting write as witness', () => {
    const r = fresh([...kvWrite(0, 'x', 1), ...kvWrite(1, 'x', 2), ...kvRead(2, 'x', 1)]);
    expect(r).toMatchObject({ status: 'violated', reads: 1, stale: 1 });
    expect(r.violations[0]!.sentence).toBe("process 2 read x=1, overwritten before the read began: process 1's write of 2 was acknowledged before it, and invoked after that value's write completed (stale read)");
    expect(r.violations[0]!.operations.map((o) => o.description)).toEqual(['write "x" 1', 'write "x" 2', 'read "x" → 1']);
  });

  it('are violated by a read of the initial value after an acknowledged write', () => {
    const r = fresh([...kvWrite(0, 'x', 1), ...kvRead(2, 'x', null)]);
    expect(r.violations[0]!.sentence).toMatch(/^process 2 read the initial value x=nil, overwritten/);
  });

  it('leave final reads out: they read one replica each, after the run', () => {
    const r = fresh([...kvWrite(0, 'x', 1), ...kvWrite(1, 'x', 2), ...op(2, 'read', ['x', null], ['x', 1], { phase: 'final', node: 'n1' })]);
    expect(r).toMatchObject({ status: 'holds', reads: 0 });
  });

  it('count a read of siblings fresh when one sibling is', () => {
    const sib = (p: number, values: unknown[]) => op(p, 'read', ['x', null], ['x', values]);
    const model = createModel('kv-siblings');
    expect(fresh([...kvWrite(0, 'x', 1), ...kvWrite(1, 'x', 2), ...sib(2, [1, 2])], model).status).toBe('holds');
    expect(fresh([...kvWrite(0, 'x', 1), ...kvWrite(1, 'x', 2), ...kvWrite(3, 'x', 3), ...sib(2, [1, 2])], model).status).toBe('violated');
  });

  it('are unknown when a value was written twice', () => {
    expect(fresh([...kvWrite(0, 'x', 1), ...kvWrite(1, 'x', 1), ...kvRead(2, 'x', 1)]).status).toBe('unknown');
  });
});
