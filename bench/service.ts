/**
 * The service's speed, each figure measured in one run (machines here are noisy):
 * - submit-to-verdict for a 1,000-operation history (target under 1 s), through HTTP, the
 *   database and the in-process runner, until the server-sent `end` event;
 * - `GET /jobs/:id/report` with autocannon on loopback (target at least 2,000 requests/s);
 * - 1,000 queued protocol runs of 500 operations drained by 2 `verdict worker` processes on
 *   Redis, in jobs/s;
 * - 50 clients uploading and polling for 60 s (service-load.ts), against `npm start`'s embedded
 *   mode and against Postgres + Redis with 2 workers: p50/p99 latencies and every error.
 * VERDICT_BENCH_ONLY=load runs the load test alone.
 * The servers and workers run as child processes, as in production; Postgres and Redis are the
 * machine's (a fresh database and a unique queue per run, removed at the end).
 */
import { rm } from 'node:fs/promises';
import autocannon from 'autocannon';
import { Queue } from 'bullmq';
import pg from 'pg';
import { spawnTs, type Child } from '../api/test/support/processes.js';
import { loadTest } from './service-load.js';
import { POSTGRES_ADMIN_URL, REDIS_URL, freshDatabase, uniqueQueue } from '../api/test/support/services.js';

const SUBMITS = 20;
const DATA_DIR = `/tmp/verdict-bench-${process.pid}`;
const QUEUED_JOBS = 1_000;

export async function bench(): Promise<void> {
  const database = await freshDatabase('bench').catch((e: unknown) => {
    console.log(`skipped: the service bench needs Postgres at ${POSTGRES_ADMIN_URL} (${String(e)})`);
    return undefined;
  });
  if (database === undefined) return;
  const children: Child[] = [];
  try {
    if (process.env.VERDICT_BENCH_ONLY !== 'load') {
      const server = verdict(['serve', '--port', '0'], { DATABASE_URL: database.url, REDIS_URL: '', VERDICT_RATE_LIMIT: '0', VERDICT_LOG: 'warn', VERDICT_DATA_DIR: DATA_DIR }, children);
      const url = (await server.waitFor(/Verdict listening on (\S+)/))[1]!;
      const token = (await server.waitFor(/admin token \(written to \S+, mode 0600\): (vrd_\S+)/))[1]!;
      const reportId = await submitToVerdict(url, token);
      await reportThroughput(url, token, reportId);
      await server.stop();
      await drainQueuedRuns(children);
    }
    await loadEmbedded(children);
    await loadRedis(children);
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await database.drop();
    await rm(DATA_DIR, { recursive: true, force: true });
  }
}

/** A 1,000-operation cas-register history, linearizable by construction: pairs overlap, reads see the last write. */
function thousandOpHistory(): string {
  const lines: string[] = [];
  let value = 0;
  for (let i = 0; i < 500; i++) {
    const [a, b] = [(i * 2) % 10, (i * 2 + 1) % 10];
    lines.push(JSON.stringify({ process: a, type: 'invoke', f: 'write', value: i + 1 }), JSON.stringify({ process: b, type: 'invoke', f: 'read', value: null }));
    lines.push(JSON.stringify({ process: b, type: 'ok', f: 'read', value }), JSON.stringify({ process: a, type: 'ok', f: 'write', value: i + 1 }));
    value = i + 1;
  }
  return `${lines.join('\n')}\n`;
}

async function submitToVerdict(url: string, token: string): Promise<string> {
  const body = thousandOpHistory();
  const times: number[] = [];
  let id = '';
  for (let i = 0; i < SUBMITS; i++) {
    const started = performance.now();
    const res = await fetch(`${url}/jobs?model=cas-register&init=0&format=jsonl`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, body });
    id = ((await res.json()) as { id: string }).id;
    const events = await fetch(`${url}/jobs/${id}/events`, { headers: { authorization: `Bearer ${token}` } });
    const text = await events.text();
    if (!/event: end\ndata: \{"status":"done","outcome":"ok"\}/.test(text)) throw new Error(`unexpected end of job ${id}: ${text.slice(-200)}`);
    times.push(performance.now() - started);
  }
  const warm = [...times.slice(1)].sort((a, b) => a - b);
  const median = warm[Math.floor(warm.length / 2)]!;
  console.log(`submit-to-verdict, 1,000-op history (HTTP upload → Postgres → in-process runner → check → report → SSE end), ${SUBMITS} runs:`);
  console.log(`  first ${times[0]!.toFixed(0)} ms (cold), then median ${median.toFixed(0)} ms, worst ${warm.at(-1)!.toFixed(0)} ms (target < 1,000 ms: ${warm.at(-1)! < 1_000 ? 'met' : 'MISSED'})`);
  return id;
}

async function reportThroughput(url: string, token: string, id: string): Promise<void> {
  const result = await autocannon({ url: `${url}/jobs/${id}/report`, headers: { authorization: `Bearer ${token}` }, connections: 16, duration: 10 });
  const ok = result['2xx'];
  console.log(`GET /jobs/:id/report, autocannon 16 connections × 10 s on loopback (server in its own process):`);
  console.log(`  ${result.requests.average.toFixed(0)} requests/s (target ≥ 2,000: ${result.requests.average >= 2_000 ? 'met' : 'MISSED'}), latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${ok} answered 2xx, ${result.non2xx} not`);
}

async function drainQueuedRuns(children: Child[]): Promise<void> {
  const database = await freshDatabase('bench_queue');
  const { queueName, queuePrefix } = uniqueQueue('bench');
  const env = { DATABASE_URL: database.url, REDIS_URL, VERDICT_QUEUE: queueName, VERDICT_QUEUE_PREFIX: queuePrefix, VERDICT_RATE_LIMIT: '0', VERDICT_LOG: 'warn', VERDICT_DATA_DIR: DATA_DIR };
  const queue = new Queue(queueName, { connection: { url: REDIS_URL, maxRetriesPerRequest: 1 }, prefix: queuePrefix });
  try {
    await queue.waitUntilReady();
  } catch {
    console.log(`queued runs: skipped, needs Redis at ${REDIS_URL}`);
    await database.drop();
    return;
  }
  try {
    const server = verdict(['serve', '--port', '0'], env, children);
    const url = (await server.waitFor(/Verdict listening on (\S+)/))[1]!;
    const token = (await server.waitFor(/admin token \(written to \S+, mode 0600\): (vrd_\S+)/))[1]!;
    const protocols = ['paxos', '2pc', '3pc'];
    const submitStarted = performance.now();
    for (let i = 0; i < QUEUED_JOBS; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, QUEUED_JOBS - i) }, (_, k) => fetch(`${url}/jobs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ protocol: protocols[(i + k) % protocols.length], nemesis: 'partition-halves', seed: i + k, ops: 500 }),
      }).then((r) => {
        if (r.status !== 202) throw new Error(`submit answered ${r.status}`);
      })));
    }
    const submitMs = performance.now() - submitStarted;
    const workers = [0, 1].map(() => verdict(['worker', '--concurrency', '1'], env, children));
    await Promise.all(workers.map((w) => w.waitFor(/worker ready/)));
    const drainStarted = performance.now();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    let left = QUEUED_JOBS;
    while (left > 0) {
      await new Promise((r) => setTimeout(r, 250));
      left = Number((await client.query(`SELECT count(*) AS n FROM jobs WHERE status IN ('queued', 'running')`)).rows[0].n);
    }
    const drainMs = performance.now() - drainStarted;
    const outcomes = (await client.query(`SELECT status, outcome, count(*) AS n FROM jobs GROUP BY 1, 2 ORDER BY 1, 2`)).rows.map((r) => `${r.status}/${r.outcome ?? '-'} ${r.n}`);
    await client.end();
    console.log(`${QUEUED_JOBS} queued protocol runs (paxos, 2pc, 3pc × partition-halves, 500 ops each), 2 worker processes on Redis:`);
    console.log(`  submitted in ${(submitMs / 1000).toFixed(1)} s (${(QUEUED_JOBS / (submitMs / 1000)).toFixed(0)} jobs/s); drained in ${(drainMs / 1000).toFixed(1)} s: ${(QUEUED_JOBS / (drainMs / 1000)).toFixed(1)} jobs/s (${outcomes.join(', ')})`);
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await database.drop();
  }
}

/** The load test against `npm start` as it comes: embedded Postgres (PGlite), jobs in-process on threads. */
async function loadEmbedded(children: Child[]): Promise<void> {
  const dataDir = `${DATA_DIR}-load`;
  const server = verdict(['serve', '--port', '0'], { DATABASE_URL: '', REDIS_URL: '', VERDICT_RATE_LIMIT: '0', VERDICT_LOG: 'warn', VERDICT_DATA_DIR: dataDir }, children);
  try {
    const url = (await server.waitFor(/Verdict listening on (\S+)/, 120_000))[1]!;
    const token = (await server.waitFor(/admin token \(written to \S+, mode 0600\): (vrd_\S+)/))[1]!;
    await loadTest('embedded (PGlite, in-process runner on worker threads)', url, token);
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The load test against Postgres and Redis, with 2 `verdict worker` processes. */
async function loadRedis(children: Child[]): Promise<void> {
  const database = await freshDatabase('bench_load');
  const { queueName, queuePrefix } = uniqueQueue('bench-load');
  const env = { DATABASE_URL: database.url, REDIS_URL, VERDICT_QUEUE: queueName, VERDICT_QUEUE_PREFIX: queuePrefix, VERDICT_RATE_LIMIT: '0', VERDICT_LOG: 'warn', VERDICT_DATA_DIR: DATA_DIR };
  const queue = new Queue(queueName, { connection: { url: REDIS_URL, maxRetriesPerRequest: 1 }, prefix: queuePrefix });
  const mine: Child[] = [];
  try {
    await queue.waitUntilReady();
    const server = verdict(['serve', '--port', '0'], env, mine);
    const url = (await server.waitFor(/Verdict listening on (\S+)/))[1]!;
    const token = (await server.waitFor(/admin token \(written to \S+, mode 0600\): (vrd_\S+)/))[1]!;
    const workers = [0, 1].map(() => verdict(['worker', '--concurrency', '1'], env, mine));
    await Promise.all(workers.map((w) => w.waitFor(/worker ready/)));
    await loadTest('Postgres + Redis, 2 worker processes', url, token);
  } catch (e) {
    console.log(`load, Postgres + Redis: skipped or failed (${String(e)})`);
  } finally {
    await Promise.all(mine.map((c) => c.stop()));
    children.push(...mine.filter((c) => c.process.exitCode === null));
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await database.drop();
  }
}

/** `verdict ARGS` in a child process, as `npm run verdict` runs it; stopped at the end. */
function verdict(args: string[], env: Record<string, string>, children: Child[]): Child {
  const child = spawnTs('api/src/cli.ts', args, env);
  children.push(child);
  return child;
}
