import { processJob, processMerge, type RunnerDeps } from './process-job.js';

export interface InProcessRunnerOptions {
  /** Jobs run at once. */
  concurrency: number;
  /** Delay before a job given back after a transient error runs again. Default 1 s. */
  retryDelayMs?: number;
  /** How often to look in the store for jobs nobody runs (left by a crash). Default: the lease. */
  recoverEveryMs?: number;
}

/**
 * Runs jobs in the service's own process when there is no Redis (embedded mode), with the same
 * claim / heartbeat / complete protocol as BullMQ workers. Its queue is memory only: the store is
 * the truth, so at start and then periodically it takes back every job the store says nobody runs.
 */
export class InProcessRunner {
  private readonly waiting: { id: string; action: 'job' | 'merge' }[] = [];
  private readonly known = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly cancels = new Map<string, () => void>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  private readonly deps: Omit<RunnerDeps, 'enqueueParts' | 'enqueueMerge'>;

  constructor(deps: Omit<RunnerDeps, 'enqueueParts' | 'enqueueMerge' | 'watchCancel'>, private readonly options: InProcessRunnerOptions) {
    this.deps = {
      ...deps,
      watchCancel: (jobId, cancel) => {
        this.cancels.set(jobId, cancel);
        return () => this.cancels.delete(jobId);
      },
    };
  }

  /** Stops a running job now (its cancelled status is already stored); a waiting one is skipped at claim. */
  cancel(jobId: string): void {
    this.cancels.get(jobId)?.();
  }

  /** Jobs waiting for a free slot, and jobs running. */
  get counts(): { waiting: number; active: number } {
    return { waiting: this.waiting.length, active: this.running.size };
  }

  async start(): Promise<void> {
    await this.sweep();
    this.sweepTimer = setInterval(() => void this.sweep(), this.options.recoverEveryMs ?? this.deps.leaseMs);
    this.sweepTimer.unref();
  }

  enqueue(jobId: string, action: 'job' | 'merge' = 'job'): void {
    const key = `${action}:${jobId}`;
    if (this.stopped || this.known.has(key)) return;
    this.known.add(key);
    this.waiting.push({ id: jobId, action });
    this.pump();
  }

  /** Stops taking jobs and waits for the running ones (their leases simply expire if we are killed). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweepTimer !== undefined) clearInterval(this.sweepTimer);
    for (const t of this.timers) clearTimeout(t);
    this.waiting.length = 0;
    await Promise.allSettled([...this.running]);
  }

  private async sweep(): Promise<void> {
    if (this.stopped) return;
    try {
      const found = await this.deps.store.findRecoverable(this.deps.leaseMs, 1_000);
      for (const job of found) this.enqueue(job.id, job.action);
    } catch (e) {
      this.deps.log.warn('recovery sweep failed', { error: String(e) });
    }
  }

  private pump(): void {
    while (!this.stopped && this.running.size < this.options.concurrency && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      const task = this.run(next.id, next.action).finally(() => {
        this.running.delete(task);
        this.pump();
      });
      this.running.add(task);
    }
  }

  private async run(jobId: string, action: 'job' | 'merge'): Promise<void> {
    const key = `${action}:${jobId}`;
    try {
      const outcome = action === 'merge' ? await processMerge(jobId, this.deps) : await processJob(jobId, this.deps);
      this.known.delete(key);
      if (outcome.kind === 'released') this.retryLater(jobId);
    } catch (e) {
      // The store itself failed (database down): forget the job; the next sweep finds it again.
      this.known.delete(key);
      this.deps.log.error('job runner error', { jobId, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  }

  private retryLater(jobId: string): void {
    const delay = this.options.retryDelayMs ?? 1_000;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.enqueue(jobId);
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }
}
