import { beforeAll, describe, expect, it } from 'vitest';
import { runMatrix, type MatrixResult } from '../src/run/matrix.js';
import { renderMatrix } from '../src/run/render-matrix.js';
import { cellOf } from './support/matrix-cells.js';

/**
 * The eventual store's rows of the matrix (seed 1, 1,000 operations) under a partition and under
 * clock skew: available on both sides and eventually consistent; last writer wins loses writes
 * once clocks are skewed; the bug no-anti-entropy leaves replicas apart after the heal.
 */

let m: MatrixResult;
beforeAll(async () => {
  m = await runMatrix({ protocols: ['eventual'], nemeses: ['partition-halves', 'clock-skew'], checkTimeLimitMs: 2_000 });
}, 240_000);

describe('the matrix, eventual', () => {
  it('shows the correct store eventually consistent under a partition, with both sides available', () => {
    const c = cellOf(m, 'eventual', null, 'partition-halves');
    expect(c.consistency).toBe('eventual');
    expect(c.anomalies).toEqual(['not sequential', 'not session', 'not strong', 'not user']);
    expect(c.sides).toEqual({ minority: { available: 1, unavailable: 0 }, majority: { available: 1, unavailable: 0 } });
    expect(c.blockedSeeds).toEqual([]);
  });

  it('shows last writer wins losing acknowledged writes under clock skew', () => {
    const c = cellOf(m, 'eventual', null, 'clock-skew');
    expect(c.consistency).toBe('none');
    expect(c.anomalies).toContain('not eventual');
  });

  it('finds the bug no-anti-entropy under the partition', () => {
    const c = cellOf(m, 'eventual', 'no-anti-entropy', 'partition-halves');
    expect(c.consistency).toBe('none');
    expect(c.anomalies).toContain('not eventual');
    expect(c.reproduce).toBe('verdict run --protocol eventual --nemesis partition-halves --seed 1 --ops 1000 --bug no-anti-entropy');
    expect(renderMatrix(m)).toMatch(/^partition-halves +✗eventual +✗none$/m);
  });
});
