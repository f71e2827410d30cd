import { describe, expect, it } from 'vitest';
import { HistoryRecorder } from '../src/sim/history-recorder.js';
import { Nemesis } from '../src/sim/nemesis.js';
import { FAULT_KINDS, GENERAL_NEMESIS_NAMES, NEMESIS_NAMES, NemesisSchedule, type FaultKind, type NemesisName } from '../src/sim/nemesis-schedule.js';
import { SeededRng } from '../src/sim/rng.js';
import type { Simulator } from '../src/sim/simulator.js';
import { harness, idle } from './support/sim-harness.js';

const TIMING = { gapMsMin: 10, gapMsMax: 10, faultMsMin: 50, faultMsMax: 50, mixedClockSkewProbability: 0.5 };

/** Five nodes; n2 announces itself leader and n4 coordinator. */
function setup(name: NemesisName, seed = 1): { sim: Simulator; recorder: HistoryRecorder; nemesis: Nemesis } {
  const sim = harness(5, (ctx) => ({ ...idle, onStart: () => ctx.setRole(ctx.id === 'n2' ? 'leader' : ctx.id === 'n4' ? 'coordinator' : 'follower') }));
  sim.startAll();
  const recorder = new HistoryRecorder(sim.scheduler);
  const nemesis = new Nemesis(sim, recorder, new NemesisSchedule(name, SeededRng.fromSeed(seed), TIMING), SeededRng.fromSeed(seed).fork('n'), { clockDriftPpmMax: 100_000, clockJumpMsMax: 0 });
  nemesis.start();
  return { sim, recorder, nemesis };
}

/** Runs into the first fault (t = 30) and hands the state to `during`, then past its end. */
function oneCycle(kind: FaultKind, during: (sim: Simulator) => void): { sim: Simulator; recorder: HistoryRecorder; nemesis: Nemesis } {
  const s = setup(kind);
  s.sim.run(1_000, 30);
  during(s.sim);
  s.sim.run(1_000, 65);
  return s;
}

const reach = (sim: Simulator, from: string, to: string): boolean => sim.network.canReach(sim.index(from), sim.index(to));

describe('nemesis schedules', () => {
  it('partition-halves cuts the cluster into a minority and a majority, then heals', () => {
    const { sim, recorder, nemesis } = oneCycle('partition-halves', () => {});
    const [start, stop] = recorder.ops;
    expect(start).toMatchObject({ process: 'nemesis', type: 'info', f: 'start-partition', time: 10e6 });
    expect(stop).toMatchObject({ f: 'stop-partition', time: 60e6 });
    const g = (start!.value as { groups: string[][] }).groups;
    expect(g.map((x) => x.length)).toEqual([2, 3]);
    expect(nemesis.faults[0]).toMatchObject({ nemesis: 'partition-halves', family: 'partition', startMs: 10, stopMs: 60 });
    expect(reach(sim, g[0]![0]!, g[1]![0]!)).toBe(true); // healed
  });

  it('blocks the partition while it lasts', () => {
    let seen = false;
    oneCycle('partition-halves', (sim) => {
      const pairs = sim.peers.flatMap((a) => sim.peers.map((b) => [a, b] as const));
      seen = pairs.some(([a, b]) => !reach(sim, a, b) && !reach(sim, b, a));
    });
    expect(seen).toBe(true);
  });

  it('partition-majority-ring leaves each node hearing a majority', () => {
    const { recorder } = oneCycle('partition-majority-ring', (sim) => {
      for (const to of sim.peers) expect(sim.peers.filter((from) => reach(sim, from, to)).length).toBe(3);
    });
    expect(Object.keys((recorder.ops[0]!.value as { views: object }).views)).toHaveLength(5);
  });

  it('isolate-leader cuts off the node that announced itself leader', () => {
    const { recorder } = oneCycle('isolate-leader', (sim) => {
      expect(sim.peers.filter((p) => p !== 'n2').every((p) => !reach(sim, p, 'n2') && !reach(sim, 'n2', p))).toBe(true);
      expect(reach(sim, 'n1', 'n3')).toBe(true);
    });
    expect(recorder.ops[0]!.value).toMatchObject({ nemesis: 'isolate-leader', nodes: ['n2'], groups: [['n2'], ['n1', 'n3', 'n4', 'n5']] });
  });

  it('bridge joins two sides through one node', () => {
    const { recorder } = oneCycle('bridge', () => {});
    const v = recorder.ops[0]!.value as { nodes: string[]; groups: string[][] };
    expect(v.groups[0]).toContain(v.nodes[0]);
    expect(v.groups[1]).toContain(v.nodes[0]);
  });

  it.each([
    ['crash-one', 1],
    ['crash-minority', 2],
    ['crash-leader', 1],
    ['crash-coordinator', 1],
  ] as const)('%s crashes %i node(s) and restarts them at the stop', (kind, count) => {
    let down: string[] = [];
    const { sim, recorder } = oneCycle(kind, (s) => (down = s.peers.filter((_, i) => !s.isUp(i))));
    expect(down).toHaveLength(count);
    if (kind === 'crash-leader') expect(down).toEqual(['n2']);
    if (kind === 'crash-coordinator') expect(down).toEqual(['n4']);
    expect(recorder.ops.map((o) => o.f)).toEqual(['start-crash', 'stop-crash']);
    expect((recorder.ops[0]!.value as { nodes: string[] }).nodes).toEqual(down);
    expect(sim.peers.every((_, i) => sim.isUp(i))).toBe(true);
  });

  it('clock-skew drifts clocks within the bound, the leader slow, and restores the rate', () => {
    const { sim, recorder } = oneCycle('clock-skew', (s) => {
      for (let i = 0; i < s.nodeCount; i++) {
        const { driftPpm } = s.clocks.read(i, s.nowMs);
        expect(Math.abs(driftPpm)).toBeLessThanOrEqual(100_000);
        if (s.peers[i] === 'n2') expect(driftPpm).toBe(-100_000);
        else expect(driftPpm).toBeGreaterThan(0);
      }
    });
    expect(recorder.ops.map((o) => o.f)).toEqual(['start-clock-skew', 'stop-clock-skew']);
    for (let i = 0; i < sim.nodeCount; i++) expect(sim.clocks.read(i, sim.nowMs).driftPpm).toBe(0);
  });

  it('falls back to another role, then to a random node, and says so', () => {
    const sim = harness(3, () => idle);
    sim.startAll();
    const recorder = new HistoryRecorder(sim.scheduler);
    const nemesis = new Nemesis(sim, recorder, new NemesisSchedule('crash-leader', SeededRng.fromSeed(1), TIMING), SeededRng.fromSeed(2), { clockDriftPpmMax: 1, clockJumpMsMax: 0 });
    nemesis.start();
    sim.run(100, 30);
    expect(nemesis.faults[0]!.note).toMatch(/no up node announced role leader/);
  });

  it('cycles until the faulty phase ends; healAll stops what is active and plans no more', () => {
    const { sim, recorder, nemesis } = setup('crash-one');
    sim.run(10_000, 200); // cycles of 60 ms: starts at 10, 70, 130, 190
    nemesis.healAll();
    sim.run(10_000, 1_000);
    const fs = recorder.ops.map((o) => o.f);
    expect(fs).toEqual(['start-crash', 'stop-crash', 'start-crash', 'stop-crash', 'start-crash', 'stop-crash', 'start-crash', 'stop-crash']);
    expect(recorder.ops.at(-1)!.time).toBe(200e6);
    expect(nemesis.faults.every((f) => f.stopMs !== undefined)).toBe(true);
    expect(sim.peers.every((_, i) => sim.isUp(i))).toBe(true);
  });

  it('session-expiry cuts off a node that is not the leader, for the whole fault, then heals', () => {
    let cut: string | undefined;
    const { sim, nemesis } = oneCycle('session-expiry', (s) => {
      cut = s.peers.find((p) => s.peers.every((q) => q === p || (!reach(s, p, q) && !reach(s, q, p))));
    });
    expect(cut).toBeDefined();
    expect(cut).not.toBe('n2');
    expect(nemesis.faults[0]).toMatchObject({ nemesis: 'session-expiry', family: 'partition', nodes: [cut] });
    expect(nemesis.faults[0]!.description).toContain('longer than a session timeout');
    expect(reach(sim, cut!, 'n2')).toBe(true);
  });

  it('session-expiry is ZooKeeper\'s own: mixed never draws it and the general list leaves it out', () => {
    const { sim, nemesis } = setup('mixed', 5);
    sim.run(100_000, 60 * 200);
    expect(nemesis.faults.length).toBeGreaterThan(100);
    expect(nemesis.faults.some((f) => f.nemesis === 'session-expiry')).toBe(false);
    expect(NEMESIS_NAMES).toContain('session-expiry');
    expect(GENERAL_NEMESIS_NAMES).toEqual(NEMESIS_NAMES.filter((n) => n !== 'session-expiry'));
  });

  it('mixed draws several fault kinds, sometimes with clock skew on top; none draws nothing', () => {
    const { sim, nemesis } = setup('mixed', 5);
    sim.run(100_000, 60 * 40);
    const kinds = new Set(nemesis.faults.map((f) => f.nemesis));
    expect(kinds.size).toBeGreaterThanOrEqual(6);
    const starts = new Map<number, number>();
    for (const f of nemesis.faults) starts.set(f.startMs, (starts.get(f.startMs) ?? 0) + 1);
    expect([...starts.values()].some((n) => n === 2)).toBe(true);
    for (const k of kinds) expect(FAULT_KINDS).toContain(k);
    const quiet = setup('none');
    quiet.sim.run(1_000, 10_000);
    expect(quiet.recorder.ops).toEqual([]);
  });
});
