import { historyToJsonl } from '@verdict/checker';
import { describe, expect, it } from 'vitest';
import type { ProtocolDefinition } from '../src/protocols/protocol.js';
import { evaluateRequirement } from '../src/run/require.js';
import type { RunProgress } from '../src/run/result.js';
import { run } from '../src/run.js';
import { primaryBackup, STALE_BACKUP_READS } from './support/primary-backup.js';
import { LOSE_APPENDS, singleNodeTxn } from './support/single-node-txn.js';

const protocols: Record<string, () => Promise<ProtocolDefinition>> = {
  'primary-backup': async () => primaryBackup,
  'single-node-txn': async () => singleNodeTxn,
  throwing: async () => ({ ...primaryBackup, name: 'throwing', node: () => (ctx) => ({ onMessage() {}, onTimer() {}, onClientRequest() { ctx.log('about to fail', { x: 1 }); throw new Error('kaboom'); } }) }),
};

describe('run pipeline', () => {
  it('a correct primary-backup register without faults checks linearizable, and the run facts add up', async () => {
    const progress: RunProgress[] = [];
    const r = await run({ protocol: 'primary-backup', seed: 3, ops: 400 }, { protocols, onProgress: (p) => progress.push(p) });
    expect(progress[0]).toEqual({ stage: 'simulate', seed: 3, done: 0, total: 400, virtualMs: 0 });
    expect(progress.some((p) => p.stage === 'check')).toBe(true);
    expect(r.report.verdict).toMatchObject({ outcome: 'ok', consistency: 'strong' });
    expect(r.report.consistency?.levels.every((l) => l.status === 'holds')).toBe(true);
    expect(r.facts.availability.blocked).toBe(false);
    expect(r.facts.faults).toEqual([]);
    expect(r.facts.operations.client).toBe(400);
    expect(r.facts.operations.finalReads).toBeGreaterThan(0);
    const m = r.facts.messages;
    expect(m.delivered + m.droppedLoss + m.droppedPartition + m.droppedDown).toBe(m.sent + m.duplicated);
    expect(r.facts.phases.map((p) => p.name)).toEqual(['faulty', 'quiet', 'final']);
    expect(r.history.operations.every((o) => typeof o.node === 'string' && typeof o.time === 'number')).toBe(true);
    expect(r.history.operations.filter((o) => o.phase === 'final').every((o) => o.f === 'read')).toBe(true);
    expect(r.headline).toMatch(/^OK: /);
    expect(r.facts.reproduce).toBe('verdict run --protocol primary-backup --nemesis none --seed 3 --ops 400');
    expect(evaluateRequirement(r, 'strong').result).toBe('yes');
    expect(evaluateRequirement(r, 'serializable').result).toBe('unknown');
  });

  it('catches the broken register: stale reads at the backups are not linearizable', async () => {
    const r = await run({ protocol: 'primary-backup', seed: 3, ops: 400, bug: STALE_BACKUP_READS, checkTimeLimitMs: 20_000 }, { protocols });
    expect(r.report.verdict.outcome).toBe('violated');
    expect(r.report.linearizability?.outcome).toBe('illegal');
    expect(r.report.linearizability?.counterexample?.witness.operations.length).toBeGreaterThan(0);
    expect(evaluateRequirement(r, 'linearizable')).toMatchObject({ result: 'no' });
    expect(r.headline).toMatch(/^VIOLATED/);
    expect(r.facts.reproduce).toContain('--bug stale-backup-reads');
  });

  it('reads a crashed primary as blocked, not inconsistent', async () => {
    const r = await run({ protocol: 'primary-backup', nemesis: 'crash-leader', seed: 5, ops: 400 }, { protocols });
    expect(r.report.verdict.outcome).toBe('ok');
    const a = r.facts.availability;
    expect(a.blocked).toBe(true);
    expect(a.blockedReason).toMatch(/crashed n1 \(the leader, role primary\)/);
    expect(r.headline).toMatch(/^blocked: availability lost, nothing inconsistent/);
    expect(r.history.events.map((e) => e.f)).toContain('start-crash');
    expect(a.recoveredAfterMs).not.toBeNull();
    const faulty = a.phases.find((p) => p.phase === 'faulty')!;
    expect(faulty.info).toBeGreaterThan(0);
    expect(faulty.longestSilenceMs).toBeGreaterThan(0);
  });

  it('tells which side of a partition stayed available', async () => {
    const r = await run({ protocol: 'primary-backup', nemesis: 'partition-halves', seed: 4, ops: 1_000 }, { protocols });
    expect(r.report.verdict.outcome).toBe('ok');
    const judged = r.facts.availability.faults.flatMap((f) => f.sides ?? []).filter((s) => s.available !== null);
    expect(judged.length).toBeGreaterThan(0);
    for (const side of judged) expect(side.available).toBe(side.nodes.includes('n1'));
  });

  it('checks transactional workloads for isolation', async () => {
    const ok = await run({ protocol: 'single-node-txn', seed: 2, ops: 300 }, { protocols });
    expect(ok.report.kind).toBe('transactional');
    expect(ok.report.verdict).toMatchObject({ outcome: 'ok', isolation: 'strict-serializable' });
    expect(evaluateRequirement(ok, 'serializable').result).toBe('yes');
    expect(evaluateRequirement(ok, 'atomic').result).toBe('yes');
    expect(ok.history.operations.every((o) => o.f === 'txn')).toBe(true);
    const bad = await run({ protocol: 'single-node-txn', seed: 2, ops: 300, bug: LOSE_APPENDS }, { protocols });
    expect(bad.report.verdict.outcome).toBe('violated');
    expect(bad.report.isolation!.anomalies.length).toBeGreaterThan(0);
  });

  it('is deterministic end to end', async () => {
    const a = await run({ protocol: 'primary-backup', nemesis: 'mixed', seed: 9, ops: 300 }, { protocols });
    const b = await run({ protocol: 'primary-backup', nemesis: 'mixed', seed: 9, ops: 300 }, { protocols });
    expect(historyToJsonl(b.history)).toBe(historyToJsonl(a.history));
    expect(b.facts.faults).toEqual(a.facts.faults);
    expect(b.facts.availability).toEqual(a.facts.availability);
  });

  it('reports a node that throws with the seed and the command to reproduce it', async () => {
    const failure = run({ protocol: 'throwing', seed: 12, ops: 10 }, { protocols });
    await expect(failure).rejects.toMatchObject({ code: 'VRD_ERR_SIM_NODE' });
    await expect(failure).rejects.toThrow(/kaboom[\s\S]*about to fail \{"x":1\}[\s\S]*reproduce: verdict run --protocol throwing --nemesis none --seed 12 --ops 10/);
  });
});
