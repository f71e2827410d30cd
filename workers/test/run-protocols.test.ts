import { describe, expect, it } from 'vitest';
import { PROTOCOLS } from '../src/protocols/registry.js';
import { run } from '../src/run.js';

/**
 * The textbook behaviours the run pipeline must report for the registered protocols: 2PC blocks
 * (availability lost, nothing inconsistent) when its coordinator dies, 3PC does not, and Paxos
 * keeps only the majority side of a partition available (CAP: C and P over A).
 */
describe.runIf('2pc' in PROTOCOLS && '3pc' in PROTOCOLS)('commit protocols under a dead coordinator', () => {
  it('2PC reads as blocked, nothing inconsistent; 3PC as not blocked', async () => {
    const twoPc = await run({ protocol: '2pc', nemesis: 'crash-coordinator', seed: 1, ops: 2_000 });
    expect(twoPc.report.verdict.outcome).toBe('ok');
    expect(twoPc.facts.availability.blocked).toBe(true);
    expect(twoPc.headline).toMatch(/^blocked: availability lost, nothing inconsistent/);
    const threePc = await run({ protocol: '3pc', nemesis: 'crash-coordinator', seed: 1, ops: 2_000 });
    expect(threePc.facts.availability.blocked).toBe(false);
  });
});

describe.runIf('paxos' in PROTOCOLS)('paxos under partitions', () => {
  it('stays linearizable with the majority side available and the minority side not', async () => {
    const r = await run({ protocol: 'paxos', nemesis: 'partition-halves', seed: 7, ops: 2_000 });
    expect(r.report.verdict).toMatchObject({ outcome: 'ok', consistency: 'strong' });
    const sides = r.facts.availability.faults.flatMap((f) => f.sides ?? []).filter((s) => s.available !== null);
    expect(sides.length).toBeGreaterThan(0);
    for (const side of sides) expect(side.available).toBe(side.nodes.length >= 3);
  });
});
