import { FlowProducer, Queue } from 'bullmq';
import { JOB_NAME, JOB_OPTIONS, MERGE_NAME, bullmqJobId, connectionOf, queueNames, type BullmqQueueOptions } from './bullmq-options.js';

/** The BullMQ states in which a job will still be run without help. */
const LIVE_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/**
 * Puts job ids on the BullMQ queue: single jobs, split jobs as flows (the parts as children, the
 * merge as their parent, run once every part completed), and lone merges. Adds are idempotent:
 * a job id already on the queue is not added twice.
 */
export class BullmqDispatcher {
  private readonly queue: Queue;
  private readonly flows: FlowProducer;
  private readonly queueName: string;

  constructor(options: BullmqQueueOptions) {
    const { queueName, prefix } = queueNames(options);
    this.queueName = queueName;
    const connection = connectionOf(options);
    this.queue = new Queue(queueName, { connection, prefix });
    this.flows = new FlowProducer({ connection, prefix });
    // Connection errors surface in the calls that fail (and Redis reconnects); unhandled they would crash the process.
    this.queue.on('error', () => undefined);
    this.flows.on('error', () => undefined);
  }

  async enqueue(jobId: string): Promise<void> {
    await this.queue.add(JOB_NAME, { jobId }, { ...JOB_OPTIONS, jobId: bullmqJobId(jobId, 'job') });
  }

  async enqueueMerge(jobId: string): Promise<void> {
    await this.queue.add(MERGE_NAME, { jobId }, { ...JOB_OPTIONS, jobId: bullmqJobId(jobId, 'merge') });
  }

  /** One flow: every part is a child any worker can take; the merge runs after the last. */
  async enqueueParts(parentId: string, partIds: readonly string[]): Promise<void> {
    await this.flows.add({
      name: MERGE_NAME,
      queueName: this.queueName,
      data: { jobId: parentId },
      opts: { ...JOB_OPTIONS, jobId: bullmqJobId(parentId, 'merge') },
      children: partIds.map((id) => ({
        name: JOB_NAME,
        queueName: this.queueName,
        data: { jobId: id, parentId },
        // A part that fails for good must not block the merge: the merge reads the store and fails the job.
        opts: { ...JOB_OPTIONS, jobId: bullmqJobId(id, 'job'), ignoreDependencyOnFailure: true },
      })),
    });
  }

  /** True when BullMQ still holds the job in a state from which a worker will run it. */
  async isLive(jobId: string, action: 'job' | 'merge'): Promise<boolean> {
    const state = await this.queue.getJobState(bullmqJobId(jobId, action));
    return LIVE_STATES.has(state);
  }

  /** Drops a job that has not started (a cancelled one); a running job stops at its next heartbeat. */
  async remove(jobId: string): Promise<void> {
    try {
      await this.queue.remove(bullmqJobId(jobId, 'job'));
    } catch {
      // Locked by a worker: it will see the cancellation in the store.
    }
  }

  async counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed');
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.queue.close(), this.flows.close()]);
  }
}
