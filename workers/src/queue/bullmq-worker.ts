import { Worker, type Job } from 'bullmq';
import { BullmqDispatcher } from './bullmq-dispatcher.js';
import { MERGE_NAME, connectionOf, queueNames, type BullmqQueueOptions } from './bullmq-options.js';
import { processJob, processMerge, type JobEvent, type RunnerDeps } from './process-job.js';

export interface BullmqWorkerOptions extends BullmqQueueOptions {
  /** Jobs this process runs at once. */
  concurrency: number;
}

/** What a BullMQ job carries: only ids. */
interface QueuedJobData {
  jobId: string;
  parentId?: string;
}

/**
 * A worker process's consumer: takes job ids from BullMQ and runs them with the shared protocol
 * (claim, heartbeat, complete once). BullMQ's lock lasts one lease, so a worker killed mid-job
 * has its job moved back to wait by the stalled check; the store's attempt counter decides
 * whether it runs again. Progress and status changes go out as BullMQ progress events, which the
 * API relays to clients following the job.
 */
export class BullmqJobWorker {
  private readonly worker: Worker<QueuedJobData>;
  private readonly dispatcher: BullmqDispatcher;

  constructor(private readonly deps: Omit<RunnerDeps, 'enqueueParts' | 'enqueueMerge' | 'onEvent'>, options: BullmqWorkerOptions) {
    const { queueName, prefix } = queueNames(options);
    this.dispatcher = new BullmqDispatcher(options);
    this.worker = new Worker<QueuedJobData>(queueName, (job) => this.process(job), {
      connection: connectionOf(options),
      prefix,
      concurrency: options.concurrency,
      lockDuration: deps.leaseMs,
      stalledInterval: Math.max(500, Math.floor(deps.leaseMs / 2)),
      // The store counts attempts; BullMQ must not give up on a job on its own first.
      maxStalledCount: 1_000,
      autorun: false,
    });
    this.worker.on('error', (e) => deps.log.warn('bullmq worker error', { error: String(e) }));
  }

  /** Starts consuming; resolves once the worker is connected. */
  async start(): Promise<void> {
    void this.worker.run();
    await this.worker.waitUntilReady();
  }

  /** True while the consumer runs (for health checks). */
  isRunning(): boolean {
    return this.worker.isRunning();
  }

  /** Stops taking jobs and waits for the running ones to finish. */
  async close(): Promise<void> {
    await this.worker.close();
    await this.dispatcher.close();
  }

  private async process(job: Job<QueuedJobData>): Promise<string> {
    const deps: RunnerDeps = {
      ...this.deps,
      enqueueParts: (parentId, partIds) => this.dispatcher.enqueueParts(parentId, partIds),
      enqueueMerge: (parentId) => this.dispatcher.enqueueMerge(parentId),
      onEvent: (event: JobEvent) => {
        job.updateProgress({ event }).catch(() => undefined);
      },
    };
    const outcome = job.name === MERGE_NAME ? await processMerge(job.data.jobId, deps) : await processJob(job.data.jobId, deps);
    // Thrown so BullMQ retries with backoff; the store already has the job back as queued.
    if (outcome.kind === 'released') throw outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error));
    return outcome.kind;
  }
}
