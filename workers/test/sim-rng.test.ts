import { describe, expect, it } from 'vitest';
import { SeededRng } from '../src/sim/rng.js';

const draws = (rng: SeededRng, n: number): number[] => Array.from({ length: n }, () => rng.u32());

describe('seeded rng', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    expect(draws(SeededRng.fromSeed(42), 100)).toEqual(draws(SeededRng.fromSeed(42), 100));
    expect(draws(SeededRng.fromSeed(42), 100)).not.toEqual(draws(SeededRng.fromSeed(43), 100));
    // Seeds above 2^32 differ from their low word.
    expect(draws(SeededRng.fromSeed(2 ** 32 + 5), 10)).not.toEqual(draws(SeededRng.fromSeed(5), 10));
  });

  it('forks children that depend only on the parent seed and the label', () => {
    const a = SeededRng.fromSeed(9);
    const b = SeededRng.fromSeed(9);
    draws(b, 50); // parent draws do not shift children
    expect(draws(a.fork('network'), 20)).toEqual(draws(b.fork('network'), 20));
    expect(draws(a.fork('network'), 20)).not.toEqual(draws(a.fork('clients'), 20));
    expect(draws(a.fork('x').fork('y'), 5)).not.toEqual(draws(a.fork('y').fork('x'), 5));
  });

  it('keeps int, uniform, chance and pick in range and roughly uniform', () => {
    const rng = SeededRng.fromSeed(3);
    const counts = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = rng.int(0, 9);
      if (x >= 0 && x <= 9) counts[x]!++;
      else outside++;
    }
    expect(outside).toBe(0);
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(600);
    let hits = 0;
    for (let i = 0; i < 100_000; i++) if (rng.chance(0.3)) hits++;
    expect(Math.abs(hits / 100_000 - 0.3)).toBeLessThan(0.01);
    expect(rng.chance(0)).toBe(false);
    expect(rng.chance(1)).toBe(true);
    expect(() => rng.pick([])).toThrow(/empty/);
    expect(() => rng.int(3, 2)).toThrow(/empty range/);
    expect(() => SeededRng.fromSeed(-1)).toThrow(/non-negative/);
    expect(rng.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('draws exponential delays with the asked-for mean', () => {
    const rng = SeededRng.fromSeed(11);
    let sum = 0;
    for (let i = 0; i < 100_000; i++) sum += rng.exponential(5);
    expect(Math.abs(sum / 100_000 - 5)).toBeLessThan(0.1);
  });
});
