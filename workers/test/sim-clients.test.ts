import { historyFromOps, type Op } from '@verdict/checker';
import { describe, expect, it } from 'vitest';
import { ClientDriver, type ClientOptions, type OpSource } from '../src/sim/client-driver.js';
import { HistoryRecorder } from '../src/sim/history-recorder.js';
import type { NodeContext } from '../src/sim/node-context.js';
import { SeededRng } from '../src/sim/rng.js';
import { harness, idle } from './support/sim-harness.js';

function counter(count: number): OpSource {
  let i = 0;
  return { next: () => (i < count ? { f: 'write', value: [0, ++i] } : undefined) };
}

/** n1 answers ok, n2 never answers (timeouts), n3 answers info, n4 answers late (after the timeout). */
function setup(options: Partial<ClientOptions> = {}) {
  const sim = harness(4, (ctx: NodeContext) => ({
    ...idle,
    onClientRequest(r) {
      if (ctx.id === 'n1') ctx.reply(r.id, { type: 'ok', value: null });
      if (ctx.id === 'n3') ctx.reply(r.id, { type: 'info', error: 'lost leadership' });
      if (ctx.id === 'n4') ctx.setTimer(500, 'late', r.id);
    },
    onTimer(_tag, id) {
      ctx.reply(id as number, { type: 'ok', value: null });
    },
  }));
  sim.startAll();
  const recorder = new HistoryRecorder(sim.scheduler);
  const driver = new ClientDriver(sim, recorder, SeededRng.fromSeed(3), {
    clients: 4, concurrency: 2, timeoutMs: 100, thinkMsMean: 5, routing: 'pinned', entryNodes: [0, 1, 2, 3], ...options,
  });
  sim.setClientEndpoint(driver);
  return { sim, recorder, driver };
}

const byProcess = (ops: readonly Op[]): Map<unknown, Op[]> => {
  const m = new Map<unknown, Op[]>();
  for (const o of ops) m.set(o.process, [...(m.get(o.process) ?? []), o]);
  return m;
};

describe('clients', () => {
  it('issue the quota, time out into info, and continue under fresh process ids', () => {
    const { sim, recorder, driver } = setup();
    let issued = -1;
    let drained = -1;
    driver.begin(counter(1_000), 200, { onAllIssued: () => (issued = sim.nowMs), onDrained: () => (drained = sim.nowMs) });
    sim.run(1_000_000);
    const ops = recorder.ops;
    expect(ops.filter((o) => o.type === 'invoke')).toHaveLength(200);
    expect(issued).toBeGreaterThan(0);
    expect(drained).toBeGreaterThanOrEqual(issued);
    historyFromOps(ops); // Jepsen's rules hold: pairing, nothing after info
    const timeouts = ops.filter((o) => o.error === 'timeout');
    expect(timeouts.length).toBeGreaterThan(0);
    expect(timeouts.every((o) => o.node === 'n2' || o.node === 'n4')).toBe(true);
    for (const t of timeouts) {
      const invoke = ops.find((o) => o.process === t.process && o.type === 'invoke')!;
      expect(t.time! - invoke.time!).toBe(100e6);
    }
    expect(ops.filter((o) => o.type === 'info' && o.node === 'n3').every((o) => o.error === 'lost leadership')).toBe(true);
    // A process that got info issues nothing more; its slot continues as process + 8, later.
    const processes = byProcess(ops);
    let continued = 0;
    for (const [process, list] of processes) {
      const info = list.findIndex((o) => o.type === 'info');
      if (info < 0) continue;
      expect(info).toBe(list.length - 1);
      const next = processes.get((process as number) + 8);
      if (next === undefined) continue; // the quota ran out first
      continued++;
      expect(next[0]!.time!).toBeGreaterThanOrEqual(list[info]!.time!);
    }
    expect(continued).toBeGreaterThan(5);
    // Late replies (n4 answers after 500 ms) were dropped: n4's operations all timed out.
    expect(ops.filter((o) => o.node === 'n4' && o.type === 'ok')).toHaveLength(0);
  });

  it('pin client c to entry node c mod k, with its session and user', () => {
    const { sim, recorder, driver } = setup();
    driver.begin(counter(100), 100);
    sim.run(1_000_000);
    for (const o of recorder.ops) {
      const client = Number(String(o.session).slice(1));
      expect(o.node).toBe(`n${(client % 4) + 1}`);
      expect(o.user).toBe(`u${client % 2}`);
      expect(Math.floor(((o.process as number) % 8) / 2)).toBe(client);
    }
  });

  it('roaming clients spread over the entry nodes', () => {
    const { sim, recorder, driver } = setup({ routing: 'roaming', entryNodes: [0, 2] });
    driver.begin(counter(100), 100);
    sim.run(1_000_000);
    const perSession = new Map<string, Set<unknown>>();
    for (const o of recorder.ops) perSession.set(String(o.session), (perSession.get(String(o.session)) ?? new Set()).add(o.node));
    expect([...perSession.values()].some((nodes) => nodes.size === 2)).toBe(true);
    expect(recorder.ops.every((o) => o.node === 'n1' || o.node === 'n3')).toBe(true);
  });

  it('take final reads from fresh processes, marked final and outside any session', () => {
    const { sim, recorder, driver } = setup();
    driver.begin(counter(20), 20, {
      onDrained: () => driver.finalReads([{ node: 0, f: 'read', value: [0, null] }, { node: 1, f: 'read', value: [0, null] }], () => sim.scheduler.stop()),
    });
    sim.run(1_000_000);
    const finals = recorder.ops.filter((o) => o.phase === 'final');
    expect(finals.map((o) => `${o.type} ${o.node}`)).toEqual(['invoke n1', 'invoke n2', 'ok n1', 'info n2']);
    const before = recorder.ops.filter((o) => o.phase !== 'final').map((o) => o.process as number);
    expect(Math.min(...finals.map((o) => o.process as number))).toBeGreaterThan(Math.max(...before));
    expect(finals.every((o) => o.session === undefined && o.user === undefined)).toBe(true);
    historyFromOps(recorder.ops);
  });

  it('stop at a source that runs dry before the quota', () => {
    const { sim, recorder, driver } = setup();
    let drained = false;
    driver.begin(counter(7), 50, { onDrained: () => (drained = true) });
    sim.run(1_000_000);
    expect(recorder.ops.filter((o) => o.type === 'invoke')).toHaveLength(7);
    expect(drained).toBe(true);
  });
});
