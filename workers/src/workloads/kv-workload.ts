import fc from 'fast-check';
import type { ClientOp } from '../sim/client-driver.js';
import { KeyRotation, sampleStream, type Workload, type WorkloadOptions } from './workload.js';

/** The single-key operations a kv workload can issue. */
export type KvF = 'read' | 'write' | 'cas';

export const KV_FS: readonly KvF[] = ['read', 'write', 'cas'];

/** One generated operation before values are assigned: which f, which key slot, which cas guess. */
export interface KvShape {
  f: KvF;
  slot: number;
  /** For cas: which of the key's recent values to expect (0 = the latest). */
  guess: number;
}

const WEIGHTS: Record<KvF, number> = { read: 4, write: 4, cas: 2 };
const RECENT_VALUES_MAX = 3;

/** The arbitrary of operation shapes: reads and writes alike, cas half as often. */
export function kvShapeArbitrary(fs: readonly KvF[], keysActive: number): fc.Arbitrary<KvShape> {
  if (fs.length === 0) throw new RangeError('a kv workload needs at least one operation kind');
  return fc.record({
    f: fc.oneof(...fs.map((f) => ({ arbitrary: fc.constant(f), weight: WEIGHTS[f] }))),
    slot: fc.nat({ max: keysActive - 1 }),
    guess: fc.nat({ max: RECENT_VALUES_MAX - 1 }),
  });
}

export interface KvWorkloadOptions extends WorkloadOptions {
  fs?: readonly KvF[];
}

/**
 * Jepsen's independent kv registers: `read [k, null]` → `[k, v]`, `write [k, v]`,
 * `cas [k, [expected, new]]`. Values written to a key count up from 1, so each is unique; a cas
 * expects one of the key's few most recent values (or nil), so some succeed and some fail.
 */
export function kvWorkload(options: KvWorkloadOptions): Workload {
  const keysActive = options.keysActive ?? 3;
  const shapes = sampleStream(kvShapeArbitrary(options.fs ?? KV_FS, keysActive), options.seed, options.ops);
  const rotation = new KeyRotation(keysActive, options.opsPerKeyMax ?? 120);
  const lastValue = new Map<number, number>();
  return {
    kind: 'kv',
    size: shapes.size,
    next(): ClientOp | undefined {
      const shape = shapes.take();
      if (shape === undefined) return undefined;
      const key = rotation.use(shape.slot);
      const last = lastValue.get(key) ?? 0;
      switch (shape.f) {
        case 'read':
          return { f: 'read', value: [key, null] };
        case 'write':
          lastValue.set(key, last + 1);
          return { f: 'write', value: [key, last + 1] };
        case 'cas': {
          const expected = last - shape.guess;
          lastValue.set(key, last + 1);
          return { f: 'cas', value: [key, [expected >= 1 ? expected : null, last + 1]] };
        }
      }
    },
    keys: () => rotation.keys(),
    finalReadOps: (keys) => keys.map((k) => ({ f: 'read', value: [k, null] })),
  };
}
