import { BullmqDispatcher, BullmqJobEvents, InProcessRunner, Reconciler, type JobExecutor, type JobStore, type RunnerLog } from '@verdict/workers';
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
  close(): Promise<void>;
}

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
    close: () => runner.stop(),
  };
}

async function startRedis(deps: DispatchDeps, redisUrl: string): Promise<JobDispatch> {
  const queue = { redisUrl, queueName: deps.config.queueName, prefix: deps.config.queuePrefix };
  const dispatcher = new BullmqDispatcher(queue);
  const events = new BullmqJobEvents(queue, (e) => deps.events.emit(e));
  const reconciler = new Reconciler(deps.store, dispatcher, deps.log, { everyMs: deps.config.reconcileMs, leaseMs: deps.config.leaseMs });
  reconciler.start();
  return {
    mode: 'redis',
    async enqueue(jobId) {
      await bounded(dispatcher.enqueue(jobId), deps.log, jobId);
    },
    async cancel(jobId) {
      await bounded(dispatcher.remove(jobId), deps.log, jobId);
    },
    counts: () => dispatcher.counts(),
    async close() {
      await reconciler.stop();
      await Promise.allSettled([events.close(), dispatcher.close()]);
    },
  };
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
