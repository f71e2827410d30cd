import type { History, Report } from '@verdict/checker';
import { JOB_ERROR_CODES, JobCancelledError, isPermanentJobError, toJobErrorInfo } from './job-errors.js';
import type { ClaimedJob, JobClaim, JobPart, JobProgress, JobStore, PartOutcome } from './job-store.js';
import { mergeReports } from './merge-reports.js';

/**
 * Runs one job: the executor does the work (parse, simulate, check); this module owns the
 * protocol around it, the same for the in-process runner and for BullMQ workers:
 * claim → heartbeat while running → write the result at most once → or fail, retry, split.
 */
export type JobExecutor = (job: ClaimedJob, context: ExecutionContext) => Promise<Execution>;

export interface ExecutionContext {
  /** Aborted when the job is cancelled or its lease is lost: stop and return. */
  signal: AbortSignal;
  progress(progress: JobProgress): void;
  /** True when parts of a split would run on other workers (BullMQ); in-process there is no gain. */
  canSplit: boolean;
}

/** What an executor returns: a report, or the parts a large check splits into. */
export type Execution =
  | { type: 'report'; report: Report; history?: History }
  | { type: 'split'; parts: JobPart[] };

/** A change a client may be following (server-sent events). `rootId` is the job the client submitted. */
export type JobEvent =
  | { type: 'status'; jobId: string; rootId: string; status: 'running' | 'done' | 'failed' | 'cancelled' | 'queued' }
  | { type: 'progress'; jobId: string; rootId: string; progress: JobProgress };

export interface RunnerLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface RunnerDeps {
  store: JobStore;
  execute: JobExecutor;
  workerId: string;
  /** A claim lives this long without a heartbeat; heartbeats come every third of it. */
  leaseMs: number;
  log: RunnerLog;
  /** Queues the parts of a split job (and its merge after them). Absent: jobs never split. */
  enqueueParts?(parentId: string, partIds: readonly string[]): Promise<void>;
  /** Queues the merge of a split job whose parts all finished. */
  enqueueMerge?(parentId: string): Promise<void>;
  onEvent?(event: JobEvent): void;
  /**
   * Lets the runner stop a running job at once when it learns of a cancel (the in-process runner
   * hears of it from the API), rather than at the next heartbeat. Returns the unsubscribe.
   */
  watchCancel?(jobId: string, cancel: () => void): () => void;
}

export type ProcessOutcome =
  | { kind: 'done' | 'failed' | 'cancelled' | 'split' | 'skipped' | 'ignored' }
  | { kind: 'released'; error: unknown };

const PROGRESS_EVERY_MS = 200;
/** Heartbeats also carry cancellation back to the runner, so they stay frequent even with long leases. */
const HEARTBEAT_EVERY_MS_MAX = 2_000;

export function heartbeatEveryMs(leaseMs: number): number {
  return Math.max(50, Math.min(HEARTBEAT_EVERY_MS_MAX, Math.floor(leaseMs / 3)));
}

export async function processJob(jobId: string, deps: RunnerDeps): Promise<ProcessOutcome> {
  const claimed = await deps.store.claim(jobId, deps.workerId, deps.leaseMs);
  if (!claimed.claimed) {
    deps.log.info('job not claimed', { jobId, reason: claimed.reason });
    return { kind: 'skipped' };
  }
  const job = claimed.job;
  return withLease(job, deps, async (claim, context) => {
    const execution = await deps.execute(job, { ...context, canSplit: deps.enqueueParts !== undefined && job.parentId === null });
    if (context.signal.aborted) return abortedOutcome(context.signal, claim, deps);
    if (execution.type === 'split') {
      const partIds = await deps.store.createParts(claim, execution.parts);
      await deps.enqueueParts!(job.id, partIds);
      deps.log.info('job split into parts', { jobId, parts: partIds.length });
      return { kind: 'split' };
    }
    return finish(claim, job, execution.report, execution.history, deps);
  });
}

/** Merges the reports of a split job's parts into the job's report. */
export async function processMerge(jobId: string, deps: RunnerDeps): Promise<ProcessOutcome> {
  const claimed = await deps.store.claimMerge(jobId, deps.workerId, deps.leaseMs);
  if (!claimed.claimed) {
    deps.log.info('merge not claimed', { jobId, reason: claimed.reason });
    return { kind: 'skipped' };
  }
  const job = claimed.job;
  return withLease(job, deps, async (claim, context) => {
    context.progress({ phase: 'merging' });
    const outcomes = await deps.store.partOutcomes(jobId);
    const broken = outcomes.find((o): o is Extract<PartOutcome, { status: 'failed' | 'cancelled' }> => o.status !== 'done');
    if (broken !== undefined) {
      const why = broken.error?.message ?? broken.status;
      const failed = await deps.store.fail(claim, { code: JOB_ERROR_CODES.part, message: `part ${broken.index + 1} of ${outcomes.length} ${broken.status}: ${why}`, status: broken.error?.status ?? 500 });
      return failed.written ? ended(deps, job, 'failed', failed.parentReady) : { kind: 'ignored' };
    }
    const report = mergeReports(outcomes.map((o) => (o as { report: Report }).report));
    return finish(claim, job, report, undefined, deps);
  });
}

type LeaseContext = Omit<ExecutionContext, 'canSplit'>;

/** Holds the job's lease (heartbeats) around `work`, and turns errors into fail / retry. */
async function withLease(job: ClaimedJob, deps: RunnerDeps, work: (claim: JobClaim, context: LeaseContext) => Promise<ProcessOutcome>): Promise<ProcessOutcome> {
  const claim: JobClaim = { jobId: job.id, attempt: job.attempt, workerId: deps.workerId };
  const controller = new AbortController();
  let latest: JobProgress | undefined;
  let lastEmit = 0;
  emitStatus(deps, job, 'running');
  const beat = setInterval(() => {
    deps.store.heartbeat(claim, latest).then((state) => {
      if (state === 'cancelled') controller.abort(new JobCancelledError(job.id));
      if (state === 'lost') controller.abort(new LeaseLostError(job.id));
    }, (e: unknown) => deps.log.warn('heartbeat failed', { jobId: job.id, error: String(e) }));
  }, heartbeatEveryMs(deps.leaseMs));
  beat.unref();
  const unwatch = deps.watchCancel?.(job.id, () => controller.abort(new JobCancelledError(job.id)));
  const context: LeaseContext = {
    signal: controller.signal,
    progress(progress) {
      latest = progress;
      const now = Date.now();
      if (now - lastEmit < PROGRESS_EVERY_MS) return;
      lastEmit = now;
      deps.onEvent?.({ type: 'progress', jobId: job.id, rootId: job.parentId ?? job.id, progress });
    },
  };
  try {
    return await work(claim, context);
  } catch (e) {
    if (controller.signal.aborted) return abortedOutcome(controller.signal, claim, deps);
    return failOrRelease(job, claim, e, deps);
  } finally {
    clearInterval(beat);
    unwatch?.();
  }
}

async function finish(claim: JobClaim, job: ClaimedJob, report: Report, history: History | undefined, deps: RunnerDeps): Promise<ProcessOutcome> {
  const written = await deps.store.complete(claim, history === undefined ? { report } : { report, history });
  if (!written.written) {
    deps.log.warn('second completion ignored: the job already has its result or another attempt owns it', { jobId: job.id, attempt: job.attempt });
    return { kind: 'ignored' };
  }
  return ended(deps, job, 'done', written.parentReady);
}

/** After the final write: tell followers, and queue the parent's merge when this was its last part. */
async function ended(deps: RunnerDeps, job: ClaimedJob, status: 'done' | 'failed', parentReady: string | undefined): Promise<ProcessOutcome> {
  emitStatus(deps, job, status);
  if (parentReady !== undefined && deps.enqueueMerge !== undefined) await deps.enqueueMerge(parentReady);
  return { kind: status };
}

async function failOrRelease(job: ClaimedJob, claim: JobClaim, e: unknown, deps: RunnerDeps): Promise<ProcessOutcome> {
  const info = toJobErrorInfo(e);
  if (isPermanentJobError(e)) {
    const failed = await deps.store.fail(claim, info);
    return failed.written ? ended(deps, job, 'failed', failed.parentReady) : { kind: 'ignored' };
  }
  deps.log.error('job attempt failed', { jobId: job.id, attempt: job.attempt, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  if (job.attempt >= job.maxAttempts) {
    const failed = await deps.store.fail(claim, { code: JOB_ERROR_CODES.attempts, message: `failed after ${job.attempt} attempt(s): ${info.message}`, status: 500 });
    return failed.written ? ended(deps, job, 'failed', failed.parentReady) : { kind: 'ignored' };
  }
  await deps.store.release(claim);
  emitStatus(deps, job, 'queued');
  return { kind: 'released', error: e };
}

function abortedOutcome(signal: AbortSignal, claim: JobClaim, deps: RunnerDeps): ProcessOutcome {
  const reason: unknown = signal.reason;
  if (reason instanceof JobCancelledError) {
    deps.log.info('job cancelled while running', { jobId: claim.jobId });
    return { kind: 'cancelled' };
  }
  deps.log.warn('lease lost: another attempt owns the job; this one writes nothing', { jobId: claim.jobId, attempt: claim.attempt });
  return { kind: 'ignored' };
}

function emitStatus(deps: RunnerDeps, job: ClaimedJob, status: 'running' | 'done' | 'failed' | 'cancelled' | 'queued'): void {
  deps.onEvent?.({ type: 'status', jobId: job.id, rootId: job.parentId ?? job.id, status });
}

class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  constructor(jobId: string) {
    super(`the lease on job ${jobId} was lost`);
  }
}
