import { beforeAll, describe, expect, it } from 'vitest';
import { runMatrix, type MatrixResult } from '../src/run/matrix.js';
import { renderMatrix } from '../src/run/render-matrix.js';
import { cellOf, column, nameOf } from './support/matrix-cells.js';

/**
 * The default matrix (seed 1, 1,000 operations) shows Paxos's textbook behaviour: linearizable
 * under every nemesis, never blocked, only the majority side of a partition available; and each
 * named bug found — forget-highest-accepted when the leader dies right after choosing,
 * no-quorum-intersection under partitions, lease-without-drift-margin as stale reads from a
 * deposed master under clock skew: not linearizable, still sequential.
 */

let m: MatrixResult;
beforeAll(async () => {
  m = await runMatrix({ protocols: ['paxos'] });
}, 240_000);

describe('the default matrix, paxos', () => {
  it('the correct protocol is linearizable and available under every nemesis, scenarios included', () => {
    for (const c of column(m, 'paxos', null)) {
      expect(c.outcomes, nameOf(c)).toEqual({ ok: c.seeds.length, violated: 0, unknown: 0 });
      expect(c.consistency, nameOf(c)).toBe('strong');
      expect(c.blockedSeeds, nameOf(c)).toEqual([]);
    }
    expect(cellOf(m, 'paxos', null, 'crash-leader').scenario?.name).toBe('leader-dies-after-choosing');
    expect(cellOf(m, 'paxos', null, 'isolate-skewed-leader').seeds).toEqual([1, 2, 3]);
  });

  it('keeps only the majority side of a partition available (CAP: C and P over A)', () => {
    for (const nemesis of ['partition-halves', 'isolate-leader']) {
      const sides = cellOf(m, 'paxos', null, nemesis).sides!;
      expect(sides.minority.available, nemesis).toBe(0);
      expect(sides.minority.unavailable, nemesis).toBeGreaterThan(0);
      expect(sides.majority.unavailable, nemesis).toBe(0);
      expect(sides.majority.available, nemesis).toBeGreaterThan(0);
    }
  });

  it('finds each named bug where it shows, and none without faults', () => {
    const forget = cellOf(m, 'paxos', 'forget-highest-accepted', 'crash-leader');
    expect(forget.violatedSeeds).toEqual([1]);
    expect(forget.anomalies).toContain('not strong');
    expect(forget.reproduce).toContain('--bug forget-highest-accepted --scenario leader-dies-after-choosing');
    const quorum = cellOf(m, 'paxos', 'no-quorum-intersection', 'partition-halves');
    expect(quorum.violatedSeeds).toEqual([1]);
    const lease = cellOf(m, 'paxos', 'lease-without-drift-margin', 'isolate-skewed-leader');
    expect(lease.violatedSeeds.length).toBeGreaterThan(0);
    expect(lease.consistency).toBe('sequential');
    expect(lease.anomalies).toContain('not strong');
    expect(lease.anomalies).not.toContain('not sequential');
    for (const bug of ['forget-highest-accepted', 'no-quorum-intersection', 'lease-without-drift-margin']) {
      expect(cellOf(m, 'paxos', bug, 'none').outcomes.violated, bug).toBe(0);
    }
  });

  it('footnotes the scenario cells and says what the partitions left available', () => {
    const text = renderMatrix(m);
    expect(text).toMatch(/^crash-leader +strong¹ +✗\S+¹ +strong¹ +strong¹$/m);
    expect(text).toMatch(/^isolate-skewed-leader +strong² +\S+² +\S+² +✗seq²$/m);
    expect(text.replace(/\n {4}/g, ' ')).toContain('  ² paxos lease-hazard (faults of 1200–1500 ms after gaps of 400–700 ms; clock drift up to 30 %; client timeout 400 ms; 3 seeds):');
    expect(text).toMatch(/◐ paxos × partition-halves: minority side unavailable in (\d+) of \1 partitions, majority side available in (\d+) of \2/);
  });
});
