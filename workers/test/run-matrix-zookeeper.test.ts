import { beforeAll, describe, expect, it } from 'vitest';
import { runMatrix, type MatrixResult } from '../src/run/matrix.js';
import { renderMatrix } from '../src/run/render-matrix.js';
import { cellOf, column, nameOf } from './support/matrix-cells.js';

/**
 * ZooKeeper's rows of the matrix (seed 1, 1,000 operations, sync'd reads): the correct protocol
 * linearizable and keeping ZooKeeper's own guarantees under every nemesis here, scenarios and
 * session expiry included; each ZAB bug found in the cell of its scenario, and none without faults;
 * the session layer's no-last-zxid-check and watch-after-result found with no faults at all.
 */

const NEMESES = ['none', 'crash-leader', 'isolate-leader', 'partition-halves', 'session-expiry', 'mixed'] as const;

let m: MatrixResult;
beforeAll(async () => {
  m = await runMatrix({ protocols: ['zookeeper'], nemeses: [...NEMESES] });
}, 600_000);

describe('the matrix, zookeeper', () => {
  it('the correct protocol is linearizable and keeps its guarantees under every nemesis, scenarios included', () => {
    expect(column(m, 'zookeeper', null).map((c) => c.nemesis)).toEqual([...NEMESES]);
    for (const c of column(m, 'zookeeper', null)) {
      expect(c.outcomes, nameOf(c)).toEqual({ ok: c.seeds.length, violated: 0, unknown: 0 });
      expect(c.consistency, nameOf(c)).toBe('strong');
      expect(c.errors, nameOf(c)).toEqual([]);
    }
    expect(cellOf(m, 'zookeeper', null, 'isolate-leader').scenario?.name).toBe('leader-cut-off-after-proposing');
    expect(cellOf(m, 'zookeeper', null, 'isolate-leader').seeds).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(cellOf(m, 'zookeeper', null, 'crash-leader').scenario?.name).toBe('leader-dies-as-laggard-returns');
  });

  it('finds each named bug in its scenario cell, and none without faults', () => {
    for (const [bug, nemesis, scenario] of [
      ['commit-before-quorum', 'isolate-leader', 'leader-cut-off-after-proposing'],
      ['elect-lower-zxid', 'crash-leader', 'leader-dies-as-laggard-returns'],
      ['skip-trunc', 'isolate-leader', 'leader-cut-off-after-proposing'],
    ] as const) {
      const c = cellOf(m, 'zookeeper', bug, nemesis);
      expect(c.violatedSeeds.length, bug).toBeGreaterThan(0);
      expect(c.reproduce, bug).toContain(`--bug ${bug} --scenario ${scenario}`);
      expect(cellOf(m, 'zookeeper', bug, 'none').outcomes.violated, bug).toBe(0);
    }
    for (const bug of ['no-last-zxid-check', 'watch-after-result']) {
      const c = cellOf(m, 'zookeeper', bug, 'none');
      expect(c.violatedSeeds, bug).toEqual([1]);
      expect(c.reproduce, bug).toContain(`--bug ${bug}`);
    }
    expect(renderMatrix(m)).toContain('zookeeper');
  });
});
