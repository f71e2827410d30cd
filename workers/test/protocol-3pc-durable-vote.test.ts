import { describe, expect, it } from 'vitest';
import { run } from '../src/run.js';

/**
 * Found by the swarm (issue 10, root seed 20261203, run 242): under crash-minority, c2, p3 and p5
 * crashed together 11 ms after a transaction writing at p3 and p5 began. c2 had logged PreCommit
 * and p3 had pre-committed, but p5 had only voted yes, and its vote lived in memory: back up, p5
 * had forgotten the transaction and refused the DoCommit of the recovered c2, while p3 committed —
 * non-atomic commit. A yes vote is now logged with the share's locks, and a participant back from
 * a crash asks the coordinator instead of deciding alone.
 */
describe('3pc keeps a yes vote across a crash', () => {
  it('crash-minority, seed 3076470179, 28,006 ops: atomic (strict-serializable)', async () => {
    const result = await run({
      protocol: '3pc', nemesis: 'crash-minority', seed: 3_076_470_179, ops: 28_006, nodes: 5, clients: 3, timeoutMs: 434, network: { duplicateProbability: 0.003 },
    });
    expect(result.facts.reproduce).toBe('verdict run --protocol 3pc --nemesis crash-minority --seed 3076470179 --ops 28006 --nodes 5 --clients 3 --timeout-ms 434 --duplicate 0.003');
    expect(result.report.verdict.outcome, result.facts.reproduce).toBe('ok');
    expect(result.report.verdict.isolation).toBe('strict-serializable');
  }, 240_000);

  it('crash-minority, seed 3939149759, 3,056 ops (run 755 of the same swarm): atomic', async () => {
    const result = await run({ protocol: '3pc', nemesis: 'crash-minority', seed: 3_939_149_759, ops: 3_056, nodes: 3, clients: 1 });
    expect(result.report.verdict.outcome, result.facts.reproduce).toBe('ok');
  }, 120_000);
});
