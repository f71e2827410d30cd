import type { Anomaly } from '@verdict/checker';
import { describe, expect, it } from 'vitest';
import { run } from '../src/run.js';
import type { RunResult } from '../src/run/result.js';
import type { RunSpec } from '../src/run/spec.js';

/**
 * 2PC end to end through `run(spec)`: the simulator, the list-append workload, the nemesis and
 * the isolation checker. Seed budgets were measured on 20-seed sweeps (see each test).
 */

const BUG = 'participant-timeout-decides';

const anomalyTypes = (r: RunResult): string[] => [...new Set(r.report.isolation?.anomalies.map((a) => a.type) ?? [])];

/** The first seed in 1..seedsMax whose run reports a non-atomic commit. */
async function findNonAtomicCommit(spec: Omit<RunSpec, 'seed'>, seedsMax: number): Promise<{ seed: number; r: RunResult; anomaly: Anomaly } | undefined> {
  for (let seed = 1; seed <= seedsMax; seed++) {
    const r = await run({ ...spec, seed });
    const anomaly = r.report.isolation?.anomalies.find((a) => a.type === 'non-atomic-commit');
    if (anomaly !== undefined) return { seed, r, anomaly };
  }
  return undefined;
}

/** The split transaction committed or stayed indeterminate, as the checker's rule requires. */
function expectSplitShape(anomaly: Anomaly): void {
  const [split] = anomaly.transactions;
  expect(['ok', 'info']).toContain(split!.status);
  expect(anomaly.sentence).toMatch(/took effect at one participant and not at another/);
}

describe('2pc end to end', () => {
  it('without faults is atomic and strict-serializable (seeds 1-3)', async () => {
    for (let seed = 1; seed <= 3; seed++) {
      const r = await run({ protocol: '2pc', seed, ops: 300 });
      expect(anomalyTypes(r), r.facts.reproduce).toEqual([]);
      expect(r.report.isolation?.strongest).toBe('strict-serializable');
      expect(r.history.operations.filter((o) => o.status === 'ok' && o.phase !== 'final').length).toBeGreaterThan(100);
      expect(r.history.operations.filter((o) => o.phase === 'final').every((o) => o.status === 'ok')).toBe(true);
    }
  });

  it('is deterministic: one seed, one history, byte for byte (under faults, with the bug)', async () => {
    const spec = { protocol: '2pc', nemesis: 'mixed', bug: BUG, seed: 7, ops: 200 };
    const [a, b] = [await run(spec), await run(spec)];
    expect(JSON.stringify(b.history.ops)).toBe(JSON.stringify(a.history.ops));
  });

  it('bug participant-timeout-decides under partitions: non-atomic commit within 10 seeds (10 of 20 seeds find it)', async () => {
    const found = await findNonAtomicCommit({ protocol: '2pc', nemesis: 'partition-halves', bug: BUG, ops: 300 }, 10);
    expect(found, 'no seed in 1..10 found the non-atomic commit').toBeDefined();
    expectSplitShape(found!.anomaly);
    expect(found!.r.headline).toMatch(/^VIOLATED/);
  });

  it('bug participant-timeout-decides with coordinator crashes: non-atomic commit within 10 seeds (12 of 20 seeds find it)', async () => {
    // Crashes every ~0.6 s, clients that give up after 200 ms (so the crashed coordinator's
    // clients are busy again by the next crash) and an 8 ms mean latency: more transactions
    // are between prepare and decision when the coordinator dies.
    const found = await findNonAtomicCommit({
      protocol: '2pc', nemesis: 'crash-coordinator', bug: BUG, ops: 600, timeoutMs: 200,
      nemesisTiming: { gapMsMin: 250, gapMsMax: 400, faultMsMin: 250, faultMsMax: 400 },
      network: { latencyMsMean: 8 },
    }, 10);
    expect(found, 'no seed in 1..10 found the non-atomic commit').toBeDefined();
    expectSplitShape(found!.anomaly);
  });
});
