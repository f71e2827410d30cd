import { describe, expect, it } from 'vitest';
import { PROTOCOLS } from '../src/protocols/registry.js';
import { resolveRunSpec, type RunSpec } from '../src/run/spec.js';
import { run } from '../src/run.js';
import { drawRun } from '../src/swarm/draw-run.js';
import { PROTOCOL_PROMISES } from '../src/swarm/promises.js';
import { swarmProtocols } from '../src/swarm/swarm.js';

const ALL = { protocols: swarmProtocols(), opsMin: 20, opsMax: 50_000 };

describe('the swarm draws runs from one root seed', () => {
  it('draws the same spec for the same root seed and index, and different ones elsewhere', () => {
    expect(drawRun(42, 7, ALL)).toEqual(drawRun(42, 7, ALL));
    const specs = Array.from({ length: 50 }, (_, i) => JSON.stringify(drawRun(42, i, ALL)));
    expect(new Set(specs).size).toBe(50);
    expect(JSON.stringify(drawRun(43, 7, ALL))).not.toBe(specs[7]);
  });

  it('judges every registered protocol by its promise', () => {
    expect(swarmProtocols().sort()).toEqual(Object.keys(PROTOCOLS).sort());
    for (const p of Object.keys(PROTOCOL_PROMISES)) expect(swarmProtocols().includes(p)).toBe(Object.keys(PROTOCOLS).includes(p));
  });

  it('varies protocol, nemesis, size, clients, network and clocks, within each promise, with valid specs', async () => {
    const specs = Array.from({ length: 400 }, (_, i) => drawRun(9, i, ALL));
    for (const p of swarmProtocols()) expect(specs.some((s) => s.protocol === p), p).toBe(true);
    expect(new Set(specs.map((s) => s.nemesis)).size).toBeGreaterThanOrEqual(12);
    expect(specs.some((s) => (s.network?.lossProbability ?? 0) > 0)).toBe(true);
    expect(specs.some((s) => (s.network?.duplicateProbability ?? 0) > 0)).toBe(true);
    expect(specs.some((s) => s.clockDriftPpmMax !== undefined)).toBe(true);
    expect(new Set(specs.map((s) => s.nodes)).size).toBeGreaterThanOrEqual(5);
    for (const s of specs) {
      const promise = PROTOCOL_PROMISES[s.protocol]!;
      expect(promise.nemeses).toContain(s.nemesis);
      if (promise.lossless === true) expect(s.network?.lossProbability).toBeUndefined();
      if (promise.fifo === true) expect(s.network?.duplicateProbability).toBeUndefined();
      expect(s.network?.lossProbability ?? 0).toBeLessThanOrEqual(promise.lossMax ?? 0.1);
      expect(s.ops!).toBeGreaterThanOrEqual(20);
      expect(s.ops!).toBeLessThanOrEqual(promise.opsMax ?? 50_000);
      await resolveRunSpec(s, PROTOCOLS);
    }
    // Log-uniform: small runs are common, runs near the top of the range happen.
    const paxos = specs.filter((s) => s.protocol === 'paxos').map((s) => s.ops!);
    expect(paxos.some((n) => n < 500)).toBe(true);
    expect(paxos.some((n) => n > 20_000)).toBe(true);
  });

  it('never draws a partition or a lost message for 3PC, whose promise assumes neither', () => {
    const specs = Array.from({ length: 300 }, (_, i) => drawRun(5, i, { ...ALL, protocols: ['3pc'] }));
    for (const s of specs) {
      expect(['partition-halves', 'partition-majority-ring', 'isolate-leader', 'bridge', 'isolate-skewed-leader', 'mixed']).not.toContain(s.nemesis);
      expect(s.network?.lossProbability).toBeUndefined();
    }
  });

  it('hunts a named bug in every run when asked', () => {
    const s = drawRun(1, 0, { protocols: ['paxos'], bug: 'no-quorum-intersection', opsMin: 20, opsMax: 1_000 });
    expect(s).toMatchObject({ protocol: 'paxos', bug: 'no-quorum-intersection' });
  });

  it('draws the eventual store only up to the 5 % loss its 1 s settle covers (root seed 20261203, run 524 took longer at 9.3 %)', async () => {
    const spec: RunSpec = { protocol: 'eventual', nemesis: 'bridge', seed: 3_720_873_848, ops: 67, nodes: 7, clients: 4, n: 2, r: 1, w: 1, resolve: 'lww', sloppyQuorum: true, routing: 'sticky', network: { lossProbability: 0.093 }, clockDriftPpmMax: 209_000 };
    const level = async (extra: Partial<RunSpec>) => (await run({ ...spec, ...extra })).report.consistency!.levels.find((l) => l.level === 'eventual')!.status;
    expect(await level({})).toBe('violated');
    expect(await level({ settleMs: 5_000 })).toBe('holds');
    expect(await level({ network: { lossProbability: 0.05 } })).toBe('holds');
    expect(PROTOCOL_PROMISES.eventual!.lossMax).toBe(0.05);
  });
});
