/**
 * The CPU-bound part of a job, with no database and no network: check a loaded history, or run
 * a protocol and check what it did. The API's own runner calls it on a worker thread
 * (job-thread.ts), `verdict worker` in its process (engine.ts).
 */
import { checkHistory, type History, type HistoryFormat, type Report } from '@verdict/checker';
import { run, type JobProgress, type RunSpec } from '@verdict/workers';

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

/** What the work reports to whoever runs it. */
export interface WorkContext {
  signal: AbortSignal;
  progress(progress: JobProgress): void;
}

/** Checks a history already read, as the job's options say. */
export async function checkLoaded(history: History, spec: CheckSpec, defaultTimeLimitMs: number, context: WorkContext): Promise<Report> {
  const report = await checkHistory(history, {
    ...modelOptions(spec),
    levels: spec.levels ?? false,
    timeLimitMs: spec.timeLimitMs ?? defaultTimeLimitMs,
    signal: context.signal,
    onProgress: (p) => context.progress({ phase: 'checking', done: p.partitionsDone, total: p.partitionsTotal }),
  });
  return labelled(report, spec);
}

export async function runProtocol(
  spec: Record<string, unknown>,
  context: WorkContext,
): Promise<{ history: History; report: Report }> {
  const result = await run(spec as unknown as RunSpec, {
    signal: context.signal,
    onProgress: (p) => context.progress({
      phase: p.stage === 'simulate' ? `simulating${p.phase !== undefined ? ` (${p.phase})` : ''}` : 'checking',
      done: p.done,
      total: p.total,
    }),
  });
  // The run's facts (availability, the fault schedule, the command that replays it) travel with the report.
  const report = { ...result.report, run: { headline: result.headline, ...result.facts } } as Report;
  return { history: result.history, report };
}

export function modelOptions(spec: CheckSpec): { model?: string; init?: unknown } {
  return { ...(spec.model !== undefined ? { model: spec.model } : {}), ...(spec.init !== undefined ? { init: spec.init } : {}) };
}

/** Reports name the upload they judged, not the service's internal copy. */
function labelled(report: Report, spec: CheckSpec): Report {
  if (spec.source !== undefined) report.history.source = spec.source;
  if (spec.format !== undefined) report.history.format = spec.format;
  return report;
}
