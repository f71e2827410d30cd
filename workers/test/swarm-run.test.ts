import { describe, expect, it } from 'vitest';
import { runSwarm } from '../src/swarm/swarm.js';
import { renderFailure, renderSummary } from '../src/swarm/summary.js';

describe('the swarm', () => {
  it('runs the same runs for the same root seed, in this thread or on worker threads, and tallies them', async () => {
    const options = { seed: 11, runs: 6, opsMax: 300 };
    const inThread = await runSwarm({ ...options, workers: 0 });
    const threaded = await runSwarm({ ...options, workers: 2 });
    const strip = (r: typeof inThread) => r.outcomes.map(({ wallMs: _w, ...o }) => o);
    expect(strip(threaded)).toEqual(strip(inThread));
    expect(inThread.outcomes.map((o) => o.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(inThread.summary.total.runs).toBe(6);
    expect(inThread.summary.total.ops).toBe(inThread.outcomes.reduce((n, o) => n + o.ops, 0));
    expect(Object.values(inThread.summary.byProtocol).reduce((n, t) => n + t.runs, 0)).toBe(6);
    expect(renderSummary(inThread.summary)).toMatch(/^protocol +runs +ops +violated +unknown +errors +blocked$/m);
    for (const o of inThread.outcomes) expect(o.reproduce).toMatch(/^verdict run --protocol \S+ --nemesis \S+ --seed \d+ --ops \d+/);
  }, 120_000);

  it('catches a named bug under plain random nemeses, stops on it, and prints its replay command', async () => {
    const r = await runSwarm({ seed: 1, runs: 40, protocols: ['paxos'], bug: 'no-quorum-intersection', opsMax: 600, workers: 0, stopOnViolation: true });
    expect(r.stoppedBy).toBe('violation');
    const found = r.failures.find((o) => o.outcome === 'violated')!;
    expect(found.reason).toMatch(/^strong violated/);
    expect(found.historyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(renderFailure(found)).toContain(`replay: ${found.reproduce}`);
    expect(found.reproduce).toContain('--bug no-quorum-intersection');
    expect(r.outcomes.length).toBe(found.index + 1);
  }, 120_000);

  it('refuses what it cannot run, naming it', async () => {
    await expect(runSwarm({ seed: 1, protocols: ['raft'] })).rejects.toMatchObject({ code: 'VRD_ERR_RUN_SWARM' });
    await expect(runSwarm({ seed: 1, protocols: ['paxos', '2pc'], bug: 'no-quorum-intersection' })).rejects.toThrow(/exactly one protocol/);
    await expect(runSwarm({ seed: 1, protocols: ['paxos'], bug: 'nope' })).rejects.toThrow(/unknown bug "nope" for paxos/);
    await expect(runSwarm({ seed: 1, opsMin: 10, opsMax: 5 })).rejects.toThrow(/ops range/);
  });
});
