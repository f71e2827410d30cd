import { checkFreshReads, checkSync, createModel } from '@verdict/checker';
import { describe, expect, it } from 'vitest';
import { run } from '../src/run.js';
import { eventualVerdicts, simulateEventual } from './support/eventual-run.js';

/**
 * The eventual store end to end, on fixed seeds: where each configuration lands on the lattice —
 * the seed notes' CAP/BASE lesson, measured. Defaults: 5 nodes, N=3, R=1, W=1, last writer wins,
 * sloppy quorum, roaming clients, clocks in step until a clock-skew fault.
 */

const levelsOf = (r: Awaited<ReturnType<typeof run>>) => Object.fromEntries(r.report.consistency!.levels.map((l) => [l.level, l.status]));

describe('R + W ≤ N with roaming clients', () => {
  it('is eventually consistent only: no session guarantee, every partition side available, converged after the heal', async () => {
    const r = await run({ protocol: 'eventual', nemesis: 'partition-halves', seed: 1 });
    expect(r.report.verdict.consistency, r.facts.reproduce).toBe('eventual');
    expect(levelsOf(r)).toMatchObject({ strong: 'violated', sequential: 'violated', session: 'violated', eventual: 'holds' });
    // A roaming client writes through one replica and reads another that has not heard of it yet.
    const session = r.report.consistency!.levels.find((l) => l.level === 'session')!;
    expect(session.violations!.some((v) => v.kind === 'read-your-writes')).toBe(true);
    expect(r.facts.availability.blocked).toBe(false);
    const sides = r.facts.availability.faults.flatMap((f) => f.sides ?? []).filter((s) => s.available !== null);
    expect(sides.length).toBeGreaterThan(0);
    for (const side of sides) expect(side.available, side.nodes.join(' ')).toBe(true);
    expect(sides.some((s) => s.nodes.length === 2)).toBe(true);
  }, 60_000);
});

describe('availability', () => {
  it('keeps every side of every partition shape answering (sloppy quorum, R = W = 1)', async () => {
    for (const nemesis of ['partition-majority-ring', 'bridge', 'isolate-leader']) {
      const r = await run({ protocol: 'eventual', nemesis, seed: 1, ops: 600, checkTimeLimitMs: 2_000 });
      expect(r.facts.availability.blocked, nemesis).toBe(false);
      const sides = r.facts.availability.faults.flatMap((f) => f.sides ?? []).filter((s) => s.available !== null);
      expect(sides.length, nemesis).toBeGreaterThan(0);
      for (const side of sides) expect([nemesis, side.nodes.join(' '), side.available]).toEqual([nemesis, side.nodes.join(' '), true]);
      expect(levelsOf(r).eventual, nemesis).toBe('holds');
    }
  }, 90_000);
});

describe('sticky clients', () => {
  it('keep every session guarantee, yet the store is not sequentially consistent', async () => {
    const r = await run({ protocol: 'eventual', nemesis: 'partition-halves', seed: 1, routing: 'sticky' });
    expect(levelsOf(r)).toMatchObject({ strong: 'violated', sequential: 'violated', session: 'holds', eventual: 'holds' });
    expect(r.report.verdict.consistency).toBe('session');
    expect(r.facts.reproduce).toContain('--routing sticky');
  }, 90_000);
});

describe('R + W > N without a sloppy quorum and without faults', () => {
  it('every read sees the last acknowledged write, yet a read that raced a write and a later read disagree: not linearizable', async () => {
    // Ten clients with 2 ms pauses race reads against writes in flight. W = 3: a write is acknowledged
    // once every replica holds it, so any one replica (R = 1) has it; before that, the replicas differ.
    const { history, spec } = await simulateEventual({ nemesis: 'none', seed: 1, r: 1, w: 3, sloppyQuorum: false, clients: 10, thinkMsMean: 2 });
    expect(spec.replication).toEqual({ n: 3, r: 1, w: 3, resolve: 'lww', sloppyQuorum: false });
    const kv = createModel('kv', null);
    const fresh = checkFreshReads(history, kv);
    expect(fresh).toMatchObject({ status: 'holds', stale: 0 });
    expect(fresh.reads).toBeGreaterThan(400);
    const lin = checkSync(kv, history);
    expect(lin.outcome).toBe('illegal');
    // The witness: a write still in flight, a read that saw it, then a read that did not.
    const ops = lin.counterexample!.witness.operations;
    const [late, early] = [ops.at(-1)!, ops.at(-2)!];
    expect([early.f, late.f]).toEqual(['read', 'read']);
    expect(early.ret! < late.call).toBe(true);
    const writeSeen = ops.find((o) => o.f === 'write' && JSON.stringify(o.input) === JSON.stringify(early.output))!;
    expect(writeSeen.call < early.ret! && (writeSeen.ret === null || writeSeen.ret > late.call)).toBe(true);
  }, 60_000);

  it('keeps only the side of a partition with a quorum of the key\'s replicas available (CAP)', async () => {
    const r = await run({ protocol: 'eventual', nemesis: 'partition-halves', seed: 1, r: 2, w: 2, sloppyQuorum: false, ops: 600 });
    const sides = r.facts.availability.faults.flatMap((f) => f.sides ?? []).filter((s) => s.available !== null);
    expect(sides.some((s) => s.available === false)).toBe(true);
    expect(levelsOf(r).eventual).toBe('holds');
    expect(checkFreshReads(r.history, createModel('kv', null)).status).toBe('holds');
  }, 60_000);
});

describe('last writer wins under clock skew', () => {
  it('loses acknowledged writes, reported as lost writes; version vectors keep them as siblings', async () => {
    const lww = await run({ protocol: 'eventual', nemesis: 'clock-skew', seed: 1, ops: 600, checkTimeLimitMs: 2_000 });
    const eventual = lww.report.consistency!.levels.find((l) => l.level === 'eventual')!;
    expect(eventual.status).toBe('violated');
    expect(eventual.violations!.some((v) => v.kind === 'lost-write' && /acknowledged write of .* is lost: every replica ended with .*, written before it began/.test(v.sentence))).toBe(true);
    expect(lww.report.verdict.consistency).toBe('none');
    const siblings = await eventualVerdicts({ nemesis: 'clock-skew', seed: 1, ops: 600, resolve: 'siblings' });
    expect(siblings).toMatchObject({ eventual: 'holds', lostWrites: 0, skewed: true });
  }, 60_000);

  it('loses none while clocks stay in step (the store\'s default, as NTP keeps a Dynamo cluster)', async () => {
    for (const nemesis of ['none', 'partition-halves', 'crash-minority']) {
      expect(await eventualVerdicts({ nemesis, seed: 2, ops: 600 }), nemesis).toMatchObject({ eventual: 'holds', lostWrites: 0, skewed: false });
    }
  }, 60_000);
});

describe('convergence after the heal', () => {
  // Anti-entropy visits each of the 4 peers every 200 ms, a tree walk takes at most ~10 one-way
  // latencies (40 ms each at worst): 4 × 200 + 400 = 1,200 ms bounds it.
  const BOUND_MS = 1_200;
  it(`within ${BOUND_MS} ms, with final reads straight after the heal (no quiet phase), seeds 1-5`, async () => {
    for (const nemesis of ['partition-halves', 'partition-majority-ring', 'crash-minority']) {
      for (let seed = 1; seed <= 5; seed++) {
        const v = await eventualVerdicts({ nemesis, seed, ops: 400, quietOps: 0, settleMs: BOUND_MS, resolve: 'siblings' });
        expect([nemesis, seed, v.eventual, v.divergentKeys]).toEqual([nemesis, seed, 'holds', 0]);
      }
    }
  }, 120_000);
});

describe('bug no-anti-entropy', () => {
  it('leaves replicas apart after a partition heals: found on the first of seeds 1-5, which the correct store converges on', async () => {
    let found: number | undefined;
    for (let seed = 1; seed <= 5 && found === undefined; seed++) {
      const v = await eventualVerdicts({ nemesis: 'partition-halves', seed, bug: 'no-anti-entropy' });
      if (v.eventual === 'violated' && v.divergentKeys > 0) found = seed;
    }
    expect(found).toBe(1);
    expect(await eventualVerdicts({ nemesis: 'partition-halves', seed: 1 })).toMatchObject({ eventual: 'holds', divergentKeys: 0 });
  }, 60_000);
});

describe('determinism', () => {
  it('gives one history per seed, siblings and sticky routing included', async () => {
    const spec = { nemesis: 'mixed', seed: 9, ops: 300, resolve: 'siblings', routing: 'sticky' } as const;
    const a = await simulateEventual(spec);
    const b = await simulateEventual(spec);
    expect(JSON.stringify(b.outcome.ops)).toBe(JSON.stringify(a.outcome.ops));
  });
});
