import { describe, expect, it } from 'vitest';
import { run } from '../src/run.js';
import type { RunSpec } from '../src/run/spec.js';

type Replay = { name: string; spec: Partial<RunSpec> & { protocol: string; nemesis: string; seed: number } };

/**
 * Swarm regressions: zk-counter runs of 139 to 584 operations came out unknown (the search's time
 * or memory limit), because dozens of increments timed out and the search tried every subset and
 * order of them. Timed-out increments of one amount are twins the search now orders by call only
 * (wgl-search.ts, models that step by value), and these histories are decided.
 */
const REPLAYS: Replay[] = [
  {
    name: 'partition-majority-ring seed 296487592, 139 ops, 7 servers',
    spec: { protocol: 'zk-counter', nemesis: 'partition-majority-ring', seed: 296487592, ops: 139, nodes: 7, clients: 10, concurrency: 3, timeoutMs: 2109, network: { lossProbability: 0.082, duplicateProbability: 0.038 }, clockDriftPpmMax: 228_000 },
  },
  {
    name: 'bridge seed 1248566930, 584 ops, 7 servers',
    spec: { protocol: 'zk-counter', nemesis: 'bridge', seed: 1248566930, ops: 584, nodes: 7, concurrency: 3, network: { lossProbability: 0.092 } },
  },
  {
    name: 'crash-leader seed 3258742320, 190 ops, 5 servers',
    spec: { protocol: 'zk-counter', nemesis: 'crash-leader', seed: 3258742320, ops: 190, nodes: 5, clients: 10, concurrency: 2, timeoutMs: 426, network: { lossProbability: 0.086, duplicateProbability: 0.006 }, clockDriftPpmMax: 50_000 },
  },
];

/** Each replay is decided, linearizable, within a few million search steps (by the search, not by luck within a time limit), and has the increments of `status` that made it hard. */
function replays(title: string, list: readonly Replay[], hard: { status: 'info' | 'ok'; atLeast: number; what: string }): void {
  describe(title, () => {
    for (const { name, spec } of list) {
      it(`${name}: decided, linearizable`, async () => {
        const r = await run(spec);
        const increments = r.history.operations.filter((o) => o.f === 'add' && o.status === hard.status).length;
        expect(increments, `the run has the ${hard.what} that made it hard`).toBeGreaterThanOrEqual(hard.atLeast);
        expect(r.report.linearizability?.outcome, r.report.verdict.summary).toBe('ok');
        expect(r.report.verdict.outcome).toBe('ok');
        expect(r.report.linearizability?.stats.steps ?? Infinity).toBeLessThan(5_000_000);
      });
    }
  });
}

replays('zk-counter with many timed-out increments', REPLAYS, { status: 'info', atLeast: 10, what: 'timed-out increments' });

/**
 * Swarm regressions (root seed 20261204): zk-counter runs of 88 to 569 operations, 30 processes,
 * came out unknown with few or no timed-out increments: the acknowledged increments overlapped,
 * and the search tried their orders (the 88-op run: 166 million steps in 60 s, undecided). Two
 * acknowledged increments where one could go wherever the other goes and returns first are
 * twins as well (twins.ts); each run is now decided in well under a second of search.
 */
const CROWDED: Replay[] = [
  {
    name: 'crash-minority seed 4113369531, 88 ops, 6 servers',
    spec: { protocol: 'zk-counter', nemesis: 'crash-minority', seed: 4113369531, ops: 88, nodes: 6, clients: 10, concurrency: 3, timeoutMs: 907 },
  },
  {
    name: 'bridge seed 2322228365, 569 ops, 7 servers',
    spec: { protocol: 'zk-counter', nemesis: 'bridge', seed: 2322228365, ops: 569, nodes: 7, clients: 10, concurrency: 3, clockDriftPpmMax: 288_000 },
  },
  {
    name: 'partition-majority-ring seed 1634181837, 148 ops, 7 servers',
    spec: { protocol: 'zk-counter', nemesis: 'partition-majority-ring', seed: 1634181837, ops: 148, nodes: 7, clients: 10, concurrency: 3, timeoutMs: 654, clockDriftPpmMax: 258_000 },
  },
  {
    name: 'crash-leader seed 2918037735, 221 ops, 7 servers',
    spec: { protocol: 'zk-counter', nemesis: 'crash-leader', seed: 2918037735, ops: 221, nodes: 7, clients: 8, concurrency: 3, timeoutMs: 2494, network: { lossProbability: 0.009 } },
  },
];

replays('zk-counter with many acknowledged increments at once', CROWDED, { status: 'ok', atLeast: 30, what: 'overlapping increments' });
