import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '@verdict/checker';
import { anomalyRows } from '../src/store/report-rows.js';
import { corpus, sseEvents } from './support/http.js';
import { PrivateRedis, spawnTs, type Child } from './support/processes.js';
import { requireService, uniqueQueue } from './support/services.js';
import { testApp, type TestApp } from './support/test-app.js';

const ready = (await requireService('postgres')) && (await requireService('redis-server'));

const LEASE_MS = 2_000;
const FILES: [string, string, string][] = [
  ['knossos/cas-register/bad/cas-failure.edn', 'application/edn', '?model=cas-register&init=0'],
  ['knossos/cas-register/good/memstress3-1.edn', 'application/edn', '?model=cas-register&init=0'],
  ['porcupine/jepsen/etcd_000.log', 'text/plain', ''],
  ['porcupine/jepsen/etcd_002.log', 'text/plain', ''],
  ['porcupine/kv/c01-ok.txt', 'text/plain', ''],
  ['porcupine/kv/c01-bad.txt', 'text/plain', ''],
];

describe.runIf(ready)('nothing is lost or done twice', () => {
  const queue = uniqueQueue('faults');
  let redis: PrivateRedis;
  let t: TestApp;
  let auth: string;
  let env: Record<string, string>;
  const workers = new Map<string, Child>();

  const startWorker = async (id: string): Promise<Child> => {
    const child = spawnTs('api/test/support/slow-worker.ts', [], { ...env, SLOW_WORKER_ID: id });
    workers.set(id, child);
    await child.waitFor(/worker ready/);
    return child;
  };
  const submitAll = async (copies: number): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < copies; i++) {
      for (const [file, type, query] of FILES) {
        const res = await t.app.inject({ method: 'POST', url: `/jobs${query}`, headers: { authorization: auth, 'content-type': type }, payload: corpus(file) });
        expect(res.statusCode, res.body).toBe(202);
        ids.push(res.json().id as string);
      }
    }
    return ids;
  };
  const until = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await probe();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms\n${[...workers.values()].map((w) => w.output().slice(-1500)).join('\n---\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  /** Every job finished, each with exactly one report whose anomalies were stored once. */
  const expectEachDoneOnce = async (ids: string[]): Promise<void> => {
    const jobs = await t.db.prisma.job.findMany({ where: { id: { in: ids } }, include: { report: true, _count: { select: { anomalies: true } } } });
    expect(jobs).toHaveLength(ids.length);
    for (const job of jobs) {
      expect(job.status, job.id).toBe('done');
      expect(job.report, job.id).not.toBeNull();
      expect(job._count.anomalies, job.id).toBe(anomalyRows(job.report!.body as unknown as Report).length);
    }
    expect(await t.db.prisma.report.count({ where: { jobId: { in: ids } } })).toBe(ids.length);
  };

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    t = await testApp('queue_faults', { redisUrl: redis.url, ...queue, leaseMs: LEASE_MS, reconcileMs: 500, maxAttempts: 5 });
    auth = await t.token(['submit']);
    env = {
      DATABASE_URL: t.deps.config.databaseUrl!,
      REDIS_URL: redis.url,
      VERDICT_QUEUE: queue.queueName,
      VERDICT_QUEUE_PREFIX: queue.queuePrefix,
      VERDICT_LEASE_MS: String(LEASE_MS),
      SLOW_WORKER_DELAY_MS: '1500',
    };
    await Promise.all([startWorker('A'), startWorker('B')]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([...workers.values()].map((w) => w.stop('SIGKILL')));
    await t?.close();
    await redis?.kill();
  });

  it('survives a worker killed -9 mid-job and Redis restarted empty: every job finishes exactly once', async () => {
    const ids = await submitAll(2);
    const held = await until('a job running on worker A', async () => (await t.db.prisma.job.findFirst({ where: { status: 'running', claimedBy: 'A' } })) ?? undefined);
    await workers.get('A')!.stop('SIGKILL');
    await redis.restart();
    await startWorker('C');
    await until('every job finished', async () => ((await t.db.prisma.job.count({ where: { id: { in: ids }, status: { in: ['queued', 'running'] } } })) === 0 ? true : undefined));
    await expectEachDoneOnce(ids);
    const retried = await t.db.prisma.job.findUniqueOrThrow({ where: { id: held.id } });
    expect(retried.attempts).toBeGreaterThanOrEqual(2);
    expect(retried.claimedBy).not.toBe('A');
  }, 150_000);

  it('a frozen worker that lost its lease cannot write a second result when it wakes; progress reaches followers through Redis', async () => {
    const ids = await submitAll(1);
    const id = ids[0]!;
    // The last job starts seconds from now: its follower is listening before any worker takes it.
    const follow = t.app.inject({ method: 'GET', url: `/jobs/${ids.at(-1)!}/events`, headers: { authorization: auth } });
    const holder = await until('the job claimed', async () => (await t.db.prisma.job.findFirst({ where: { id, status: 'running' } }))?.claimedBy ?? undefined);
    const frozen = workers.get(holder)!;
    frozen.process.kill('SIGSTOP');
    await until('the job done by another worker', async () => {
      const job = await t.db.prisma.job.findUniqueOrThrow({ where: { id } });
      return job.status === 'done' ? job : undefined;
    });
    frozen.process.kill('SIGCONT');
    await frozen.waitFor(/lease lost|second completion ignored/, 30_000);
    const job = await t.db.prisma.job.findUniqueOrThrow({ where: { id } });
    expect(job.claimedBy).not.toBe(holder);
    const events = sseEvents((await follow).body);
    expect(events.some((e) => e.event === 'progress' && (e.data as { phase?: string }).phase === 'waiting'), JSON.stringify(events)).toBe(true);
    expect(events.at(-1)?.event).toBe('end');
    await until('every job finished', async () => ((await t.db.prisma.job.count({ where: { id: { in: ids }, status: { in: ['queued', 'running'] } } })) === 0 ? true : undefined));
    await expectEachDoneOnce(ids);
  }, 120_000);
});
