import fc from 'fast-check';
import type { ClientOp } from '../sim/client-driver.js';
import { KeyRotation, sampleStream, type Workload, type WorkloadOptions } from './workload.js';

/** One transaction's shape: which key slots it touches, and for each whether it reads, writes, or reads then writes. */
export type RegisterStep = { slot: number; kind: 'r' | 'w' | 'rw' };

export interface RwRegisterOptions extends WorkloadOptions {
  /** Keys a transaction touches at most (default 3). */
  keysPerTxnMax?: number;
}

/**
 * Transactions over a few registers (Elle's rw-register): each touches 1 to `keysPerTxnMax`
 * distinct keys, and for each reads it, writes it, or reads it then writes it. Most writes follow a
 * read of the same key, which lets the checker order a key's versions from the history alone
 * (a transaction's write follows the version it read), and two transactions that read two keys and
 * each write one of them is the write-skew shape snapshot isolation lets through.
 */
export function registerTxnArbitrary(keysActive: number, keysPerTxnMax: number): fc.Arbitrary<RegisterStep[]> {
  const kind = fc.oneof({ arbitrary: fc.constant<'r'>('r'), weight: 3 }, { arbitrary: fc.constant<'rw'>('rw'), weight: 3 }, { arbitrary: fc.constant<'w'>('w'), weight: 1 });
  const slots = fc.uniqueArray(fc.nat({ max: keysActive - 1 }), { minLength: 1, maxLength: Math.min(keysPerTxnMax, keysActive), size: 'max' });
  return slots.chain((s) => fc.tuple(...s.map((slot) => kind.map((k) => ({ slot, kind: k }))))).map((steps) => [...steps]);
}

/**
 * `f: "txn"` with `["r", k, null]` (completing as `["r", k, v]`) and `["w", k, v]`; values written
 * to a key count up from 1, so each names the write a read saw.
 */
export function rwRegisterWorkload(options: RwRegisterOptions): Workload {
  const keysActive = options.keysActive ?? 4;
  const shapes = sampleStream(registerTxnArbitrary(keysActive, options.keysPerTxnMax ?? 3), options.seed, options.ops);
  const rotation = new KeyRotation(keysActive, options.opsPerKeyMax ?? 400);
  const lastValue = new Map<number, number>();
  const write = (key: number): unknown[] => {
    const v = (lastValue.get(key) ?? 0) + 1;
    lastValue.set(key, v);
    return ['w', key, v];
  };
  return {
    kind: 'txn',
    size: shapes.size,
    next(): ClientOp | undefined {
      const shape = shapes.take();
      if (shape === undefined) return undefined;
      const micro: unknown[] = [];
      for (const step of shape) {
        const key = rotation.use(step.slot);
        if (step.kind !== 'w') micro.push(['r', key, null]);
        if (step.kind !== 'r') micro.push(write(key));
      }
      return { f: 'txn', value: micro };
    },
    keys: () => rotation.keys(),
    finalReadOps: (keys) => chunk(keys, 32).map((ks) => ({ f: 'txn', value: ks.map((k) => ['r', k, null]) })),
  };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
