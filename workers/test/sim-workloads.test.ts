import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClientOp } from '../src/sim/client-driver.js';
import { kvWorkload } from '../src/workloads/kv-workload.js';
import { listAppendWorkload } from '../src/workloads/list-append-workload.js';
import type { Workload } from '../src/workloads/workload.js';

const drain = (w: Workload): ClientOp[] => {
  const out: ClientOp[] = [];
  for (let op = w.next(); op !== undefined; op = w.next()) out.push(op);
  return out;
};

describe('kv workload', () => {
  it('is the same stream for the same seed, another for another seed', () => {
    expect(drain(kvWorkload({ ops: 300, seed: 1 }))).toEqual(drain(kvWorkload({ ops: 300, seed: 1 })));
    expect(drain(kvWorkload({ ops: 300, seed: 1 }))).not.toEqual(drain(kvWorkload({ ops: 300, seed: 2 })));
  });

  it('writes unique values per key, reads [k, null], cas [k, [expected, new]] on earlier values', () => {
    const ops = drain(kvWorkload({ ops: 2_000, seed: 5 }));
    expect(ops).toHaveLength(2_000);
    const written = new Map<number, Set<number>>();
    const fs = new Set<string>();
    for (const { f, value } of ops) {
      fs.add(f);
      const [key, arg] = value as [number, unknown];
      const seen = written.get(key) ?? new Set<number>();
      written.set(key, seen);
      if (f === 'read') expect(arg).toBeNull();
      const fresh = f === 'write' ? (arg as number) : f === 'cas' ? (arg as [number | null, number])[1] : undefined;
      if (f === 'cas') {
        const expected = (arg as [number | null, number])[0];
        expect(expected === null || seen.has(expected)).toBe(true);
      }
      if (fresh !== undefined) {
        expect(seen.has(fresh)).toBe(false);
        seen.add(fresh);
      }
    }
    expect([...fs].sort()).toEqual(['cas', 'read', 'write']);
  });

  it('retires keys after opsPerKeyMax operations and lists the keys it touched', () => {
    const w = kvWorkload({ ops: 1_000, seed: 9, keysActive: 2, opsPerKeyMax: 50 });
    const ops = drain(w);
    const perKey = new Map<number, number>();
    for (const o of ops) perKey.set((o.value as [number])[0], (perKey.get((o.value as [number])[0]) ?? 0) + 1);
    expect(Math.max(...perKey.values())).toBeLessThanOrEqual(50);
    expect(w.keys()).toEqual([...perKey.keys()].sort((a, b) => a - b));
    expect(w.finalReadOps([3, 4])).toEqual([{ f: 'read', value: [3, null] }, { f: 'read', value: [4, null] }]);
  });

  it('issues only the operations a protocol supports', () => {
    expect(new Set(drain(kvWorkload({ ops: 500, seed: 1, fs: ['read', 'write'] })).map((o) => o.f))).toEqual(new Set(['read', 'write']));
  });
});

describe('list-append workload', () => {
  it('makes txns of appends with unique values per key and reads of null', () => {
    const w = listAppendWorkload({ ops: 1_000, seed: 4 });
    const ops = drain(w);
    const appended = new Map<number, number[]>();
    for (const o of ops) {
      expect(o.f).toBe('txn');
      const micro = o.value as [string, number, unknown][];
      expect(micro.length).toBeGreaterThanOrEqual(1);
      expect(micro.length).toBeLessThanOrEqual(4);
      for (const [f, k, v] of micro) {
        if (f === 'r') expect(v).toBeNull();
        else appended.set(k, [...(appended.get(k) ?? []), v as number]);
      }
    }
    for (const vs of appended.values()) expect(new Set(vs).size).toBe(vs.length);
    expect(drain(listAppendWorkload({ ops: 1_000, seed: 4 }))).toEqual(ops);
  });

  it('reads every key in final-read transactions of bounded size', () => {
    const keys = Array.from({ length: 70 }, (_, i) => i);
    const reads = listAppendWorkload({ ops: 1, seed: 1 }).finalReadOps(keys);
    expect(reads).toHaveLength(3);
    expect(reads.flatMap((r) => (r.value as unknown[][]).map((m) => m[1]))).toEqual(keys);
  });
});

describe('workload streams', () => {
  it('do not depend on fast-check\'s global configuration: one seed, one stream in any process', () => {
    const before = [drain(kvWorkload({ ops: 500, seed: 3 })), drain(listAppendWorkload({ ops: 500, seed: 3 }))];
    fc.configureGlobal({ randomType: 'mersenne', baseSize: 'xsmall', defaultSizeToMaxWhenMaxSpecified: false });
    try {
      expect([drain(kvWorkload({ ops: 500, seed: 3 })), drain(listAppendWorkload({ ops: 500, seed: 3 }))]).toEqual(before);
    } finally {
      fc.resetConfigureGlobal();
    }
  });
});
