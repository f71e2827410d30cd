/**
 * Where a BullMQ queue lives and how its jobs are named. A queue carries only ids: the job
 * itself is in the store. Each test uses its own `queueName` (and `prefix`), so tests never share
 * Redis keys.
 */
export interface BullmqQueueOptions {
  /** `redis://host:port/db`. */
  redisUrl: string;
  /** Default `verdict-jobs`. */
  queueName?: string;
  /** Redis key prefix. Default `verdict`. */
  prefix?: string;
}

export const DEFAULT_QUEUE_NAME = 'verdict-jobs';
export const DEFAULT_PREFIX = 'verdict';

/** Names of the BullMQ jobs: `job` runs a stored job (or a part), `merge` merges a split job's parts. */
export const JOB_NAME = 'job';
export const MERGE_NAME = 'merge';

/** BullMQ job ids: the store's id for a job (idempotent adds), `merge-<id>` for its merge. */
export function bullmqJobId(jobId: string, action: 'job' | 'merge'): string {
  return action === 'merge' ? `merge-${jobId}` : jobId;
}

/**
 * Retries after transient errors; the store's attempt counter is what limits a job, so BullMQ
 * may retry generously. Finished BullMQ jobs are removed: the store keeps the outcome, and a
 * removed id can be added again by the reconciler.
 */
export const JOB_OPTIONS = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: true,
  removeOnFail: true,
} as const;

export function connectionOf(options: BullmqQueueOptions): { url: string; maxRetriesPerRequest: null } {
  return { url: options.redisUrl, maxRetriesPerRequest: null };
}

export function queueNames(options: BullmqQueueOptions): { queueName: string; prefix: string } {
  return { queueName: options.queueName ?? DEFAULT_QUEUE_NAME, prefix: options.prefix ?? DEFAULT_PREFIX };
}
