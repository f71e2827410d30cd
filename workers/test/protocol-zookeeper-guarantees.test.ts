import type { InvariantResult, ZkGuaranteeOutput } from '@verdict/checker';
import { describe, expect, it } from 'vitest';
import { run } from '../src/run.js';
import type { RunResult } from '../src/run/result.js';

/**
 * ZooKeeper's own guarantees on the simulated ensemble (guarantee clients mixed into the kv
 * workload, 1,000 operations): the correct protocol keeps every one of them under faults, session
 * expiry included, and none is left undecided; sessions really move and expire; the planted
 * `no-last-zxid-check` is caught by the single-system-image check and `watch-after-result` by the
 * watch check, each within its stated budget.
 */

const GUARANTEES = ['zookeeper-multi-atomic', 'zookeeper-single-image', 'zookeeper-ephemeral-expiry', 'zookeeper-sequential-names', 'zookeeper-watches'];

function guaranteesOf(r: RunResult): InvariantResult[] {
  return (r.report.invariants ?? []).filter((i) => GUARANTEES.includes(i.name));
}

function answersOf(r: RunResult): { session: number; call: string; error?: string }[] {
  return r.history.operations.flatMap((o) => {
    const out = o.output as ZkGuaranteeOutput | undefined;
    if (!o.f.startsWith('zk-') || out?.answers === undefined) return [];
    return out.answers.map((a) => ({ session: out.session, call: a.call, ...(a.error !== undefined ? { error: a.error } : {}) }));
  });
}

describe('zookeeper guarantees, correct protocol', () => {
  const cases = [
    ['none', 1], ['session-expiry', 1], ['session-expiry', 2], ['partition-halves', 1], ['isolate-leader', 2],
    ['crash-leader', 1], ['partition-majority-ring', 2], ['bridge', 1], ['mixed', 3],
  ] as const;
  it.each(cases)('every guarantee holds, none unknown, under %s (seed %i)', async (nemesis, seed) => {
    const r = await run({ protocol: 'zookeeper', nemesis, seed, ops: 1_000 });
    const found = guaranteesOf(r);
    expect(found.map((g) => g.name)).toEqual(GUARANTEES);
    for (const g of found) {
      expect(g.status, `${g.name}: ${g.violations[0]?.sentence ?? g.cause ?? ''}`).toBe('holds');
      expect(g.observations, g.name).toBeGreaterThan(0);
    }
    expect(r.report.consistency?.strongest).toBe('strong');
  }, 120_000);

  it('sessions move to other servers and, under session-expiry, expire; their clients learn it', async () => {
    const expired = new Set<number>();
    let moves = 0;
    for (const seed of [1, 2]) {
      const r = await run({ protocol: 'zookeeper', nemesis: 'session-expiry', seed, ops: 1_000 });
      expect(r.facts.faults.every((f) => f.nemesis === 'session-expiry' && f.description.includes('longer than a session timeout'))).toBe(true);
      for (const a of answersOf(r)) {
        if (a.error === 'SessionExpired') expired.add(a.session);
        if (a.call === 'connect' && a.error === undefined) moves++;
      }
    }
    expect(expired.size).toBeGreaterThan(0);
    expect(moves).toBeGreaterThan(50);
  }, 120_000);

  it('guarantee operations stay out of the kv checks: the model judges the kv operations alone', async () => {
    const r = await run({ protocol: 'zookeeper', nemesis: 'none', seed: 1, ops: 1_000 });
    const kv = r.history.operations.filter((o) => ['read', 'write', 'cas'].includes(o.f));
    expect(r.history.operations.length).toBeGreaterThan(kv.length + 100);
    expect(r.report.linearizability?.operations ?? 0).toBeLessThanOrEqual(kv.length);
  }, 60_000);
});

describe('zookeeper guarantees, planted bug', () => {
  it('no-last-zxid-check: a session moved to a server behind it sees time go backwards, on the first seed with no faults', async () => {
    const r = await run({ protocol: 'zookeeper', nemesis: 'none', seed: 1, ops: 1_000, bug: 'no-last-zxid-check' });
    const image = guaranteesOf(r).find((g) => g.name === 'zookeeper-single-image');
    expect(image?.status).toBe('violated');
    expect(image?.counts['time-went-backwards']).toBeGreaterThan(0);
    expect(image?.violations[0]?.sentence).toMatch(/then connect answered at zxid \d+ by n\d: a server older than what the client had seen/);
    expect(r.report.verdict.outcome).toBe('violated');
    // The bug is in the session layer alone: the kv histories stay linearizable.
    expect(r.report.consistency?.strongest).toBe('strong');
  }, 60_000);

  it('watch-after-result: a read shows a change before the event of the watch set on it, on the first seed with no faults', async () => {
    const r = await run({ protocol: 'zookeeper', nemesis: 'none', seed: 1, ops: 1_000, bug: 'watch-after-result' });
    const watches = guaranteesOf(r).find((g) => g.name === 'zookeeper-watches');
    expect(watches?.status).toBe('violated');
    expect(watches?.counts['result-before-event']).toBeGreaterThan(0);
    expect(watches?.violations.find((v) => v.kind === 'result-before-event')?.sentence).toMatch(/read \/g\/\S+ changed at zxid \d+ \((getData|getChildren)\) before the event of its (data|child) watch set at zxid \d+/);
    // Every other guarantee still holds: the check names the one that broke.
    for (const g of guaranteesOf(r)) if (g.name !== 'zookeeper-watches') expect(g.status, g.name).toBe('holds');
  }, 60_000);
});
