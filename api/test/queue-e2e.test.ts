import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpus } from './support/http.js';
import { spawnTs, type Child } from './support/processes.js';
import { REDIS_URL, requireService, uniqueQueue } from './support/services.js';
import { testApp, waitForJob, type TestApp } from './support/test-app.js';

const ready = (await requireService('postgres')) && (await requireService('redis'));

describe.runIf(ready)('two worker processes on Redis', () => {
  const queue = uniqueQueue('e2e');
  let t: TestApp;
  let auth: string;
  const workers: Child[] = [];

  beforeAll(async () => {
    t = await testApp('queue_e2e', { redisUrl: REDIS_URL, ...queue, leaseMs: 5_000 });
    auth = await t.token(['submit']);
    for (let i = 0; i < 2; i++) {
      workers.push(spawnTs('api/src/cli.ts', ['worker', '--concurrency', '1', '--queue', queue.queueName, '--prefix', queue.queuePrefix], {
        DATABASE_URL: t.deps.config.databaseUrl!,
        REDIS_URL,
        VERDICT_LEASE_MS: '5000',
        // Low enough that the kv histories below split into parts that both workers share.
        VERDICT_SPLIT_OPS: '200',
        VERDICT_SPLIT_PARTS: '4',
      }));
    }
    await Promise.all(workers.map((w) => w.waitFor(/worker ready/)));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await t?.close();
  });

  it('runs every job once, splits large checks into parts both workers take, and merges them', async () => {
    const submit = async (url: string, file: string, type: string): Promise<string> => {
      const res = await t.app.inject({ method: 'POST', url, headers: { authorization: auth, 'content-type': type }, payload: corpus(file) });
      expect(res.statusCode, res.body).toBe(202);
      return res.json().id as string;
    };
    const jobs = {
      splitOk: await submit('/jobs?source=c10-ok.txt', 'porcupine/kv/c10-ok.txt', 'text/plain'),
      splitBad: await submit('/jobs?source=c10-bad.txt', 'porcupine/kv/c10-bad.txt', 'text/plain'),
      casBad: await submit('/jobs?model=cas-register&init=0', 'knossos/cas-register/bad/cas-failure.edn', 'application/edn'),
      casGood: await submit('/jobs?model=cas-register&init=0', 'knossos/cas-register/good/memstress3-1.edn', 'application/edn'),
      etcdOk: await submit('/jobs', 'porcupine/jepsen/etcd_002.log', 'text/plain'),
      etcdBad: await submit('/jobs', 'porcupine/jepsen/etcd_000.log', 'text/plain'),
    };
    const expected = { splitOk: 'ok', splitBad: 'violated', casBad: 'violated', casGood: 'ok', etcdOk: 'ok', etcdBad: 'violated' };
    for (const [name, id] of Object.entries(jobs)) {
      const job = await waitForJob(t.app, auth, id, 90_000);
      expect(job, `${name}\n${workers.map((w) => w.output().slice(-2000)).join('\n')}`).toMatchObject({ status: 'done', outcome: expected[name as keyof typeof expected] });
    }
    const rows = await t.db.prisma.job.findMany({ include: { report: { select: { id: true } } } });
    const parts = rows.filter((r) => r.parentId !== null);
    for (const parent of [jobs.splitOk, jobs.splitBad]) {
      const mine = parts.filter((p) => p.parentId === parent);
      expect(mine.length).toBeGreaterThan(1);
      expect(rows.find((r) => r.id === parent)!.partsTotal).toBe(mine.length);
      expect(mine.every((p) => p.status === 'done')).toBe(true);
    }
    const merged = (await t.app.inject({ method: 'GET', url: `/jobs/${jobs.splitBad}/report`, headers: { authorization: auth } })).json();
    expect(merged.verdict.summary).toMatch(/checked in \d+ parts by key/);
    expect(merged.linearizability.outcome).toBe('illegal');
    // Every job and part has exactly one report, and both worker processes ran some of them.
    expect(rows.every((r) => r.status === 'done' && r.report !== null)).toBe(true);
    expect(await t.db.prisma.report.count()).toBe(rows.length);
    expect(new Set(rows.map((r) => r.claimedBy)).size).toBeGreaterThanOrEqual(2);
    const listed = (await t.app.inject({ method: 'GET', url: '/jobs?limit=200', headers: { authorization: auth } })).json().jobs;
    expect(listed).toHaveLength(Object.keys(jobs).length);
    expect((await t.app.inject({ method: 'GET', url: '/jobs?limit=200&parts=true', headers: { authorization: auth } })).json().jobs).toHaveLength(rows.length);
  }, 150_000);
});
