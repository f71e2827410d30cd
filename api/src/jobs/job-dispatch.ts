import { BullmqDispatcher, BullmqJobEvents, InProcessRunner, Reconciler, type JobExecutor, type JobStore, type RunnerLog } from '@verdict/workers';
import { Redis } from 'ioredis';
import type { ServiceConfig } from '../config.js';
import type { JobEventHub } from './job-events.js';

/** How the API hands stored jobs to whatever runs them: one switch, `REDIS_URL`. */
export interface JobDispatch {
  readonly mode: 'in-process' | 'redis';
  /** Never fails the request: the job is in Postgres, and a lost enqueue is found by the reconciler. */
  enqueue(jobId: string): Promise<void>;
  /** Takes a cancelled job off the queue; a running one stops at its next heartbeat. */
  cancel(jobId: string): Promise<void>;
  counts(): Promise<Record<string, number>>;
  /** Can jobs be handed on now? The in-process runner always can; Redis must answer. */
  health(): Promise<'ok' | 'down'>;
  close(): Promise<void>;
}

/** A health probe waits this long for Redis. */
const HEALTH_WAIT_MS = 1_000;

export interface DispatchDeps {
  config: ServiceConfig;
  store: JobStore;
  execute: JobExecutor;
  events: JobEventHub;
  log: RunnerLog;
  workerId: string;
}

/** A Redis call that does not answer in this time is left to the reconciler. */
const ENQUEUE_WAIT_MS = 2_000;

export async function startDispatch(deps: DispatchDeps): Promise<JobDispatch> {
  return deps.config.redisUrl === undefined ? startInProcess(deps) : startRedis(deps, deps.config.redisUrl);
}

async function startInProcess(deps: DispatchDeps): Promise<JobDispatch> {
  const runner = new InProcessRunner(
    { store: deps.store, execute: deps.execute, workerId: deps.workerId, leaseMs: deps.config.leaseMs, log: deps.log, onEvent: (e) => deps.events.emit(e) },
    { concurrency: deps.config.concurrency, recoverEveryMs: deps.config.reconcileMs },
  );
  await runner.start();
  return {
    mode: 'in-process',
    async enqueue(jobId) {
      runner.enqueue(jobId);
    },
    async cancel(jobId) {
      // Waiting jobs are skipped at claim time (their status is cancelled); a running one stops now.
      runner.cancel(jobId);
    },
    async counts() {
      return runner.counts;
    },
    async health() {
      return 'ok';
    },
    close: () => runner.stop(),
  };
}

/** How long closing waits for the Redis connections. */
const CLOSE_WAIT_MS = 5_000;

async function startRedis(deps: DispatchDeps, redisUrl: string): Promise<JobDispatch> {
  const queue = { redisUrl, queueName: deps.config.queueName, prefix: deps.config.queuePrefix };
  const dispatcher = new BullmqDispatcher(queue);
  const events = new BullmqJobEvents(queue, (e) => deps.events.emit(e));
  const reconciler = new Reconciler(deps.store, dispatcher, deps.log, { everyMs: deps.config.reconcileMs, leaseMs: deps.config.leaseMs });
  reconciler.start();
  const probe = new RedisProbe(redisUrl);
  return {
    mode: 'redis',
    async enqueue(jobId) {
      await bounded(dispatcher.enqueue(jobId), deps.log, jobId);
    },
    async cancel(jobId) {
      await bounded(dispatcher.remove(jobId), deps.log, jobId);
    },
    counts: () => dispatcher.counts(),
    health: () => probe.health(),
    async close() {
      // Bounded: BullMQ's connections wait for Redis forever by design, and one still reconnecting
      // after a Redis restart held shutdown for good (seen in the health test). Past the bound the
      // process goes on closing; Postgres holds every job, so nothing is lost.
      const closing = (async () => {
        await reconciler.stop();
        await Promise.allSettled([events.close(), dispatcher.close(), probe.close()]);
      })();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), CLOSE_WAIT_MS);
      });
      const result = await Promise.race([closing.then(() => 'closed' as const), late]);
      clearTimeout(timer);
      if (result === 'late') deps.log.warn(`the Redis connections did not close within ${CLOSE_WAIT_MS} ms: going on without them`, {});
    },
  };
}

/**
 * Its own connection for health probes: BullMQ's wait for Redis forever by design, and a probe
 * must say "down" soon while Redis is gone (one retry, and the probe waits no longer than HEALTH_WAIT_MS).
 */
class RedisProbe {
  private readonly redis: Redis;

  constructor(url: string) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1 });
    this.redis.on('error', () => undefined);
  }

  async health(): Promise<'ok' | 'down'> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'down'>((resolve) => {
      timer = setTimeout(() => resolve('down'), HEALTH_WAIT_MS);
    });
    const answer = this.redis.ping().then((pong) => (pong === 'PONG' ? 'ok' as const : 'down' as const), () => 'down' as const);
    try {
      return await Promise.race([answer, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

async function bounded(work: Promise<void>, log: RunnerLog, jobId: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  // The call may still finish after the wait: its outcome is logged, never left unhandled.
  const settled = work.then(() => 'ok' as const, (e: unknown) => {
    log.warn('redis call failed: the reconciler will queue the job', { jobId, error: String(e) });
    return 'failed' as const;
  });
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ENQUEUE_WAIT_MS);
  });
  const result = await Promise.race([settled, timeout]);
  clearTimeout(timer);
  if (result === 'timeout') log.warn('redis did not answer: the reconciler will queue the job', { jobId });
}
