import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkIsolation } from '../src/index.js';
import { typesOf } from './support/isolation-expect.js';
import { readCommittedRun, runReadCommitted } from './support/isolation-rc-store.js';

/** What a read-committed store must never show. */
const NEVER = ['G0', 'G1a', 'G1b', 'G1c', 'internal-inconsistency', 'duplicate-value', 'impossible-value', 'incompatible-order', 'non-atomic-commit'];

describe('isolation: a simulated read-committed store', () => {
  it('shows no G0 or G1 and keeps read committed; it may show G2', () => {
    const seen = new Set<string>();
    fc.assert(fc.property(readCommittedRun, ({ txns, picks, concurrency }) => {
      const result = checkIsolation(runReadCommitted(txns, picks, concurrency), { realtime: false });
      const types = typesOf(result);
      for (const t of types) seen.add(t);
      expect(types.filter((t) => NEVER.includes(t)), result.anomalies.map((a) => a.sentence).join('\n')).toEqual([]);
      expect(result.levels.find((l) => l.level === 'read-committed')?.status).toBe('holds');
      expect(['read-committed', 'repeatable-read', 'snapshot-isolation', 'serializable']).toContain(result.strongest);
    }), { numRuns: 400 });
    // The store is weak enough that some runs show what read committed allows.
    console.log(`read-committed store: anomaly types seen: ${[...seen].sort().join(', ')}`);
    expect([...seen].some((t) => ['G-single', 'G2-item', 'G-nonadjacent', 'G2', 'lost-update', 'non-repeatable-read', 'phantom-read'].includes(t))).toBe(true);
  });
});
