import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyFromOps, type Report } from '@verdict/checker';
import type { JobClaim } from '@verdict/workers';
import { openDatabase, type Database } from '../src/db/database.js';
import { writeHistory } from '../src/store/history-store.js';
import { PrismaJobStore } from '../src/store/prisma-job-store.js';
import { databaseBackends, testDatabase } from './support/services.js';

const backends = await databaseBackends();

const REPORT: Report = {
  version: 1,
  kind: 'single-object',
  history: { events: 2, operations: 1, processes: 1, faults: 0 },
  verdict: { outcome: 'ok', consistency: 'strong', summary: 'linearizable (strong)' },
  elapsedMs: 1,
};

const HISTORY = historyFromOps([
  { process: 0, type: 'invoke', f: 'write', value: 1 },
  { process: 0, type: 'ok', f: 'write', value: 1 },
]);

describe.each(backends)('the Postgres job store (%s)', (backend) => {
  let db: Database;
  let drop: () => Promise<void>;
  let store: PrismaJobStore;
  beforeAll(async () => {
    const fresh = await testDatabase('job_store', backend);
    drop = fresh.drop;
    db = await openDatabase(fresh);
    store = new PrismaJobStore(db.prisma);
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  const newJob = async (maxAttempts = 3): Promise<string> => {
    const job = await db.prisma.job.create({ data: { kind: 'check', spec: {}, maxAttempts } });
    await writeHistory(db.prisma, job.id, HISTORY, { format: 'jsonl' });
    return job.id;
  };
  const claimOf = (jobId: string, attempt: number, workerId = 'w'): JobClaim => ({ jobId, attempt, workerId });

  it('lets exactly one of many concurrent claims win', async () => {
    const id = await newJob();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.claim(id, `w${i}`, 60_000)));
    expect(results.filter((r) => r.claimed)).toHaveLength(1);
    expect(results.filter((r) => !r.claimed).every((r) => !r.claimed && r.reason === 'leased')).toBe(true);
  });

  it('writes a result once: a second completion, or one from an attempt that lost its lease, changes nothing', async () => {
    const id = await newJob();
    const first = await store.claim(id, 'a', 60_000);
    expect(first.claimed).toBe(true);
    expect((await store.complete(claimOf(id, 1, 'a'), { report: REPORT })).written).toBe(true);
    expect((await store.complete(claimOf(id, 1, 'a'), { report: REPORT })).written).toBe(false);
    expect((await store.fail(claimOf(id, 1, 'a'), { code: 'VRD_ERR_JOB_INTERNAL', message: 'late' })).written).toBe(false);
    expect(await db.prisma.report.count({ where: { jobId: id } })).toBe(1);
    const job = await db.prisma.job.findUniqueOrThrow({ where: { id } });
    expect(job).toMatchObject({ status: 'done', outcome: 'ok', consistency: 'strong', error: null });
    expect((await store.claim(id, 'b', 60_000))).toEqual({ claimed: false, reason: 'finished' });
  });

  it('takes a job back when its lease expires, and ignores the old attempt afterwards', async () => {
    const id = await newJob();
    expect((await store.claim(id, 'a', 60_000)).claimed).toBe(true);
    expect(await store.claim(id, 'b', 60_000)).toEqual({ claimed: false, reason: 'leased' });
    await db.prisma.$executeRaw`UPDATE jobs SET heartbeat_at = now() - interval '1 hour' WHERE id = ${id}::uuid`;
    expect(await store.findRecoverable(1_000, 100)).toContainEqual({ id, parentId: null, action: 'job' });
    const second = await store.claim(id, 'b', 1_000);
    expect(second.claimed && second.job.attempt).toBe(2);
    expect(await store.heartbeat(claimOf(id, 1, 'a'))).toBe('lost');
    expect((await store.complete(claimOf(id, 1, 'a'), { report: REPORT })).written).toBe(false);
    expect((await store.complete(claimOf(id, 2, 'b'), { report: REPORT })).written).toBe(true);
  });

  it('fails a job whose attempts are used up by workers that died', async () => {
    const id = await newJob(2);
    for (let attempt = 1; attempt <= 2; attempt++) {
      expect((await store.claim(id, `w${attempt}`, 1_000)).claimed).toBe(true);
      await db.prisma.$executeRaw`UPDATE jobs SET heartbeat_at = now() - interval '1 hour' WHERE id = ${id}::uuid`;
    }
    expect(await store.claim(id, 'w3', 1_000)).toEqual({ claimed: false, reason: 'attempts-exhausted' });
    const job = await db.prisma.job.findUniqueOrThrow({ where: { id } });
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({ code: 'VRD_ERR_JOB_ATTEMPTS' });
  });

  it('tells a running job it was cancelled, and gives a released job back to the queue', async () => {
    const id = await newJob();
    expect((await store.claim(id, 'a', 60_000)).claimed).toBe(true);
    expect(await store.heartbeat(claimOf(id, 1, 'a'), { phase: 'checking', done: 1, total: 2 })).toBe('ok');
    expect((await db.prisma.job.findUniqueOrThrow({ where: { id } })).progress).toEqual({ phase: 'checking', done: 1, total: 2 });
    await store.release(claimOf(id, 1, 'a'));
    expect((await db.prisma.job.findUniqueOrThrow({ where: { id } })).status).toBe('queued');
    expect((await store.claim(id, 'b', 60_000)).claimed).toBe(true);
    await db.prisma.job.update({ where: { id }, data: { status: 'cancelled' } });
    expect(await store.heartbeat(claimOf(id, 2, 'b'))).toBe('cancelled');
    expect((await store.complete(claimOf(id, 2, 'b'), { report: REPORT })).written).toBe(false);
  });

  it('splits a job into parts and merges it once every part finished', async () => {
    const id = await newJob();
    expect((await store.claim(id, 'a', 60_000)).claimed).toBe(true);
    const parts = await store.createParts(claimOf(id, 1, 'a'), [
      { history: HISTORY, spec: { model: 'register' }, keys: ['x'] },
      { history: HISTORY, spec: { model: 'register' }, keys: ['y'] },
    ]);
    expect(parts).toHaveLength(2);
    expect(await store.claim(id, 'b', 1)).toEqual({ claimed: false, reason: 'leased' });
    expect(await store.claimMerge(id, 'b', 60_000)).toEqual({ claimed: false, reason: 'parts-pending' });
    const recoverable = await store.findRecoverable(60_000, 100);
    expect(recoverable.filter((r) => r.parentId === id).map((r) => r.id).sort()).toEqual([...parts].sort());
    for (const [i, partId] of parts.entries()) {
      const c = await store.claim(partId, 'p', 60_000);
      expect(c.claimed && c.job.partIndex).toBe(i);
      const done = await store.complete(claimOf(partId, 1, 'p'), { report: REPORT });
      expect(done.parentReady).toBe(i === parts.length - 1 ? id : undefined);
    }
    expect((await db.prisma.job.findUniqueOrThrow({ where: { id } })).progress).toEqual({ phase: 'parts', done: 2, total: 2 });
    expect(await store.findRecoverable(60_000, 100)).toContainEqual({ id, parentId: null, action: 'merge' });
    const merge = await store.claimMerge(id, 'm', 60_000);
    expect(merge.claimed).toBe(true);
    expect(await store.claimMerge(id, 'm2', 60_000)).toEqual({ claimed: false, reason: 'parts-pending' });
    const outcomes = await store.partOutcomes(id);
    expect(outcomes.map((o) => o.status)).toEqual(['done', 'done']);
    expect((await store.complete(claimOf(id, merge.claimed ? merge.job.attempt : 0, 'm'), { report: REPORT })).written).toBe(true);
  });
});
