import { beforeAll, describe, expect, it } from 'vitest';
import { runMatrix, type MatrixResult } from '../src/run/matrix.js';
import { renderMatrix } from '../src/run/render-matrix.js';
import { cellOf, column, nameOf } from './support/matrix-cells.js';

/**
 * The default matrix (seed 1, 1,000 operations) shows each commit protocol's textbook behaviour:
 * 2PC atomic everywhere and blocked when its coordinator dies in doubt; its bug
 * participant-timeout-decides found as a non-atomic commit; 3PC never blocked, atomic under
 * crashes, and split by a partition after PreCommit. The cells that must show a behaviour run
 * under the protocols' scenarios, so this holds by mechanism, not by the luck of one seed.
 */

const BUG = 'participant-timeout-decides';
const CRASHES = ['crash-one', 'crash-minority', 'crash-leader', 'crash-coordinator'] as const;

let m: MatrixResult;
beforeAll(async () => {
  m = await runMatrix({ protocols: ['2pc', '3pc'] });
}, 120_000);

describe('the default matrix, commit protocols', () => {
  it('2pc is atomic under every nemesis, and blocked (nothing inconsistent) when the coordinator dies in doubt', () => {
    for (const c of column(m, '2pc', null)) {
      expect(c.outcomes.violated, nameOf(c)).toBe(0);
      expect(c.isolation, nameOf(c)).toBe('strict-serializable');
    }
    const crash = cellOf(m, '2pc', null, 'crash-coordinator');
    expect(crash.scenario?.name).toBe('coordinator-dies-in-doubt');
    expect(crash.blockedSeeds).toEqual([1]);
    expect(crash.blockedReason).toMatch(/stayed unusable at the live nodes.*refused by the lock of c\d\.\d+\.\d+ all along/);
    expect(cellOf(m, '2pc', null, 'none').blockedSeeds).toEqual([]);
    expect(cellOf(m, '2pc', null, 'clock-skew').blockedSeeds).toEqual([]);
  });

  it(`2pc with ${BUG} commits non-atomically when its coordinator dies or is cut off in doubt`, () => {
    for (const nemesis of ['crash-coordinator', 'partition-halves']) {
      const c = cellOf(m, '2pc', BUG, nemesis);
      expect(c.violatedSeeds, nameOf(c)).toEqual([1]);
      expect(c.anomalies, nameOf(c)).toContain('non-atomic-commit');
      expect(c.reproduce).toContain(`--bug ${BUG} --scenario `);
    }
    for (const nemesis of ['none', 'clock-skew']) expect(cellOf(m, '2pc', BUG, nemesis).outcomes.violated).toBe(0);
  });

  it('3pc never blocks, stays atomic under crashes (its coordinator dying right after PreCommit included), and splits under a partition after PreCommit', () => {
    for (const c of column(m, '3pc', null)) expect(c.blockedSeeds, nameOf(c)).toEqual([]);
    for (const nemesis of ['none', 'clock-skew', ...CRASHES]) {
      const c = cellOf(m, '3pc', null, nemesis);
      expect(c.isolation, nameOf(c)).toBe('strict-serializable');
    }
    expect(cellOf(m, '3pc', null, 'crash-coordinator').scenario?.name).toBe('coordinator-dies-after-precommit');
    const split = cellOf(m, '3pc', null, 'partition-halves');
    expect(split.scenario?.name).toBe('partition-after-precommit');
    expect(split.violatedSeeds).toEqual([1]);
    expect(split.anomalies).toContain('non-atomic-commit');
  });

  it('footnotes every cell that ran under a scenario, and the scenario, in the table', () => {
    const text = renderMatrix(m);
    expect(text).toMatch(/^crash-coordinator +strict-ser⊘² +✗none² +strict-ser⁴$/m);
    expect(text).toMatch(/^partition-halves +strict-ser¹ +✗none¹ +✗none³$/m);
    expect(text).toMatch(/^none +strict-ser +strict-ser +strict-ser$/m);
    const unwrapped = text.replace(/\n {4}/g, ' ');
    expect(unwrapped).toContain('  ³ 3pc partition-after-precommit (faults on mark pre-commit-sent>pre-committed): each partition comes right after');
    expect(unwrapped).toContain(' used in 2pc × crash-coordinator, 2pc/participant-timeout-decides × crash-coordinator\n');
    expect(text).toMatch(/⊘ 2pc × crash-coordinator: blocked in seed 1, nothing inconsistent — while crashed c\d \(role coordinator\), right after c\d marked prepare-sent/);
  });
});
