/**
 * What the service's jobs do with the checker and the simulator: the executor both runners call
 * (check a stored history, or run a protocol and check what it did), and the submission-time
 * pieces (inline ops parsed, a run spec validated before it is queued).
 */
import {
  checkHistory,
  historyFromRecords,
  isTransactionalHistory,
  readHistoryStream,
  resolveModel,
  type History,
  type HistoryFormat,
  type Report,
} from '@verdict/checker';
import { PROTOCOLS, resolveRunSpec, run, type ClaimedJob, type Execution, type ExecutionContext, type JobExecutor, type JobProgress, type RunSpec } from '@verdict/workers';
import { ApiError } from '../errors.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { historyInfo, streamHistory } from '../store/history-store.js';
import { executeDatabaseTest } from './database-test-job.js';
import { splitHistory } from './split-history.js';

/** The options of a check job, as stored in `jobs.spec`. */
export interface CheckSpec {
  model?: string;
  init?: unknown;
  format?: HistoryFormat;
  source?: string;
  /** Check every consistency level, not only linearizability (as `verdict check --levels`). Default false. */
  levels?: boolean;
  timeLimitMs?: number;
  /** Set on the parts of a split check. */
  keys?: string[];
}

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
  const report = await checkHistory(history, {
    ...modelOptions(spec),
    levels: spec.levels ?? false,
    timeLimitMs: spec.timeLimitMs ?? options.checkTimeLimitMs,
    signal: context.signal,
    onProgress: (p) => context.progress({ phase: 'checking', done: p.partitionsDone, total: p.partitionsTotal }),
  });
  return { type: 'report', report: labelled(report, spec) };
}

async function executeRun(job: ClaimedJob, context: ExecutionContext): Promise<Execution> {
  const result = await runProtocol(job.spec, { signal: context.signal, onProgress: (p) => context.progress(p) });
  return { type: 'report', report: result.report, history: result.history };
}

/** A stored history, read back from its JSONL chunks line by line. */
async function loadHistory(prisma: PrismaClient, jobId: string): Promise<History> {
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

async function runProtocol(
  spec: Record<string, unknown>,
  options: { signal: AbortSignal; onProgress(p: JobProgress): void },
): Promise<{ history: History; report: Report }> {
  const result = await run(spec as unknown as RunSpec, {
    signal: options.signal,
    onProgress: (p) => options.onProgress({
      phase: p.stage === 'simulate' ? `simulating${p.phase !== undefined ? ` (${p.phase})` : ''}` : 'checking',
      done: p.done,
      total: p.total,
    }),
  });
  // The run's facts (availability, the fault schedule, the command that replays it) travel with the report.
  const report = { ...result.report, run: { headline: result.headline, ...result.facts } } as Report;
  return { history: result.history, report };
}

function modelOptions(spec: CheckSpec): { model?: string; init?: unknown } {
  return { ...(spec.model !== undefined ? { model: spec.model } : {}), ...(spec.init !== undefined ? { init: spec.init } : {}) };
}

/** Reports name the upload they judged, not the service's internal copy. */
function labelled(report: Report, spec: CheckSpec): Report {
  if (spec.source !== undefined) report.history.source = spec.source;
  if (spec.format !== undefined) report.history.format = spec.format;
  return report;
}
