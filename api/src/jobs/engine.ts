/**
 * What the service's jobs do with the checker and the simulator: the executor both runners call
 * (check a stored history, or run a protocol and check what it did), and the submission-time
 * pieces (inline ops parsed, a run spec validated before it is queued).
 */
import { historyFromRecords, isTransactionalHistory, readHistoryStream, resolveModel, type History, type HistoryFormat } from '@verdict/checker';
import { PROTOCOLS, resolveRunSpec, type ClaimedJob, type Execution, type ExecutionContext, type JobExecutor, type RunSpec } from '@verdict/workers';
import { ApiError } from '../errors.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { historyInfo, streamHistory } from '../store/history-store.js';
import { executeDatabaseTest } from './database-test-job.js';
import { checkLoaded, modelOptions, runProtocol, type CheckSpec } from './job-work.js';
import { splitHistory } from './split-history.js';

export type { CheckSpec };

export interface ExecutorOptions {
  /** Default time budget of a check. */
  checkTimeLimitMs: number;
  /** Checks of at least this many operations split by key when workers can share them. */
  splitThresholdOps: number;
  splitPartsMax: number;
  /** The databases that database-test jobs may reach, by name (`VERDICT_TARGETS`). */
  targets: Readonly<Record<string, string>>;
}

/** Reads a history given inline in a JSON request body (an array of op maps, however deep). */
export function parseInlineOps(ops: readonly unknown[], source: string): History {
  return historyFromRecords(ops, { format: 'json', source });
}

/** The executor both runners call: check a stored history, run a protocol, or test a database, and check what it did. */
export function createExecutor(prisma: PrismaClient, options: ExecutorOptions): JobExecutor {
  return async (job, context) => {
    if (job.kind === 'run') return executeRun(job, context);
    if (job.kind === 'test') return executeDatabaseTest(job, context, options.targets);
    return executeCheck(prisma, job, context, options);
  };
}

async function executeCheck(prisma: PrismaClient, job: ClaimedJob, context: ExecutionContext, options: ExecutorOptions): Promise<Execution> {
  const spec = job.spec as CheckSpec;
  context.progress({ phase: 'loading' });
  const history = await loadHistory(prisma, job.id);
  if (context.canSplit && history.operations.length >= options.splitThresholdOps && !isTransactionalHistory(history)) {
    const model = resolveModel(history, modelOptions(spec));
    const slices = splitHistory(history, model, options.splitPartsMax);
    if (slices.length > 1) {
      // Parts are stored as JSONL, which implies no model: name the one the whole history implied.
      const partSpec: CheckSpec = { ...spec, ...(model.spec !== undefined ? { model: model.spec.name, ...(model.spec.init !== undefined ? { init: model.spec.init } : {}) } : {}) };
      return { type: 'split', parts: slices.map((s) => ({ history: s.history, keys: s.keys, spec: { ...partSpec } as Record<string, unknown> })) };
    }
  }
  return { type: 'report', report: await checkLoaded(history, spec, options.checkTimeLimitMs, context) };
}

async function executeRun(job: ClaimedJob, context: ExecutionContext): Promise<Execution> {
  const result = await runProtocol(job.spec, context);
  return { type: 'report', report: result.report, history: result.history };
}

/** A stored history, read back from its JSONL chunks line by line. */
export async function loadHistory(prisma: PrismaClient, jobId: string): Promise<History> {
  const info = await historyInfo(prisma, jobId);
  const stream = await streamHistory(prisma, jobId);
  if (info === null || stream === undefined) throw new ApiError('VRD_ERR_JOB_NOT_FOUND', `job ${jobId} has no stored history`);
  const history = await readHistoryStream(stream, { format: 'jsonl', ...(info.source !== null ? { source: info.source } : {}) });
  // The checker reads some formats differently (Porcupine logs imply their model): keep the original.
  if (info.format !== 'jsonl' && info.format !== 'sim') history.format = info.format as HistoryFormat;
  return history;
}

/** Checks a run spec before it is queued, so a bad one is answered at submission with the field. */
export async function validateRunSpec(spec: Record<string, unknown>): Promise<void> {
  await resolveRunSpec(spec as unknown as RunSpec, PROTOCOLS);
}
