export {};

// The job runner (src/queue): the protocol every job runs under, in-process or on BullMQ.
export type { ClaimResult, ClaimedJob, CompleteResult, JobClaim, JobErrorInfo, JobPart, JobProgress, JobResult, JobStore, PartOutcome, RecoverableJob } from './queue/job-store.js';
export { JOB_ERROR_CODES, JobCancelledError, isPermanentJobError, toJobErrorInfo } from './queue/job-errors.js';
export { heartbeatEveryMs, processJob, processMerge, type Execution, type ExecutionContext, type JobEvent, type JobExecutor, type ProcessOutcome, type RunnerDeps, type RunnerLog } from './queue/process-job.js';
export { mergeReports } from './queue/merge-reports.js';
export { InProcessRunner, type InProcessRunnerOptions } from './queue/in-process-runner.js';
export { DEFAULT_PREFIX, DEFAULT_QUEUE_NAME, type BullmqQueueOptions } from './queue/bullmq-options.js';
export { BullmqDispatcher } from './queue/bullmq-dispatcher.js';
export { BullmqJobWorker, type BullmqWorkerOptions } from './queue/bullmq-worker.js';
export { BullmqJobEvents } from './queue/bullmq-events.js';
export { Reconciler, type ReconcilerOptions } from './queue/reconciler.js';
