import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { VerdictError, type Report } from '@verdict/checker';
import { InProcessRunner, type JobExecutor, type RunnerLog } from '@verdict/workers';
import { openDatabase, type Database } from '../src/db/database.js';
import { PrismaJobStore } from '../src/store/prisma-job-store.js';
import { freshDatabase, requireService } from './support/services.js';

const pgUp = await requireService('postgres');

const REPORT: Report = {
  version: 1,
  kind: 'single-object',
  history: { events: 0, operations: 0, processes: 0, faults: 0 },
  verdict: { outcome: 'ok', summary: 'fake' },
  elapsedMs: 0,
};

describe.runIf(pgUp)('the in-process runner', () => {
  let db: Database;
  let drop: () => Promise<void>;
  const logged: string[] = [];
  const log: RunnerLog = { info: (m) => logged.push(m), warn: (m) => logged.push(m), error: (m) => logged.push(m) };

  beforeAll(async () => {
    const fresh = await freshDatabase('in_process');
    drop = fresh.drop;
    db = await openDatabase({ databaseUrl: fresh.url, dataDir: '/nonexistent' });
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  const runner = (execute: JobExecutor, concurrency = 2): InProcessRunner =>
    new InProcessRunner({ store: new PrismaJobStore(db.prisma), execute, workerId: 'runner', leaseMs: 300, log }, { concurrency, retryDelayMs: 50, recoverEveryMs: 200 });
  const job = (spec: Record<string, unknown> = {}) => db.prisma.job.create({ data: { kind: 'check', spec: spec as object } });
  const settled = async (ids: string[], timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await db.prisma.job.findMany({ where: { id: { in: ids } } });
      if (rows.every((r) => ['done', 'failed', 'cancelled'].includes(r.status))) return rows;
      if (Date.now() > deadline) throw new Error(`not settled: ${rows.map((r) => r.status).join(',')}`);
      await sleep(30);
    }
  };

  it('takes back, at start, jobs nobody queued and jobs a dead process left running', async () => {
    const queued = await job();
    const orphan = await job();
    await db.prisma.$executeRaw`UPDATE jobs SET status = 'running', attempts = 1, claimed_by = 'dead', heartbeat_at = now() - interval '1 minute' WHERE id = ${orphan.id}::uuid`;
    const r = runner(async () => ({ type: 'report', report: REPORT }));
    await r.start();
    const rows = await settled([queued.id, orphan.id]);
    await r.stop();
    expect(rows.map((x) => [x.status, x.attempts]).sort()).toEqual([['done', 1], ['done', 2]]);
  });

  it('retries a transient error, fails an input error at once, and never runs more than its concurrency', async () => {
    let running = 0;
    let most = 0;
    const seen = new Map<string, number>();
    const r = runner(async (j) => {
      running++;
      most = Math.max(most, running);
      seen.set(j.id, (seen.get(j.id) ?? 0) + 1);
      await sleep(40);
      running--;
      if (j.spec.kind === 'flaky' && j.attempt === 1) throw new Error('database hiccup');
      if (j.spec.kind === 'bad') throw new VerdictError('VRD_ERR_MODEL_UNKNOWN', '"teapot"');
      return { type: 'report', report: REPORT };
    });
    await r.start();
    const flaky = await job({ kind: 'flaky' });
    const bad = await job({ kind: 'bad' });
    const fine = await Promise.all([job(), job(), job(), job()]);
    for (const j of [flaky, bad, ...fine]) r.enqueue(j.id);
    const rows = await settled([flaky.id, bad.id, ...fine.map((f) => f.id)]);
    await r.stop();
    const byId = new Map(rows.map((x) => [x.id, x]));
    expect(byId.get(flaky.id)).toMatchObject({ status: 'done', attempts: 2 });
    expect(byId.get(bad.id)).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'VRD_ERR_MODEL_UNKNOWN', status: 400 } });
    expect(fine.every((f) => byId.get(f.id)!.status === 'done' && seen.get(f.id) === 1)).toBe(true);
    expect(most).toBeLessThanOrEqual(2);
    expect(most).toBeGreaterThan(1);
  });

  it('fails a job after its last attempt, telling the reader what happened but not an internal message', async () => {
    const r = runner(async () => {
      throw new Error('Invalid `tx.report.create()` invocation in /srv/verdict/api/src/store/prisma-job-store.ts:97');
    });
    await r.start();
    const j = await db.prisma.job.create({ data: { kind: 'check', spec: {}, maxAttempts: 2 } });
    r.enqueue(j.id);
    const [row] = await settled([j.id]);
    await r.stop();
    expect(row).toMatchObject({ status: 'failed', attempts: 2, error: { code: 'VRD_ERR_JOB_ATTEMPTS', status: 500 } });
    const message = (row!.error as { message: string }).message;
    expect(message).toMatch(/^failed after 2 attempt\(s\): an internal error \(the worker log has its cause/);
    expect(message).not.toContain('/srv/verdict');
    expect(logged.some((l) => l === 'job attempt failed')).toBe(true);
  });

  it('stops a running job that is cancelled, and writes nothing for it', async () => {
    let aborted = false;
    const r = runner(async (_j, context) => {
      await new Promise<void>((resolve) => context.signal.addEventListener('abort', () => resolve(), { once: true }));
      aborted = true;
      return { type: 'report', report: REPORT };
    });
    await r.start();
    const j = await job();
    r.enqueue(j.id);
    for (let i = 0; i < 100 && (await db.prisma.job.findUniqueOrThrow({ where: { id: j.id } })).status !== 'running'; i++) await sleep(20);
    await db.prisma.job.update({ where: { id: j.id }, data: { status: 'cancelled' } });
    for (let i = 0; i < 100 && !aborted; i++) await sleep(20);
    await r.stop();
    expect(aborted).toBe(true);
    expect(await db.prisma.report.count({ where: { jobId: j.id } })).toBe(0);
    expect(logged).toContain('job cancelled while running');
  });
});
