/**
 * A worker process for the fault tests: the real BullMQ consumer, store and executor, with every
 * job held for SLOW_WORKER_DELAY_MS first, so that a test can kill (or freeze) it mid-job.
 * Environment: DATABASE_URL, REDIS_URL, VERDICT_QUEUE, VERDICT_QUEUE_PREFIX, VERDICT_LEASE_MS,
 * SLOW_WORKER_DELAY_MS, SLOW_WORKER_ID, SLOW_WORKER_CONCURRENCY.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { BullmqJobWorker, type JobExecutor } from '@verdict/workers';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { createExecutor } from '../../src/jobs/engine.js';
import { lineLog } from '../../src/runner-log.js';
import { PrismaJobStore } from '../../src/store/prisma-job-store.js';

const config = loadConfig();
const delayMs = Number(process.env.SLOW_WORKER_DELAY_MS ?? 1_500);
const workerId = process.env.SLOW_WORKER_ID ?? `slow-${process.pid}`;
const log = lineLog((line) => process.stdout.write(line), { worker: workerId });
const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, migrate: false });
const real = createExecutor(db.prisma, config);
const execute: JobExecutor = async (job, context) => {
  log.info('job started', { jobId: job.id, attempt: job.attempt });
  context.progress({ phase: 'waiting' });
  await sleep(delayMs, undefined, { signal: context.signal }).catch(() => undefined);
  return real(job, context);
};
const worker = new BullmqJobWorker(
  { store: new PrismaJobStore(db.prisma), execute, workerId, leaseMs: config.leaseMs, log },
  { redisUrl: config.redisUrl!, queueName: config.queueName, prefix: config.queuePrefix, concurrency: Number(process.env.SLOW_WORKER_CONCURRENCY ?? 2) },
);
await worker.start();
log.info('worker ready');
process.once('SIGTERM', () => {
  void worker.close().then(() => db.close()).then(() => process.exit(0));
});
