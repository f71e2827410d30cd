import { beforeAll, describe, expect, it } from 'vitest';
import { runMatrix, type MatrixResult } from '../src/run/matrix.js';
import { renderMatrix } from '../src/run/render-matrix.js';
import { cellOf, column } from './support/matrix-cells.js';

/**
 * The matrix rows of the ZooKeeper recipes (seed 1, 400 operations, the nemeses where their bugs
 * show): the correct lock and counter pass everywhere; lock-no-session-check is two holders once
 * partitions expire sessions; lock-watch-parent passes (the herd effect is slow, not wrong);
 * counter-blind-set loses increments even with no faults; the latch passes; the barrier passes,
 * and barrier-count-self-out lets enters through early with no faults.
 */

let m: MatrixResult;
beforeAll(async () => {
  m = await runMatrix({ protocols: ['zk-lock', 'zk-counter', 'zk-latch', 'zk-barrier'], nemeses: ['none', 'partition-halves', 'isolate-leader', 'crash-leader'], ops: 400 });
}, 240_000);

describe('the matrix, zk-lock, zk-counter, zk-latch and zk-barrier', () => {
  it('the correct recipes and lock-watch-parent pass under every nemesis here', () => {
    for (const [protocol, bug] of [['zk-lock', null], ['zk-lock', 'lock-watch-parent'], ['zk-counter', null], ['zk-latch', null], ['zk-barrier', null]] as const) {
      for (const c of column(m, protocol, bug)) expect(c.outcomes, `${protocol} ${bug ?? ''} ${c.nemesis}`).toEqual({ ok: 1, violated: 0, unknown: 0 });
    }
  });

  it('lock-no-session-check is caught where partitions expire sessions, and not without faults', () => {
    expect(cellOf(m, 'zk-lock', 'lock-no-session-check', 'partition-halves').violatedSeeds).toEqual([1]);
    expect(cellOf(m, 'zk-lock', 'lock-no-session-check', 'isolate-leader').violatedSeeds).toEqual([1]);
    expect(cellOf(m, 'zk-lock', 'lock-no-session-check', 'none').outcomes.violated).toBe(0);
  });

  it('counter-blind-set loses increments under every nemesis, none included', () => {
    for (const c of column(m, 'zk-counter', 'counter-blind-set')) expect(c.violatedSeeds, c.nemesis).toEqual([1]);
    expect(renderMatrix(m)).toContain('verdict run --protocol zk-counter --nemesis none --seed 1 --ops 400 --bug counter-blind-set');
  });

  it('draws a violated recipe cell as ✗ and a passing one as strong, never as undecided', () => {
    const table = renderMatrix(m).split('\n').filter((l) => /^(none|partition-halves|isolate-leader|crash-leader) /.test(l));
    expect(table).toHaveLength(4);
    for (const line of table) expect(line, line).not.toContain('?');
    expect(table.find((l) => l.startsWith('none '))).toMatch(/✗ /);
  });

  it('barrier-count-self-out is caught with no faults', () => {
    expect(cellOf(m, 'zk-barrier', 'barrier-count-self-out', 'none').violatedSeeds).toEqual([1]);
  });
});
