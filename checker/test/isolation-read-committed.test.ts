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
    let runs = 0;
    let undecided = 0;
    fc.assert(fc.property(readCommittedRun, ({ txns, picks, concurrency }) => {
      const result = checkIsolation(runReadCommitted(txns, picks, concurrency), { realtime: false });
      const types = typesOf(result);
      for (const t of types) seen.add(t);
      expect(types.filter((t) => NEVER.includes(t)), result.anomalies.map((a) => a.sentence).join('\n')).toEqual([]);
      runs++;
      const rc = result.levels.find((l) => l.level === 'read-committed')!;
      // Read committed holds, unless a scan saw a key that one of several transactions created
      // and some choice of creator would close a cycle: then it is unknown, never violated.
      if (rc.status !== 'holds') {
        undecided++;
        expect(rc.status).toBe('unknown');
        expect(rc.cause).toMatch(/^a scan saw key \d+, which any of \d+ transactions may have created/);
        return;
      }
      expect(['read-committed', 'repeatable-read', 'snapshot-isolation', 'serializable']).toContain(result.strongest);
    }), { numRuns: 400 });
    expect(undecided).toBeLessThan(runs / 10);
    // The store is weak enough that some runs show what read committed allows.
    console.log(`read-committed store: anomaly types seen: ${[...seen].sort().join(', ')}`);
    expect([...seen].some((t) => ['G-single', 'G2-item', 'G-nonadjacent', 'G2', 'lost-update', 'non-repeatable-read', 'phantom-read'].includes(t))).toBe(true);
  });
});
