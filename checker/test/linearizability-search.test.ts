import { describe, expect, it } from 'vitest';
import { checkSync, createModel, historyFromOps, type Op } from '../src/index.js';

type Raw = Omit<Op, 'index'>;
const inv = (process: number, f: string, value: unknown): Raw => ({ process, type: 'invoke', f, value });
const ok = (process: number, f: string, value: unknown): Raw => ({ process, type: 'ok', f, value });
const info = (process: number, f: string, value: unknown): Raw => ({ process, type: 'info', f, value });
const fail = (process: number, f: string, value: unknown): Raw => ({ process, type: 'fail', f, value });

const register = () => createModel('cas-register', 0);

describe('linearizability search', () => {
  it('accepts a sequential history', () => {
    const h = historyFromOps([inv(0, 'write', 1), ok(0, 'write', 1), inv(0, 'read', null), ok(0, 'read', 1)]);
    expect(checkSync(register(), h).outcome).toBe('ok');
  });

  it('rejects a stale read after a completed write', () => {
    const h = historyFromOps([inv(0, 'write', 1), ok(0, 'write', 1), inv(1, 'read', null), ok(1, 'read', 0)]);
    const r = checkSync(register(), h);
    expect(r.outcome).toBe('illegal');
    expect(r.counterexample?.blocked.f).toBe('read');
    expect(r.counterexample?.witness.operations.length).toBeGreaterThan(0);
  });

  it('lets concurrent operations take effect in either order', () => {
    const h = historyFromOps([
      inv(0, 'write', 1), inv(1, 'read', null), ok(1, 'read', 1), inv(2, 'read', null), ok(2, 'read', 0), ok(0, 'write', 1),
    ]);
    // read 1 then read 0 would need the write to take effect and then un-happen.
    expect(checkSync(register(), h).outcome).toBe('illegal');
    const h2 = historyFromOps([
      inv(0, 'write', 1), inv(2, 'read', null), ok(2, 'read', 0), inv(1, 'read', null), ok(1, 'read', 1), ok(0, 'write', 1),
    ]);
    expect(checkSync(register(), h2).outcome).toBe('ok');
  });

  it('lets an info write take effect late, or never', () => {
    const late = historyFromOps([inv(0, 'write', 1), info(0, 'write', 1), inv(1, 'read', null), ok(1, 'read', 0), inv(1, 'read', null), ok(1, 'read', 1)]);
    expect(checkSync(register(), late).outcome).toBe('ok');
    const never = historyFromOps([inv(0, 'write', 1), info(0, 'write', 1), inv(1, 'read', null), ok(1, 'read', 0)]);
    expect(checkSync(register(), never).outcome).toBe('ok');
    const open = historyFromOps([inv(0, 'write', 1), inv(1, 'read', null), ok(1, 'read', 1)]);
    expect(checkSync(register(), open).outcome).toBe('ok');
  });

  it('drops failed operations in the Knossos reading and observes them in the etcd reading', () => {
    const ops = [inv(0, 'cas', [0, 1]), fail(0, 'cas', [0, 1]), inv(1, 'read', null), ok(1, 'read', 0)];
    expect(checkSync(createModel('cas-register', 0), historyFromOps(ops)).outcome).toBe('ok');
    // In the etcd reading the failed cas saw a value other than 0, yet nothing ever changed it.
    expect(checkSync(createModel('etcd-register', 0), historyFromOps(ops)).outcome).toBe('illegal');
  });

  it('checks kv keys independently and names the illegal key', () => {
    const h = historyFromOps([
      inv(0, 'write', ['a', 1]), ok(0, 'write', ['a', 1]),
      inv(1, 'write', ['b', 2]), ok(1, 'write', ['b', 2]),
      inv(2, 'read', ['b', null]), ok(2, 'read', ['b', 3]),
    ]);
    const r = checkSync(createModel('kv', null), h);
    expect(r.outcome).toBe('illegal');
    expect(r.counterexample?.partition).toBe('b');
  });

  it('ends with unknown, never a guess, when a limit runs out', () => {
    // 15 concurrent writes and a read nobody wrote: the search must try every subset of writes
    // before it can say illegal, far more than the first slice of steps.
    const ops: Raw[] = [];
    for (let p = 0; p < 15; p++) ops.push(inv(p, 'write', p + 1));
    ops.push(inv(100, 'read', null), ok(100, 'read', 999));
    for (let p = 0; p < 15; p++) ops.push(ok(p, 'write', p + 1));
    const h = historyFromOps(ops);
    const timed = checkSync(createModel('register', 0), h, { timeLimitMs: 1 });
    expect(timed.outcome).toBe('unknown');
    expect(timed.cause?.kind).toBe('time-limit');
    expect(timed.counterexample).toBeUndefined();
    const starved = checkSync(createModel('register', 0), h, { memoryLimitBytes: 1024 });
    expect(starved.outcome).toBe('unknown');
    expect(starved.cause?.kind).toBe('memory-limit');
    // Unlimited, the same history is proved illegal.
    expect(checkSync(createModel('register', 0), h).outcome).toBe('illegal');
  });

  it('keeps its memo within the memory limit, even inside one slice of steps', () => {
    // A read of the last write spans 10,000 writes: it can only go last, so the memo's entries
    // keep the window from it to the latest write (up to 10,000 bits each) and the first slice
    // alone would need several MiB; the memo stops growing at the limit instead.
    const ops: Raw[] = [inv(1, 'read', null)];
    for (let v = 1; v <= 10_000; v++) ops.push(inv(0, 'write', v), ok(0, 'write', v));
    ops.push(ok(1, 'read', 10_000));
    expect(checkSync(createModel('register', 0), historyFromOps(ops)).outcome).toBe('ok');
    const memoryLimitBytes = 2 * 1024 ** 2;
    const r = checkSync(createModel('register', 0), historyFromOps(ops), { memoryLimitBytes });
    expect(r.outcome).toBe('unknown');
    expect(r.cause?.kind).toBe('memory-limit');
    expect(r.stats.peakCacheBytes).toBeLessThanOrEqual(memoryLimitBytes);
  });

  it('keeps a memo entry to the window of running operations, not the whole history', () => {
    // 40,000 writes by two overlapping processes and a few timed-out writes early on that never
    // take effect: each linearized set is "everything before here, a few ops after, and which of
    // the timed-out ones", stored in a few words rather than 40,000 bits (which came to 5 KB an
    // entry and hundreds of MB for this history).
    const ops: Raw[] = [];
    for (let p = 10; p < 15; p++) ops.push(inv(p, 'write', -p), info(p, 'write', -p));
    for (let v = 1; v <= 40_000; v += 2) ops.push(inv(0, 'write', v), inv(1, 'write', v + 1), ok(0, 'write', v), ok(1, 'write', v + 1));
    ops.push(inv(2, 'read', null), ok(2, 'read', 40_000));
    const r = checkSync(createModel('register', 0), historyFromOps(ops));
    expect(r.outcome).toBe('ok');
    expect(r.stats.cacheEntries).toBeGreaterThanOrEqual(40_000);
    expect(r.stats.peakCacheBytes).toBeLessThan(8 * 1024 ** 2);
  });
});
