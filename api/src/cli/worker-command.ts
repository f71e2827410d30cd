import { writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { BullmqDispatcher, BullmqJobWorker, Reconciler } from '@verdict/workers';
import { loadConfig, type ServiceConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { createExecutor } from '../jobs/engine.js';
import { lineLog } from '../runner-log.js';
import { PrismaJobStore } from '../store/prisma-job-store.js';
import { EXIT, UsageError, type CliCommand } from './command.js';
import { waitForSignal } from './serve-command.js';

const USAGE = `Usage: verdict worker [options]

Runs jobs from the service's BullMQ queue and writes their results to Postgres. Start as many as
the load needs, on any machine that reaches the same Postgres and Redis. Needs DATABASE_URL and
REDIS_URL. A worker killed mid-job loses nothing: its job goes back to the queue when its lease
(VERDICT_LEASE_MS) expires, and runs again up to its attempt limit.

Options:
  --concurrency N     jobs this process runs at once (VERDICT_CONCURRENCY; default: cores - 1)
  --queue NAME        VERDICT_QUEUE (default verdict-jobs)
  --prefix P          VERDICT_QUEUE_PREFIX: Redis key prefix (default verdict)
  --no-reconcile      do not look for jobs Redis lost (the API does it too)
  --health-file PATH  every 5 s, while Postgres answers and the consumer runs, write the time
                      to PATH (container health checks read its age)
  -h, --help          this text
Logs are JSON lines on stderr.
`;

const HEALTH_EVERY_MS = 5_000;

/** `verdict worker`: a BullMQ consumer of the service's jobs, until SIGINT or SIGTERM. */
export const workerCommand: CliCommand = {
  name: 'worker',
  summary: 'run service jobs from Redis (BullMQ); needs DATABASE_URL and REDIS_URL',
  usage: USAGE,
  async run(argv, io) {
    let config: ServiceConfig;
    let reconcile = true;
    let healthFile: string | undefined;
    try {
      const parsed = parseArgs({
        args: [...argv],
        options: { concurrency: { type: 'string' }, queue: { type: 'string' }, prefix: { type: 'string' }, 'no-reconcile': { type: 'boolean' }, 'health-file': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
        allowPositionals: false,
      });
      if (parsed.values.help === true) {
        io.out(USAGE);
        return EXIT.ok;
      }
      reconcile = parsed.values['no-reconcile'] !== true;
      healthFile = parsed.values['health-file'];
      const concurrency = parsed.values.concurrency === undefined ? undefined : Number(parsed.values.concurrency);
      if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1_024)) {
        throw new UsageError(`--concurrency must be an integer from 1 to 1024, got ${JSON.stringify(parsed.values.concurrency)}`);
      }
      config = loadConfig(process.env, {
        ...(concurrency !== undefined ? { concurrency } : {}),
        ...(parsed.values.queue !== undefined ? { queueName: parsed.values.queue } : {}),
        ...(parsed.values.prefix !== undefined ? { queuePrefix: parsed.values.prefix } : {}),
      });
      if (config.databaseUrl === undefined || config.redisUrl === undefined) {
        throw new UsageError('set DATABASE_URL and REDIS_URL: workers share the service\'s Postgres and Redis');
      }
    } catch (e) {
      io.err(`verdict worker: ${(e as Error).message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    const workerId = `worker@${hostname()}:${process.pid}`;
    const log = lineLog((line) => io.err(line), { worker: workerId });
    const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: config.concurrency + 2 });
    const store = new PrismaJobStore(db.prisma);
    const queue = { redisUrl: config.redisUrl!, queueName: config.queueName, prefix: config.queuePrefix };
    const worker = new BullmqJobWorker({
      store,
      execute: createExecutor(db.prisma, config),
      workerId,
      leaseMs: config.leaseMs,
      log,
    }, { ...queue, concurrency: config.concurrency });
    const dispatcher = reconcile ? new BullmqDispatcher(queue) : undefined;
    const reconciler = dispatcher === undefined ? undefined : new Reconciler(store, dispatcher, log, { everyMs: config.reconcileMs, leaseMs: config.leaseMs });
    await worker.start();
    reconciler?.start();
    log.info('worker ready', { queue: config.queueName, concurrency: config.concurrency });
    const health = healthFile === undefined ? undefined : setInterval(() => {
      db.prisma.$queryRaw`SELECT 1`
        .then(() => (worker.isRunning() ? writeFile(healthFile!, `${new Date().toISOString()}\n`) : undefined))
        .catch((e: unknown) => log.warn('health check failed', { error: String(e) }));
    }, HEALTH_EVERY_MS);
    await waitForSignal();
    clearInterval(health);
    log.info('worker stopping: finishing running jobs');
    await reconciler?.stop();
    await dispatcher?.close();
    await worker.close();
    await db.close();
    return EXIT.ok;
  },
};
