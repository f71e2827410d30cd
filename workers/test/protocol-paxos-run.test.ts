import { check, checkLevels, createModel, type History, type Operation } from '@verdict/checker';
import { describe, expect, it } from 'vitest';
import { paxosProtocol } from '../src/protocols/paxos/index.js';
import { run } from '../src/run.js';
import type { FaultRecord } from '../src/sim/nemesis.js';
import { firstIllegalSeed, linearizability, simulatePaxos, type PaxosSpec } from './support/paxos-run.js';

/**
 * Paxos end to end: simulated by `run(spec)` under each nemesis, checked by the checker.
 * Budgets: correct runs of 300 operations, 3 seeds per nemesis; each bug must be found within the
 * seed budget stated beside it (and in its description in paxos/index.ts).
 */

const kv = () => createModel('kv', null);

/**
 * Where the lease bug shows: clock skew at 30% (the leader slow, the others fast) arriving with a
 * partition that cuts the master off (the `mixed` schedule), short fault cycles, and clients that
 * give up on a stuck write after 200 ms so the ones pinned to the old master go on reading.
 */
const LEASE_BUG_SPEC: Omit<PaxosSpec, 'seed'> = {
  nemesis: 'mixed',
  ops: 300,
  clockDriftPpmMax: 300_000,
  clients: 5,
  timeoutMs: 200,
  thinkMsMean: 100,
  nemesisTiming: { gapMsMin: 200, gapMsMax: 400, faultMsMin: 700, faultMsMax: 1_000 },
};

const NEMESES = ['none', 'partition-halves', 'isolate-leader', 'crash-leader', 'clock-skew', 'mixed'] as const;

describe('paxos through run(spec): the correct protocol is linearizable', () => {
  for (const nemesis of NEMESES) {
    it(`under ${nemesis} (seeds 1-3, 300 ops)`, async () => {
      for (let seed = 1; seed <= 3; seed++) {
        const result = await run({ protocol: 'paxos', nemesis, seed, ops: 300 });
        expect(result.report.verdict.outcome, result.facts.reproduce).toBe('ok');
        expect((await check(kv(), result.history)).outcome, result.facts.reproduce).toBe('ok');
        expect(result.history.operations.filter((o) => o.status === 'ok').length).toBeGreaterThan(150);
      }
    });
  }

  it('with 5% message loss, 5% duplication and 10% reordering (mixed, seeds 1-3)', async () => {
    for (let seed = 1; seed <= 3; seed++) {
      const { history } = await simulatePaxos({ nemesis: 'mixed', seed, ops: 300, network: { lossProbability: 0.05, duplicateProbability: 0.05, reorderProbability: 0.1 } });
      expect(linearizability(history), `seed ${seed}`).toBe('ok');
    }
  });

  it('under the clock setup that exposes the lease bug, with ε sized from the drift bound (seeds 1-10)', async () => {
    for (let seed = 1; seed <= 10; seed++) {
      const { history } = await simulatePaxos({ ...LEASE_BUG_SPEC, seed });
      expect(linearizability(history), `seed ${seed}`).toBe('ok');
    }
  });
});

describe('paxos through run(spec): CAP, the minority side of a partition is unavailable', () => {
  /** Operations at `nodes` invoked `graceMs` after the fault began and completed before it ended. */
  function during(history: History, fault: FaultRecord, nodes: readonly string[], graceMs: number): Operation[] {
    const from = (fault.startMs + graceMs) * 1e6;
    const until = fault.stopMs! * 1e6;
    return history.operations.filter((o) => nodes.includes(String(o.node)) && o.time! >= from && o.status !== 'info' && o.endTime! <= until);
  }

  it('partition-halves: after the old lease and an election, the minority completes nothing, the majority goes on', async () => {
    let minorityOps = 0;
    let majorityOk = 0;
    for (let seed = 1; seed <= 3; seed++) {
      const result = await run({ protocol: 'paxos', nemesis: 'partition-halves', seed, ops: 600 });
      expect(result.report.verdict.outcome).toBe('ok');
      for (const fault of result.facts.faults.filter((f) => f.family === 'partition' && f.stopMs !== undefined)) {
        const [minority, majority] = [...fault.groups!].sort((a, b) => a.length - b.length) as [string[], string[]];
        // A master on the minority side may serve reads from its lease (≤ 400 ms) before it gives up.
        const atMinority = during(result.history, fault, minority, 600);
        expect(atMinority.filter((o) => o.status === 'ok'), result.facts.reproduce).toEqual([]);
        minorityOps += atMinority.length;
        majorityOk += during(result.history, fault, majority, 1_000).filter((o) => o.status === 'ok').length;
      }
    }
    expect(minorityOps).toBeGreaterThan(0);
    expect(majorityOk).toBeGreaterThan(50);
  });
});

describe('paxos through run(spec): each named bug is found', () => {
  const shows = (bug: string) => paxosProtocol.bugs.find((b) => b.name === bug)!.showsUnder;

  it('forget-highest-accepted: crash-leader, within 10 seeds of 500 ops', async () => {
    expect(shows('forget-highest-accepted')).toContain('crash-leader');
    const seed = await firstIllegalSeed({ nemesis: 'crash-leader', ops: 500, bug: 'forget-highest-accepted' }, 10);
    expect(seed).toBeDefined();
  });

  it('no-quorum-intersection: partition-halves, within 5 seeds of 300 ops', async () => {
    expect(shows('no-quorum-intersection')).toContain('partition-halves');
    const seed = await firstIllegalSeed({ nemesis: 'partition-halves', ops: 300, bug: 'no-quorum-intersection' }, 5);
    expect(seed).toBeDefined();
  });

  it('lease-without-drift-margin: mixed with 30% clock skew, within 10 seeds of 300 ops', async () => {
    expect(shows('lease-without-drift-margin')).toContain('mixed');
    const seed = await firstIllegalSeed({ ...LEASE_BUG_SPEC, bug: 'lease-without-drift-margin' }, 10);
    expect(seed).toBeDefined();
  });

  it('lease-without-drift-margin: the stale reads break linearizability but not sequential consistency (seed 14)', async () => {
    const result = await run({ protocol: 'paxos', ...LEASE_BUG_SPEC, seed: 14, bug: 'lease-without-drift-margin' });
    expect(result.report.verdict.outcome).toBe('violated');
    const levels = await checkLevels(result.history, kv(), { levels: ['strong', 'sequential'], timeLimitMs: 30_000 });
    expect(levels.levels.find((l) => l.level === 'strong')?.status).toBe('violated');
    expect(levels.levels.find((l) => l.level === 'sequential')?.status).toBe('holds');
  });
});
