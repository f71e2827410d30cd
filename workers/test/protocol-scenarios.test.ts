import { describe, expect, it } from 'vitest';
import { run } from '../src/run.js';
import type { RunResult } from '../src/run/result.js';
import type { RunSpec } from '../src/run/spec.js';

/**
 * Each protocol scenario beyond the matrix's seed 1: the correct protocol stays correct under it
 * on every seed (a scenario is a harsher test, never a false alarm), and the behaviour it aims at
 * shows on (nearly) every seed, so it is a mechanism, not one lucky seed. Budgets were measured on
 * seeds 1-10 (1-30 for lease-hazard) and are stated beside each test.
 */

const SEEDS = [2, 3, 4, 5];

async function runs(spec: Omit<RunSpec, 'seed'>, seeds: readonly number[] = SEEDS): Promise<RunResult[]> {
  const out: RunResult[] = [];
  for (const seed of seeds) out.push(await run({ ops: 1_000, ...spec, seed }));
  return out;
}

const nonAtomic = (r: RunResult): boolean => r.report.isolation?.anomalies.some((a) => a.type === 'non-atomic-commit') ?? false;

describe('2pc scenarios', () => {
  it('coordinator-dies-in-doubt: the correct protocol blocks and stays atomic on every seed (10 of 10); the bug splits on every seed (10 of 10)', async () => {
    for (const r of await runs({ protocol: '2pc', nemesis: 'crash-coordinator', scenario: 'coordinator-dies-in-doubt' })) {
      expect(r.report.verdict.outcome, r.facts.reproduce).toBe('ok');
      expect(r.facts.availability.blocked, r.facts.reproduce).toBe(true);
      expect(r.facts.faults.every((f) => f.trigger?.event === 'prepare-sent'), r.facts.reproduce).toBe(true);
    }
    for (const r of await runs({ protocol: '2pc', nemesis: 'crash-coordinator', scenario: 'coordinator-dies-in-doubt', bug: 'participant-timeout-decides' })) {
      expect(nonAtomic(r), r.facts.reproduce).toBe(true);
    }
  });

  it('participant-cut-off-in-doubt: the correct protocol stays atomic (10 of 10); the bug splits on most seeds (8 of 10)', async () => {
    for (const r of await runs({ protocol: '2pc', nemesis: 'partition-halves', scenario: 'participant-cut-off-in-doubt' })) {
      expect(r.report.verdict.outcome, r.facts.reproduce).toBe('ok');
    }
    const bug = await runs({ protocol: '2pc', nemesis: 'partition-halves', scenario: 'participant-cut-off-in-doubt', bug: 'participant-timeout-decides' });
    expect(bug.filter(nonAtomic).length).toBeGreaterThanOrEqual(3);
  });
});

describe('3pc scenarios', () => {
  it('partition-after-precommit splits a transaction on every seed (10 of 10)', async () => {
    for (const r of await runs({ protocol: '3pc', nemesis: 'partition-halves', scenario: 'partition-after-precommit' })) {
      expect(nonAtomic(r), r.facts.reproduce).toBe(true);
      const [fault] = r.facts.faults;
      expect(fault!.trigger).toMatchObject({ event: 'pre-committed' });
      expect(fault!.groups!.find((g) => g.includes(fault!.trigger!.node))).not.toContain(fault!.trigger!.peer);
    }
  });

  it('coordinator-dies-after-precommit: atomic and never blocked (10 of 10)', async () => {
    for (const r of await runs({ protocol: '3pc', nemesis: 'crash-coordinator', scenario: 'coordinator-dies-after-precommit' })) {
      expect(r.report.verdict.outcome, r.facts.reproduce).toBe('ok');
      expect(r.facts.availability.blocked, r.facts.availability.blockedReason).toBe(false);
    }
  });
});

describe('paxos scenarios', () => {
  it('leader-dies-after-choosing: the correct protocol stays linearizable (10 of 10); forget-highest-accepted loses a write on every seed (10 of 10)', async () => {
    for (const r of await runs({ protocol: 'paxos', nemesis: 'crash-leader', scenario: 'leader-dies-after-choosing' })) {
      expect(r.report.verdict.consistency, r.facts.reproduce).toBe('strong');
      expect(r.facts.availability.blocked, r.facts.availability.blockedReason).toBe(false);
    }
    for (const r of await runs({ protocol: 'paxos', nemesis: 'crash-leader', scenario: 'leader-dies-after-choosing', bug: 'forget-highest-accepted' })) {
      expect(r.report.verdict.outcome, r.facts.reproduce).toBe('violated');
    }
  });

  it('lease-hazard: the correct protocol stays linearizable (30 of 30); the lease bug reads stale on most seeds (23 of 30; 5 of seeds 1-8), never breaking sequential consistency', async () => {
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    for (const r of await runs({ protocol: 'paxos', nemesis: 'isolate-skewed-leader', scenario: 'lease-hazard' }, seeds.slice(0, 4))) {
      expect(r.report.verdict.consistency, r.facts.reproduce).toBe('strong');
    }
    const bug = await runs({ protocol: 'paxos', nemesis: 'isolate-skewed-leader', scenario: 'lease-hazard', bug: 'lease-without-drift-margin' }, seeds);
    const stale = bug.filter((r) => r.report.verdict.outcome === 'violated');
    expect(stale.length).toBeGreaterThanOrEqual(5);
    for (const r of stale) expect(r.report.verdict.consistency, r.facts.reproduce).toBe('sequential');
  });
});
