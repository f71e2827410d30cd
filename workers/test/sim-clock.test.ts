import { describe, expect, it } from 'vitest';
import { ClockSet } from '../src/sim/clock.js';
import type { NodeContext } from '../src/sim/node-context.js';
import { harness, idle } from './support/sim-harness.js';

describe('node clocks', () => {
  it('apply per-node skew and drift, staying continuous across changes', () => {
    const clocks = new ClockSet([0, 250, -40]);
    expect(clocks.localMs(1, 0)).toBe(250);
    expect(clocks.localMs(2, 100)).toBe(60);
    clocks.setDrift(0, 1_000, 100_000); // 10 % fast from t = 1 s
    expect(clocks.localMs(0, 1_000)).toBe(1_000);
    expect(clocks.localMs(0, 2_000)).toBeCloseTo(2_100, 9);
    expect(clocks.virtualMsAt(0, 2_100)).toBeCloseTo(2_000, 9);
    clocks.setDrift(0, 2_000, -50_000);
    expect(clocks.localMs(0, 2_000)).toBeCloseTo(2_100, 9);
    expect(clocks.localMs(0, 3_000)).toBeCloseTo(3_050, 9);
    clocks.jump(0, 3_000, -500);
    expect(clocks.localMs(0, 3_000)).toBeCloseTo(2_550, 9);
    expect(clocks.read(0, 3_000)).toEqual({ offsetMs: -450, driftPpm: -50_000 });
    expect(() => clocks.setDrift(1, 0, 1_000_000)).toThrow(/beyond/);
  });

  it('gives each node now() on its own clock', () => {
    const ctxs: NodeContext[] = [];
    const sim = harness(2, (ctx) => (ctxs.push(ctx), idle), { clockOffsetsMs: [0, 1_000] });
    sim.startAll();
    expect(ctxs.map((c) => c.now())).toEqual([0, 1_000]);
  });

  it('fires timers by the local clock, and re-times them when the drift changes', () => {
    const fired: { tag: string; virtualMs: number; localMs: number }[] = [];
    let ctx!: NodeContext;
    const sim = harness(1, (c) => {
      ctx = c;
      return { ...idle, onTimer: (tag) => fired.push({ tag, virtualMs: sim.nowMs, localMs: c.now() }) };
    });
    sim.startAll();
    sim.setDrift(0, 250_000); // 25 % fast: 1,000 local ms pass in 800 virtual ms
    ctx.setTimer(1_000, 'fast');
    ctx.setTimer(2_000, 're-timed');
    sim.run(1);
    expect(fired[0]!.virtualMs).toBeCloseTo(800, 6);
    expect(fired[0]!.localMs).toBeCloseTo(1_000, 6);
    sim.setDrift(0, -200_000); // now 20 % slow: the remaining 1,000 local ms take 1,250 virtual ms
    sim.run(10);
    expect(fired.map((f) => f.tag)).toEqual(['fast', 're-timed']);
    expect(fired[1]!.virtualMs).toBeCloseTo(2_050, 6);
    expect(fired[1]!.localMs).toBeCloseTo(2_000, 6);
  });

  it('cancels timers', () => {
    const fired: string[] = [];
    let ctx!: NodeContext;
    const sim = harness(1, (c) => ((ctx = c), { ...idle, onTimer: (t) => fired.push(t) }));
    sim.startAll();
    const a = ctx.setTimer(10, 'a');
    ctx.setTimer(20, 'b');
    ctx.cancelTimer(a);
    sim.run(10);
    expect(fired).toEqual(['b']);
  });
});
