import fc from 'fast-check';
import type { SimulationWorkload } from '../sim/simulation-config.js';

/**
 * A stream of client operations, sampled deterministically from fast-check arbitraries with a
 * seed derived from the run's root seed, with what the simulation needs for final reads (keys
 * touched so far, ascending). Written values are unique per key, so every read names the write it
 * saw (Elle's and Knossos's requirement for cheap, exact checking).
 */
export interface Workload extends SimulationWorkload {
  readonly kind: 'kv' | 'txn';
  /** Operations the stream holds in all. */
  readonly size: number;
}

/** Shared knobs of the generated workloads. */
export interface WorkloadOptions {
  /** Operations to generate. */
  ops: number;
  /** fast-check seed (a 32-bit integer). */
  seed: number;
  /** Keys in play at once (default 3 for kv, 4 for txn). */
  keysActive?: number;
  /**
   * Operations on one key before it retires for a fresh one (Jepsen's independent keys): keeps
   * each key's history short enough for the linearizability search. Default 120 kv, 200 txn.
   */
  opsPerKeyMax?: number;
}

/**
 * `count` values of `arbitrary` drawn from `seed`, replayed one at a time. The generator is named
 * here, not left to fast-check's global configuration, so a process that configures fast-check (a
 * test setup, say) cannot change what a seed generates; arbitraries pin their sizes for the same
 * reason.
 */
export function sampleStream<T>(arbitrary: fc.Arbitrary<T>, seed: number, count: number): SampledStream<T> {
  return new SampledStream(fc.sample(arbitrary, { seed, numRuns: count, randomType: 'xorshift128plus' }));
}

/** Values sampled from a fast-check arbitrary, replayed one at a time. */
export class SampledStream<T> {
  private position = 0;
  constructor(private readonly items: readonly T[]) {}

  get size(): number {
    return this.items.length;
  }

  take(): T | undefined {
    return this.position < this.items.length ? this.items[this.position++] : undefined;
  }
}

/**
 * Keys in play, rotated after `opsPerKeyMax` operations each: slot s holds one active key; a
 * retired key is replaced by the next integer key.
 */
export class KeyRotation {
  private readonly active: number[];
  private readonly uses: number[];
  private nextKey: number;
  private readonly touched: number[] = [];

  constructor(keysActive: number, private readonly opsPerKeyMax: number) {
    if (!(keysActive >= 1)) throw new RangeError(`keysActive must be ≥ 1, got ${keysActive}`);
    if (!(opsPerKeyMax >= 1)) throw new RangeError(`opsPerKeyMax must be ≥ 1, got ${opsPerKeyMax}`);
    this.active = Array.from({ length: keysActive }, (_, i) => i);
    this.uses = this.active.map(() => 0);
    this.nextKey = keysActive;
  }

  /** The key in `slot` for one more operation. */
  use(slot: number): number {
    const s = slot % this.active.length;
    const key = this.active[s]!;
    if (this.uses[s] === 0) this.touched.push(key);
    if (++this.uses[s]! >= this.opsPerKeyMax) {
      this.active[s] = this.nextKey++;
      this.uses[s] = 0;
    }
    return key;
  }

  /** Keys used so far, ascending. */
  keys(): number[] {
    return [...this.touched].sort((a, b) => a - b);
  }
}
