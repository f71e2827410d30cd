import { describe, expect, it } from 'vitest';
import { Network, NETWORK_DEFAULTS, type NetworkOptions } from '../src/sim/network.js';
import { bridge, majorityRing, randomHalves } from '../src/sim/partition-shapes.js';
import { SeededRng } from '../src/sim/rng.js';
import { Scheduler, type EventDispatcher } from '../src/sim/scheduler.js';
import { harness, idle } from './support/sim-harness.js';

/** Sends `count` messages 0 → 1 and returns each delivery's latency (ms). */
function latencies(options: Partial<NetworkOptions>, count: number, seed = 1): { delays: number[]; net: Network } {
  const scheduler = new Scheduler();
  const net = new Network(2, { ...NETWORK_DEFAULTS, ...options }, SeededRng.fromSeed(seed), scheduler);
  for (let i = 0; i < count; i++) net.send(0, 1, i);
  const delays: number[] = [];
  const sink: EventDispatcher = { dispatch: (_k, to, from) => { if (net.admits(from, to)) { net.stats.delivered++; delays.push(scheduler.nowMs); } } };
  scheduler.run(sink, count * 3);
  return { delays, net };
}

describe('network', () => {
  it('keeps latency within [min, max] with the configured mean', () => {
    const { delays } = latencies({ latencyMsMin: 2, latencyMsMean: 5, latencyMsMax: 30 }, 50_000);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...delays)).toBeLessThanOrEqual(30);
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    expect(Math.abs(mean - 5)).toBeLessThan(0.2); // The cap trims the tail only slightly.
  });

  it('reorders: a reorder hold adds at most reorderDelayMsMax', () => {
    const { delays } = latencies({ latencyMsMin: 1, latencyMsMean: 1, latencyMsMax: 1, reorderProbability: 0.2, reorderDelayMsMax: 10 }, 20_000);
    const held = delays.filter((d) => d > 1).length / delays.length;
    expect(Math.abs(held - 0.2)).toBeLessThan(0.015);
    expect(Math.max(...delays)).toBeLessThanOrEqual(11);
  });

  it('loses and duplicates messages at the configured rates', () => {
    const { net } = latencies({ lossProbability: 0.1, duplicateProbability: 0.05 }, 100_000);
    const s = net.stats;
    expect(Math.abs(s.droppedLoss / s.sent - 0.1)).toBeLessThan(0.005);
    expect(Math.abs(s.duplicated / (s.sent - s.droppedLoss) - 0.05)).toBeLessThan(0.005);
    expect(s.delivered).toBe(s.sent - s.droppedLoss + s.duplicated);
  });

  it('is deterministic per seed', () => {
    expect(latencies({}, 500, 5).delays).toEqual(latencies({}, 500, 5).delays);
    expect(latencies({}, 500, 5).delays).not.toEqual(latencies({}, 500, 6).delays);
  });

  it('rejects impossible options', () => {
    expect(() => latencies({ latencyMsMin: 5, latencyMsMean: 2 }, 1)).toThrow(/latencyMsMean/);
    expect(() => latencies({ lossProbability: 2 }, 1)).toThrow(/lossProbability/);
  });

  it('blocks a partition both ways, drops messages in flight when it starts, and heals', () => {
    const received: string[] = [];
    const sim = harness(3, (ctx) => ({ ...idle, onMessage: (from, m) => received.push(`${from}→${ctx.id}:${String(m)}`) }));
    sim.startAll();
    const send = (from: number, to: string, m: string): void => sim.sendFrom(from, to, m);
    send(0, 'n2', 'in-flight'); // delivered after the partition starts: dropped
    sim.network.partitionGroups([[0], [1, 2]]);
    send(0, 'n2', 'a');
    send(1, 'n1', 'b');
    send(1, 'n3', 'c');
    sim.run(100);
    expect(received).toEqual(['n2→n3:c']);
    expect(sim.network.stats.droppedPartition).toBe(3);
    sim.network.heal();
    send(0, 'n2', 'd');
    send(1, 'n1', 'e');
    sim.run(100);
    expect(received.sort()).toEqual(['n1→n2:d', 'n2→n1:e', 'n2→n3:c']);
  });

  it('drops messages to crashed nodes', () => {
    let got = 0;
    const sim = harness(2, () => ({ ...idle, onMessage: () => got++ }));
    sim.startAll();
    sim.crash(1);
    sim.sendFrom(0, 'n2', 'x');
    sim.run(10);
    expect(got).toBe(0);
    expect(sim.network.stats.droppedDown).toBe(1);
  });
});

describe('partition shapes', () => {
  const rng = SeededRng.fromSeed(2);

  it('splits into a minority and a majority', () => {
    for (const n of [2, 3, 4, 5, 7]) {
      const [a, b] = randomHalves(n, rng);
      expect(a!.length).toBe(Math.floor(n / 2));
      expect([...a!, ...b!].sort()).toEqual(Array.from({ length: n }, (_, i) => i).sort());
    }
  });

  it('majority ring: every node hears a majority, no two the same one', () => {
    for (const n of [3, 4, 5, 7]) {
      const { views } = majorityRing(n, rng);
      const majority = Math.floor(n / 2) + 1;
      views.forEach((v, i) => {
        expect(v.length).toBe(majority);
        expect(v).toContain(i);
      });
      expect(new Set(views.map((v) => v.join())).size).toBe(n);
    }
  });

  it('bridge: two sides that share only the bridge node', () => {
    const { groups, bridge: b } = bridge(5, rng);
    expect(groups[0]).toContain(b);
    expect(groups[1]).toContain(b);
    expect(groups[0]!.filter((x) => groups[1]!.includes(x))).toEqual([b]);
  });
});
