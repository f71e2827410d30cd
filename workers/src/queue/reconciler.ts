import type { BullmqDispatcher } from './bullmq-dispatcher.js';
import type { JobStore } from './job-store.js';
import type { RunnerLog } from './process-job.js';

export interface ReconcilerOptions {
  /** How often to compare the store with the queue. */
  everyMs: number;
  /** The job lease: a running job whose heartbeat is older has lost its worker. */
  leaseMs: number;
  /** Jobs looked at per pass. Default 1,000. */
  batchMax?: number;
}

/**
 * Puts back on the queue every job the store says must run but the queue does not hold: Redis
 * restarted empty, a worker was killed -9, an add was lost between the database write and Redis.
 * Re-adding is safe because adds are idempotent by job id and a job is claimed in the store
 * before it runs, so a job that is found twice still runs once.
 */
export class Reconciler {
  private timer: NodeJS.Timeout | undefined;
  private passing: Promise<number> | undefined;

  constructor(
    private readonly store: JobStore,
    private readonly dispatcher: BullmqDispatcher,
    private readonly log: RunnerLog,
    private readonly options: ReconcilerOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.pass(), this.options.everyMs);
    this.timer.unref();
    void this.pass();
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.passing?.catch(() => undefined);
  }

  /** One comparison; returns how many jobs were put back. Overlapping calls share one pass. */
  pass(): Promise<number> {
    this.passing ??= this.runPass().finally(() => {
      this.passing = undefined;
    });
    return this.passing;
  }

  private async runPass(): Promise<number> {
    let requeued = 0;
    try {
      const jobs = await this.store.findRecoverable(this.options.leaseMs, this.options.batchMax ?? 1_000);
      for (const job of jobs) {
        if (await this.dispatcher.isLive(job.id, job.action)) continue;
        if (job.action === 'merge') await this.dispatcher.enqueueMerge(job.id);
        else await this.dispatcher.enqueue(job.id);
        requeued++;
        this.log.warn('job missing from the queue: put back', { jobId: job.id, action: job.action });
      }
    } catch (e) {
      this.log.warn('reconciler pass failed', { error: String(e) });
    }
    return requeued;
  }
}
