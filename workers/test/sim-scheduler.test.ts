import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../src/sim/event-queue.js';
import { Scheduler, type EventDispatcher } from '../src/sim/scheduler.js';

class Recorder implements EventDispatcher {
  readonly seen: { t: number; a: number; ref: unknown }[] = [];
  constructor(private readonly scheduler: Scheduler) {}
  dispatch(_kind: number, _node: number, a: number, _b: number, ref: unknown): void {
    this.seen.push({ t: this.scheduler.nowMs, a, ref });
  }
}

describe('event queue', () => {
  it('pops in (time, insertion) order, whatever the push order', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 300 }), (times) => {
      const q = new EventQueue(16);
      times.forEach((t, i) => q.push(t, 1, 0, i, 0, undefined));
      const popped: number[] = [];
      for (let slot = q.pop(); slot !== -1; slot = q.pop()) {
        popped.push(q.as[slot]!);
        q.release(slot);
      }
      const expected = times.map((t, i) => ({ t, i })).sort((x, y) => x.t - y.t || x.i - y.i).map((e) => e.i);
      expect(popped).toEqual(expected);
    }), { seed: 20240601, numRuns: 200 });
  });

  it('reuses released slots and grows past its initial capacity', () => {
    const q = new EventQueue(16);
    for (let i = 0; i < 1_000; i++) q.push(i % 7, 1, 0, i, 0, { i });
    expect(q.length).toBe(1_000);
    let last = -1;
    for (let slot = q.pop(); slot !== -1; slot = q.pop()) {
      expect(q.timeOf(slot)).toBeGreaterThanOrEqual(last);
      last = q.timeOf(slot);
      expect((q.refs[slot] as { i: number }).i).toBe(q.as[slot]);
      q.release(slot);
      expect(q.refs[slot]).toBeUndefined();
    }
  });
});

describe('scheduler', () => {
  it('advances virtual time event by event and breaks ties by scheduling order', () => {
    const s = new Scheduler();
    const r = new Recorder(s);
    s.at(5, 1, 0, 1, 0, 'b');
    s.at(5, 1, 0, 2, 0, 'c');
    s.at(1, 1, 0, 3, 0, 'a');
    s.after(5, 1, 0, 4, 0, 'd');
    expect(s.run(r, 100)).toBe('idle');
    expect(r.seen.map((e) => e.ref)).toEqual(['a', 'b', 'c', 'd']);
    expect(r.seen.map((e) => e.t)).toEqual([1, 5, 5, 5]);
  });

  it('treats a time in the past as now', () => {
    const s = new Scheduler();
    const r = new Recorder(s);
    s.at(10, 1, 0, 0, 0, 'first');
    s.run(r, 1);
    s.at(3, 1, 0, 0, 0, 'late');
    s.run(r, 1);
    expect(r.seen.at(-1)).toEqual({ t: 10, a: 0, ref: 'late' });
  });

  it('stops at the event budget, the time limit, or stop()', () => {
    const s = new Scheduler();
    const r = new Recorder(s);
    for (let i = 0; i < 10; i++) s.at(i * 10, 1, 0, i, 0, i);
    expect(s.run(r, 3)).toBe('events');
    expect(r.seen.length).toBe(3);
    expect(s.run(r, 100, 55)).toBe('time');
    expect(s.nowMs).toBe(55);
    expect(r.seen.length).toBe(6);
    const stopper: EventDispatcher = { dispatch: () => s.stop() };
    expect(s.run(stopper, 100)).toBe('stopped');
    expect(s.eventsProcessed).toBe(7);
    expect(s.pending).toBe(3);
  });
});
