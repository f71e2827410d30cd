import { describe, expect, it } from 'vitest';
import { checkSequential, checkSequentialSync, checkSync, createModel, historyFromOps } from '../src/index.js';
import { fail, info, inv, kvRead, kvWrite, ok, read, write, type Raw } from './support/consistency-ops.js';

const register = () => createModel('cas-register', 0);
const seq = (ops: Raw[], model = register(), options = {}) => checkSequentialSync(model, historyFromOps(ops), options);

/** Many processes each writing a few values, then a read nobody explains: every order must be tried. */
function hardHistory(processes: number): Raw[] {
  const ops: Raw[] = [];
  for (let p = 0; p < processes; p++) for (let k = 0; k < 3; k++) ops.push(...write(p, p * 10 + k + 1));
  ops.push(...read(100, 999));
  return ops;
}

describe('sequential consistency', () => {
  it('accepts a stale read by another process (not linearizable)', () => {
    const ops = [...write(0, 1), ...read(1, 0)];
    expect(checkSync(register(), historyFromOps(ops)).outcome).toBe('illegal');
    expect(seq(ops).outcome).toBe('ok');
  });

  it('rejects a process whose reads go back, with a counterexample', () => {
    const r = seq([...write(0, 1), ...read(1, 1), ...read(1, 0)]);
    expect(r.outcome).toBe('illegal');
    const ce = r.counterexample!;
    // The search refuses to write 1 while a read of 0 is still to come, and cannot read 1 before it.
    expect(ce.prefixLength).toBe(0);
    expect(ce.finalPaths[0]!.attempts.map((a) => [a.op.description, a.reason])).toEqual([
      ['write 1', 'it would overwrite 0, which 1 later read(s) still observe'],
      ['read 1', 'read 1 but the register holds 0'],
    ]);
    // The witness is explained by the plain search: its longest legal prefix.
    expect(ce.witness.explanation).toBe("after the 2 operation(s) that can be put in one order keeping each process's order, none of the next can follow: read 0 by process 1 (read 0 but the register holds 1)");
  });

  it('orders stale reads of lagging replicas without backtracking', () => {
    // Three sessions each read a prefix of the writes (followers that lag), then write.
    const ops: Raw[] = [];
    for (let k = 1; k <= 30; k++) ops.push(...kvWrite(0, 'x', k), ...kvWrite(0, 'y', k));
    for (let k = 1; k <= 30; k++) ops.push(...kvRead(1, 'x', k), ...kvRead(1, 'y', k - 1), ...kvRead(2, 'y', Math.max(0, k - 5)));
    const r = seq(ops, createModel('kv', 0));
    expect(r.outcome).toBe('ok');
    expect(r.stats.steps).toBeLessThan(1_000);
  });

  it('is not compositional: each key alone is fine, the two together are not (Dekker)', () => {
    const ops = [...kvWrite(0, 'x', 1), ...kvWrite(1, 'y', 1), ...kvRead(0, 'y', null), ...kvRead(1, 'x', null)];
    expect(seq(ops.filter((o) => (o.value as unknown[])[0] === 'x'), createModel('kv', null)).outcome).toBe('ok');
    expect(seq(ops.filter((o) => (o.value as unknown[])[0] === 'y'), createModel('kv', null)).outcome).toBe('ok');
    const r = seq(ops, createModel('kv', null));
    expect(r.outcome).toBe('illegal');
    expect(r.components).toBe(1);
  });

  it('checks apart the keys no process links', () => {
    const ops = [...kvWrite(0, 'x', 1), ...kvRead(0, 'x', 1), ...kvWrite(1, 'y', 1), ...kvRead(1, 'y', 1), ...kvWrite(2, 'z', 1), ...kvRead(2, 'z', 2)];
    const r = seq(ops, createModel('kv', null));
    expect(r.components).toBe(3);
    expect(r.outcome).toBe('illegal');
    expect(r.counterexample!.partition).toMatch(/component/);
  });

  it('lets an info write take effect late, or never', () => {
    expect(seq([inv(0, 'write', 1), info(0, 'write', 1), ...read(1, 0), ...read(1, 1)]).outcome).toBe('ok');
    expect(seq([inv(0, 'write', 1), info(0, 'write', 1), ...read(1, 0)]).outcome).toBe('ok');
    // But not before its own process's earlier write.
    expect(seq([...write(0, 1), inv(0, 'write', 2), info(0, 'write', 2), ...read(1, 2), ...read(1, 1)]).outcome).toBe('illegal');
  });

  it('keeps a session\'s order across its processes', () => {
    const ops = [...write(0, 1, { session: 'a' }), inv(0, 'write', 2, { session: 'a' }), info(0, 'write', 2, { session: 'a' }), ...read(1, 0, { session: 'a' })];
    expect(seq(ops).outcome).toBe('illegal');
    expect(seq(ops, register(), { order: 'process' }).outcome).toBe('ok');
  });

  it('orders a session\'s overlapping operations only where one completed first', () => {
    const ops = [...write(0, 1, { session: 'a' }), inv(1, 'read', null, { session: 'a' }), inv(2, 'read', null, { session: 'a' }), ok(2, 'read', 1, { session: 'a' }), ok(1, 'read', 0, { session: 'a' })];
    expect(seq(ops).outcome).toBe('illegal'); // read 0 follows the completed write 1
    const concurrent = [inv(0, 'write', 1, { session: 'a' }), inv(1, 'read', null, { session: 'a' }), ok(1, 'read', 0, { session: 'a' }), ok(0, 'write', 1, { session: 'a' }), ...read(2, 1, { session: 'a' })];
    expect(seq(concurrent).outcome).toBe('ok');
  });

  it('drops failed operations, or observes them in the etcd reading', () => {
    const ops = [inv(0, 'cas', [0, 1]), fail(0, 'cas', [0, 1]), ...read(1, 0)];
    expect(seq(ops).outcome).toBe('ok');
    expect(seq(ops, createModel('etcd-register', 0)).outcome).toBe('illegal');
  });

  it('ends with unknown on the time limit, never a guess', () => {
    const r = seq(hardHistory(12), register(), { timeLimitMs: 50 });
    expect(r.outcome).toBe('unknown');
    expect(r.cause?.kind).toBe('time-limit');
    expect(r.counterexample).toBeUndefined();
  });

  it('ends with unknown on the memory limit', () => {
    const r = seq(hardHistory(12), register(), { memoryLimitBytes: 64 * 1024 });
    expect(r.outcome).toBe('unknown');
    expect(r.cause?.kind).toBe('memory-limit');
    expect(r.cause?.message).toMatch(/memory limit/);
  });

  it('stops when cancelled, and yields while it runs', async () => {
    const controller = new AbortController();
    const pending = checkSequential(register(), historyFromOps(hardHistory(12)), { signal: controller.signal, timeLimitMs: 5_000 });
    setTimeout(() => controller.abort(), 20);
    const r = await pending;
    expect(r.outcome).toBe('unknown');
    expect(r.cause?.kind).toBe('cancelled');
  });

  it('rejects options that make no sense', () => {
    expect(() => seq([...write(0, 1)], register(), { timeLimitMs: -1 })).toThrow(/VRD_ERR_CHECK_OPTIONS|time limit/);
  });
});

describe('sequential counterexamples of long histories', () => {
  it('explain a witness the shrinker had no time for with the check\'s own search, not a second one', () => {
    // No shrinking time: the witness is the whole history, not minimal, and its explanation is the
    // check's deepest point (searching the whole history again, unguarded, took seconds).
    const ops = hardHistory(4);
    const r = seq(ops, register(), { shrinkTimeMs: 0 });
    expect(r.outcome).toBe('illegal');
    const ce = r.counterexample!;
    expect(ce.witness.minimal).toBe(false);
    expect(ce.witness.operations).toHaveLength(ops.length / 2);
    expect(ce.witness.explanation).toContain(`after the ${ce.prefixLength} operation(s) that can be put in one order`);
  });
});
