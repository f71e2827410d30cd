import type { Rng } from './node-context.js';

/**
 * The simulator's seeded generator: SFC32 (small, fast, passes PractRand) over four 32-bit words.
 * One root seed makes one tree of generators: `fork(label)` derives a child from this generator's
 * *key* (its seed material) and the label alone, so a child never depends on how many draws its
 * parent made, and adding a subsystem never shifts another's stream (VOPR's per-subsystem seeds).
 */
export class SeededRng implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(private readonly key: readonly [number, number, number, number]) {
    [this.a, this.b, this.c, this.d] = key;
    // The first outputs of SFC32 from a structured key are correlated; discard a few.
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** The root generator of a run. `seed` is a non-negative safe integer (the CLI's `--seed`). */
  static fromSeed(seed: number): SeededRng {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative safe integer, got ${String(seed)}`);
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 0x1_0000_0000) >>> 0;
    return new SeededRng([mix32(lo ^ 0x9e3779b9), mix32(hi ^ 0x243f6a88), mix32((lo + 0x85a308d3) | 0), mix32((hi ^ lo) + 0x13198a2e)]);
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    const t0 = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    const t = (t0 + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  next(): number {
    return this.u32() / 0x1_0000_0000;
  }

  int(min: number, max: number): number {
    if (!(max >= min)) throw new RangeError(`int(${min}, ${max}): empty range`);
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform real in [min, max). */
  uniform(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** Exponentially distributed with the given mean (memoryless delays, VOPR's one-way delay). */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  chance(p: number): boolean {
    // No draw for the certain cases: the stream only depends on probabilities that can vary.
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new RangeError('pick from an empty list');
    return xs[this.int(0, xs.length - 1)]!;
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(xs: readonly T[]): T[] {
    const out = xs.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const tmp = out[i]!;
      out[i] = out[j]!;
      out[j] = tmp;
    }
    return out;
  }

  fork(label: string): SeededRng {
    const h = hashLabel(label);
    const [k0, k1, k2, k3] = this.key;
    return new SeededRng([mix32(k0 ^ h), mix32(k1 + Math.imul(h, 0x9e3779b1)), mix32(k2 ^ Math.imul(h ^ 0x5bd1e995, 0x27d4eb2f)), mix32(k3 + h + 0x165667b1)]);
  }
}

/** FNV-1a over the label's UTF-16 code units, then a finaliser. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** MurmurHash3's 32-bit finaliser: every input bit flips about half the output bits. */
function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
