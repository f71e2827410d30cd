import { describe, expect, it } from 'vitest';
import { HistoryRecorder } from '../src/sim/history-recorder.js';
import { MarkTrigger } from '../src/sim/mark-trigger.js';
import { Nemesis } from '../src/sim/nemesis.js';
import { NemesisSchedule, type NemesisName } from '../src/sim/nemesis-schedule.js';
import { bridgeApart, halvesApart, majorityRingApart, minorityWith } from '../src/sim/partition-shapes.js';
import { SeededRng } from '../src/sim/rng.js';
import type { NodeId } from '../src/sim/node-context.js';
import type { Simulator } from '../src/sim/simulator.js';
import { harness, idle } from './support/sim-harness.js';

/** Gaps of 10 ms, faults of 50 ms: armed at t = 10. */
const TIMING = { gapMsMin: 10, gapMsMax: 10, faultMsMin: 50, faultMsMax: 50, mixedClockSkewProbability: 0 };

/** Who marks what, when (ms): n5 `early` before the nemesis is armed, n3 `sent`, n1 `got` from n5, n4 `got` from n3. */
const MARKS: Record<NodeId, [atMs: number, event: string, peer?: NodeId][]> = {
  n1: [[21, 'got', 'n5']],
  n3: [[20, 'sent']],
  n4: [[22, 'got', 'n3']],
  n5: [[5, 'early']],
};

function setup(name: NemesisName, trigger?: string): { sim: Simulator; recorder: HistoryRecorder; nemesis: Nemesis } {
  const sim = harness(5, (ctx) => ({
    ...idle,
    onStart() {
      ctx.setRole(ctx.id === 'n2' ? 'leader' : ctx.id === 'n5' ? 'coordinator' : 'follower');
      for (const [atMs, event, peer] of MARKS[ctx.id] ?? []) ctx.setTimer(atMs, 'mark', [event, peer]);
    },
    onTimer(_tag, data) {
      const [event, peer] = data as [string, NodeId | undefined];
      ctx.mark(event, peer);
    },
  }));
  sim.startAll();
  const recorder = new HistoryRecorder(sim.scheduler);
  const nemesis = new Nemesis(sim, recorder, new NemesisSchedule(name, SeededRng.fromSeed(1), TIMING), SeededRng.fromSeed(1).fork('n'), { clockDriftPpmMax: 100_000, clockJumpMsMax: 0, ...(trigger !== undefined ? { trigger } : {}) });
  sim.setMarkListener(nemesis);
  nemesis.start();
  return { sim, recorder, nemesis };
}

describe('a nemesis armed on a protocol event', () => {
  it('starts its fault right after the first mark once armed, the marker on the minority side, apart from its peer', () => {
    const { sim, recorder, nemesis } = setup('partition-halves', 'got');
    sim.run(1_000, 21.5);
    const [fault] = nemesis.faults;
    expect(fault).toMatchObject({ startMs: 21, trigger: { event: 'got', node: 'n1', peer: 'n5' } });
    expect(fault!.groups![0]).toContain('n1');
    expect(fault!.groups![1]).toContain('n5');
    expect(fault!.description).toMatch(/, right after n1 marked got \(n5\)$/);
    expect(sim.network.canReach(sim.index('n1'), sim.index('n5'))).toBe(false);
    expect(recorder.ops[0]!.value).toMatchObject({ trigger: { event: 'got', node: 'n1', peer: 'n5' } });
    sim.run(1_000, 71.5);
    expect(fault!.stopMs).toBe(71);
  });

  it('follows a chain: the second event must name as its peer the node that marked the first', () => {
    const { sim, nemesis } = setup('partition-halves', 'sent>got');
    sim.run(1_000, 30);
    expect(nemesis.faults[0]).toMatchObject({ startMs: 22, trigger: { event: 'got', node: 'n4', peer: 'n3' } });
    expect(nemesis.faults[0]!.groups![0]).toContain('n4');
    expect(nemesis.faults[0]!.groups![1]).toContain('n3');
  });

  it('aims crashes at the marker, whatever role the unaimed fault would take', () => {
    const { sim, nemesis } = setup('crash-coordinator', 'got');
    sim.run(1_000, 30);
    expect(nemesis.faults[0]).toMatchObject({ nodes: ['n1'], trigger: { node: 'n1' } });
    expect(sim.isUp(sim.index('n1'))).toBe(false);
    expect(sim.isUp(sim.index('n5'))).toBe(true);
  });

  it('ignores marks before it is armed, and starts unaimed, saying so, when nobody marks the event in time', () => {
    const { sim, nemesis } = setup('crash-one', 'early');
    sim.run(1_000, 100);
    expect(nemesis.faults[0]).toMatchObject({ startMs: 60 });
    expect(nemesis.faults[0]!.trigger).toBeUndefined();
    expect(nemesis.faults[0]!.note).toMatch(/no node marked early within 50 ms of arming; started unaimed/);
  });

  it('without a trigger starts when the gap ends, whatever nodes mark', () => {
    const { sim, nemesis } = setup('partition-halves');
    sim.run(1_000, 30);
    expect(nemesis.faults[0]).toMatchObject({ startMs: 10 });
    expect(nemesis.faults[0]!.trigger).toBeUndefined();
  });
});

describe('mark triggers', () => {
  it('start a chain over on a newer first event', () => {
    const t = new MarkTrigger('a>b');
    expect(t.events).toEqual(['a', 'b']);
    expect(t.offer(1, 'a', undefined)).toBeUndefined();
    expect(t.offer(2, 'a', undefined)).toBeUndefined();
    expect(t.offer(3, 'b', 1)).toBeUndefined();
    expect(t.offer(3, 'b', 2)).toEqual({ event: 'b', node: 3, peer: 2 });
  });
});

describe('aimed partition shapes', () => {
  const heard = (groups: number[][], a: number, b: number): boolean => groups.some((g) => g.includes(a) && g.includes(b));

  it('keep the marker from hearing its peer, for every pair, in clusters of 3 to 7', () => {
    const rng = SeededRng.fromSeed(9);
    for (let n = 3; n <= 7; n++) {
      for (let marker = 0; marker < n; marker++) {
        for (let peer = 0; peer < n; peer++) {
          if (peer === marker) continue;
          const halves = halvesApart(n, marker, peer, rng);
          expect(halves.flat().sort((x, y) => x - y)).toEqual([...Array(n).keys()]);
          expect(halves[0]!.length).toBe(Math.floor(n / 2));
          expect(halves[0]).toContain(marker);
          expect(heard(halves, marker, peer)).toBe(false);
          const b = bridgeApart(n, marker, peer, rng);
          expect(heard(b.groups, marker, peer)).toBe(false);
          expect([marker, peer]).not.toContain(b.bridge);
          const ring = majorityRingApart(n, marker, peer, rng);
          expect(ring.views[marker]).not.toContain(peer);
          const crashed = minorityWith(n, marker, peer, rng);
          expect(crashed).toContain(marker);
          expect(crashed).not.toContain(peer);
          expect(crashed.length * 2).toBeLessThan(n);
        }
      }
    }
  });
});
