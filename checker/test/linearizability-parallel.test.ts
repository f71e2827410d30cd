import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check, checkSync, createModel, historyFromOps, type Op } from '../src/index.js';
import { linearizableHistory } from './support/lin-histories.js';

const keys = Array.from({ length: 12 }, (_, i) => `k${i}`);

describe('linearizability on worker threads', () => {
  it('gives the same verdicts on two threads as on the calling thread', async () => {
    const samples = fc.sample(linearizableHistory({ processes: 10, opsPerProcess: 30, keys, kv: true }), { seed: 7, numRuns: 4 });
    for (const { ops } of samples) {
      const h = historyFromOps(ops);
      const threaded = await check(createModel('kv', 0), h, { threads: 2 });
      expect(threaded.stats.threads).toBe(2);
      expect(threaded.outcome).toBe('ok');
      expect(threaded.partitions.map((p) => p.key)).toEqual(checkSync(createModel('kv', 0), h).partitions.map((p) => p.key));
    }
  });

  it('stops at the first illegal partition and brings back its counterexample', async () => {
    const [{ ops }] = fc.sample(linearizableHistory({ processes: 10, opsPerProcess: 30, keys, kv: true }), { seed: 11, numRuns: 1 });
    const at = ops.findIndex((o) => o.type === 'ok' && o.f === 'read');
    const key = (ops[at]!.value as unknown[])[0];
    const mutated = ops.map((o, i) => (i === at ? { ...o, value: [key, 424242] } : o));
    const threaded = await check(createModel('kv', 0), historyFromOps(mutated), { threads: 2 });
    expect(threaded.outcome).toBe('illegal');
    expect(threaded.counterexample?.partition).toBe(key);
    expect(threaded.counterexample?.witness.operations.some((o) => o.f === 'read')).toBe(true);
  });

  it('is cancelled, not searched to the end, when its signal was aborted before it started', async () => {
    // Per key 16 concurrent writes and a read nobody wrote: seconds of search to prove illegal.
    const ops: Omit<Op, 'index'>[] = [];
    for (const key of ['a', 'b']) {
      for (let p = 0; p < 16; p++) ops.push({ process: `${key}${p}`, type: 'invoke', f: 'write', value: [key, p + 1] });
      ops.push({ process: `${key}r`, type: 'invoke', f: 'read', value: [key, null] }, { process: `${key}r`, type: 'ok', f: 'read', value: [key, 999] });
      for (let p = 0; p < 16; p++) ops.push({ process: `${key}${p}`, type: 'ok', f: 'write', value: [key, p + 1] });
    }
    const controller = new AbortController();
    controller.abort();
    const result = await check(createModel('kv', 0), historyFromOps(ops), { threads: 2, signal: controller.signal });
    expect(result.stats.threads).toBe(2);
    expect(result.outcome).toBe('unknown');
    expect(result.cause?.kind).toBe('cancelled');
  });

  it('runs on the calling thread when the model cannot be rebuilt elsewhere', async () => {
    const [{ ops }] = fc.sample(linearizableHistory({ processes: 4, opsPerProcess: 10, keys, kv: true }), { seed: 3, numRuns: 1 });
    const { spec: _spec, ...anonymous } = createModel('kv', 0);
    const result = await check(anonymous, historyFromOps(ops), { threads: 2 });
    expect(result.stats.threads).toBe(1);
    expect(result.outcome).toBe('ok');
  });

  it('moves the partitions still undecided after parallelAfterMs to threads, keeping those decided', async () => {
    // Keys a-c: 12 concurrent writes and a read of a value nobody wrote, many thousands of steps
    // to prove illegal; key z: two sequential ops, decided in the first round.
    const ops: Omit<Op, 'index'>[] = [{ process: 'z', type: 'invoke', f: 'write', value: ['z', 1] }, { process: 'z', type: 'ok', f: 'write', value: ['z', 1] }];
    for (const key of ['a', 'b', 'c']) {
      for (let p = 0; p < 12; p++) ops.push({ process: `${key}${p}`, type: 'invoke', f: 'write', value: [key, p + 1] });
      ops.push({ process: `${key}r`, type: 'invoke', f: 'read', value: [key, null] }, { process: `${key}r`, type: 'ok', f: 'read', value: [key, 999] });
      for (let p = 0; p < 12; p++) ops.push({ process: `${key}${p}`, type: 'ok', f: 'write', value: [key, p + 1] });
    }
    const h = historyFromOps(ops);
    const handedOff = await check(createModel('kv', 0), h, { parallelThresholdOps: 0, parallelAfterMs: 0, allPartitions: true, counterexample: false });
    expect(handedOff.stats.threads).toBe(2);
    expect(handedOff.outcome).toBe('illegal');
    expect(Object.fromEntries(handedOff.partitions.map((p) => [p.key, p.outcome]))).toEqual({ z: 'ok', a: 'illegal', b: 'illegal', c: 'illegal' });
    // By default the same history is too small to pay for threads.
    const here = await check(createModel('kv', 0), h, { allPartitions: true, counterexample: false });
    expect(here.stats.threads).toBe(1);
    expect(here.partitions.map((p) => [p.key, p.outcome])).toEqual(handedOff.partitions.map((p) => [p.key, p.outcome]));
  });
});
