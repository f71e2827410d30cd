import fc from 'fast-check';
import type { ClientOp } from '../sim/client-driver.js';
import { KeyRotation, sampleStream, type Workload, type WorkloadOptions } from './workload.js';

/** One micro-op before values are assigned. */
export interface MicroShape {
  f: 'r' | 'append';
  slot: number;
}

/** Transactions of 1 to `microOpsMax` micro-ops, appends and reads alike. */
export function txnShapeArbitrary(keysActive: number, microOpsMax: number): fc.Arbitrary<MicroShape[]> {
  const micro = fc.record({ f: fc.constantFrom<'r' | 'append'>('r', 'append'), slot: fc.nat({ max: keysActive - 1 }) });
  return fc.array(micro, { minLength: 1, maxLength: microOpsMax, size: 'max' });
}

export interface ListAppendOptions extends WorkloadOptions {
  /** Micro-ops per transaction at most (default 4). */
  microOpsMax?: number;
}

/** Keys a final read transaction reads at most; more keys take more transactions. */
const FINAL_READ_KEYS_MAX = 32;

/**
 * Elle's list-append: `f: "txn"` with `["append", k, v]` and `["r", k, null]` micro-ops (a read
 * completes as `["r", k, [..]]`). Appended values count up per key, so each is unique and a read
 * list reveals the order of the appends it saw.
 */
export function listAppendWorkload(options: ListAppendOptions): Workload {
  const keysActive = options.keysActive ?? 4;
  const shapes = sampleStream(txnShapeArbitrary(keysActive, options.microOpsMax ?? 4), options.seed, options.ops);
  const rotation = new KeyRotation(keysActive, options.opsPerKeyMax ?? 200);
  const lastValue = new Map<number, number>();
  return {
    kind: 'txn',
    size: shapes.size,
    next(): ClientOp | undefined {
      const shape = shapes.take();
      if (shape === undefined) return undefined;
      const micro = shape.map((m) => {
        const key = rotation.use(m.slot);
        if (m.f === 'r') return ['r', key, null];
        const v = (lastValue.get(key) ?? 0) + 1;
        lastValue.set(key, v);
        return ['append', key, v];
      });
      return { f: 'txn', value: micro };
    },
    keys: () => rotation.keys(),
    finalReadOps(keys) {
      const out: ClientOp[] = [];
      for (let i = 0; i < keys.length; i += FINAL_READ_KEYS_MAX) {
        out.push({ f: 'txn', value: keys.slice(i, i + FINAL_READ_KEYS_MAX).map((k) => ['r', k, null]) });
      }
      return out;
    },
  };
}
