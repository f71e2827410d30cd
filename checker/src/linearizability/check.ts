import { availableParallelism } from 'node:os';
import { VerdictError } from '../errors.js';
import type { History, Operation } from '../history/op.js';
import type { Model } from '../models/model.js';
import { buildCounterexample } from './counterexample.js';
import { runPartitionsInThreads } from './parallel.js';
import { prepareOperations, type PreparedPartition } from './prepare.js';
import type { Counterexample, LinearizabilityResult, PartitionResult, UnknownCause } from './result.js';
import { PartitionScheduler, YIELD_EVERY_MS, type SchedulerLimits } from './scheduler.js';

export interface CheckOptions {
  /** Stop with `unknown` (cause `time-limit`) after this many milliseconds. Default: no limit. */
  timeLimitMs?: number;
  /** Stop with `unknown` (cause `memory-limit`) when the search memo passes this. Default 1.5 GiB. */
  memoryLimitBytes?: number;
  /** Report every partition's result instead of stopping at the first illegal one. */
  allPartitions?: boolean;
  /** Worker threads for partitions: a number, or `auto` (default) to use them when it pays. */
  threads?: number | 'auto';
  /** `auto`: histories below this many operations never use worker threads. Default 2,000. */
  parallelThresholdOps?: number;
  /**
   * `auto`: the partitions still undecided after this much search on the calling thread move to
   * worker threads (the ones decided keep their results). Work that ends sooner never pays for
   * starting threads and copying operations to them. Default 500 ms.
   */
  parallelAfterMs?: number;
  /** Build the counterexample for an illegal history (default true). */
  counterexample?: boolean;
  /** Time for shrinking the counterexample's witness. Default 2,000 ms. */
  shrinkTimeMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: CheckProgress) => void;
}

export interface CheckProgress {
  partitionsDone: number;
  partitionsTotal: number;
  steps: number;
}

const DEFAULT_MEMORY_LIMIT = 1.5 * 1024 ** 3;
const DEFAULT_PARALLEL_THRESHOLD = 2_000;
const DEFAULT_PARALLEL_AFTER_MS = 500;

/**
 * Is the history linearizable for the model? `ok`, `illegal` (with a counterexample) or
 * `unknown` (with its cause: a limit or a cancellation; never a guess).
 * Partitions run on worker threads when the search proves long enough to pay for them (see
 * `parallelAfterMs`) and the model can be rebuilt there (models from `createModel`).
 */
export async function check(model: Model<any>, history: History | readonly Operation[], options: CheckOptions = {}): Promise<LinearizabilityResult> {
  const started = performance.now();
  const prepared = prepareOperations(model, history);
  const limits = limitsOf(options);
  const threads = threadCount(model, prepared.partitions, prepared.checked, options);
  if (threads > 1 && options.threads !== undefined && options.threads !== 'auto') {
    const outcome = await runPartitionsInThreads(model.spec!, prepared.partitions, threads, limits, options);
    return assemble(prepared.model.name, prepared.checked, outcome.results, outcome.cause, outcome.counterexample, {
      steps: outcome.steps, cacheEntries: outcome.cacheEntries, peakCacheBytes: outcome.peakCacheBytes, threads,
    }, started);
  }
  const scheduler = new PartitionScheduler(prepared.partitions, limits);
  const handOffAt = threads > 1 ? performance.now() + (options.parallelAfterMs ?? DEFAULT_PARALLEL_AFTER_MS) : Infinity;
  let lastYield = performance.now();
  while (!scheduler.round()) {
    if (performance.now() > handOffAt && scheduler.undecided >= 2) return handOff(prepared.model.name, prepared.checked, model, scheduler, threads, limits, options, started);
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      options.onProgress?.({ partitionsDone: scheduler.partitionsDone, partitionsTotal: prepared.partitions.length, steps: scheduler.totalSteps });
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
  }
  return finishScheduler(prepared.model.name, prepared.checked, scheduler, options, started);
}

/** The same check on the calling thread, without yielding: for tests, benches and small histories. */
export function checkSync(model: Model<any>, history: History | readonly Operation[], options: Omit<CheckOptions, 'threads' | 'parallelThresholdOps'> = {}): LinearizabilityResult {
  const started = performance.now();
  const prepared = prepareOperations(model, history);
  const scheduler = new PartitionScheduler(prepared.partitions, limitsOf(options));
  scheduler.runToEnd();
  return finishScheduler(prepared.model.name, prepared.checked, scheduler, options, started);
}

export function limitsOf(options: CheckOptions): SchedulerLimits {
  const timeLimitMs = options.timeLimitMs ?? Infinity;
  if (!(timeLimitMs > 0)) throw new VerdictError('VRD_ERR_CHECK_OPTIONS', `time limit must be positive, got ${String(options.timeLimitMs)}`);
  const memoryLimitBytes = options.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT;
  if (!(memoryLimitBytes > 0)) throw new VerdictError('VRD_ERR_CHECK_OPTIONS', `memory limit must be positive, got ${String(options.memoryLimitBytes)}`);
  return { deadline: Date.now() + timeLimitMs, memoryLimitBytes, allPartitions: options.allPartitions ?? false, signal: options.signal };
}

/**
 * Moves the partitions the calling thread has not decided to worker threads and joins both
 * halves' results (the scheduler stops; a partition's partial search starts over in a thread).
 */
async function handOff(modelName: string, checked: number, model: Model<any>, scheduler: PartitionScheduler, threads: number, limits: SchedulerLimits, options: CheckOptions, started: number): Promise<LinearizabilityResult> {
  const decided = scheduler.results.filter((r): r is PartitionResult => r !== undefined);
  const rest = scheduler.handOff();
  const outcome = await runPartitionsInThreads(model.spec!, rest, Math.min(threads, rest.length), limits, {
    ...options,
    onProgress: (p) => options.onProgress?.({ partitionsDone: decided.length + p.partitionsDone, partitionsTotal: decided.length + p.partitionsTotal, steps: scheduler.totalSteps + p.steps }),
  });
  const order = new Map(scheduler.partitions.map((p, i) => [p.key, i]));
  const results = [...decided, ...outcome.results].sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));
  return assemble(modelName, checked, results, outcome.cause, outcome.counterexample, {
    steps: scheduler.totalSteps + outcome.steps,
    cacheEntries: scheduler.totalCacheEntries + outcome.cacheEntries,
    peakCacheBytes: Math.max(scheduler.peakCacheBytes, outcome.peakCacheBytes),
    threads: Math.min(threads, rest.length),
  }, started);
}

function threadCount(model: Model<any>, partitions: readonly PreparedPartition[], checked: number, options: CheckOptions): number {
  if (model.spec === undefined || partitions.length < 2) return 1;
  const cores = availableParallelism();
  if (options.threads === undefined || options.threads === 'auto') {
    return checked >= (options.parallelThresholdOps ?? DEFAULT_PARALLEL_THRESHOLD) ? Math.min(cores, partitions.length) : 1;
  }
  return Math.max(1, Math.min(options.threads, partitions.length));
}

/** Builds the result of a finished scheduler, with the counterexample of its illegal partition. */
function finishScheduler(modelName: string, checked: number, scheduler: PartitionScheduler, options: CheckOptions, started: number): LinearizabilityResult {
  let counterexample: Counterexample | undefined;
  if (scheduler.illegal !== undefined && options.counterexample !== false) {
    const { part, search } = scheduler.illegal;
    counterexample = buildCounterexample(part.key, part.model, part.operations, search, options.shrinkTimeMs ?? 2_000, options.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT);
  }
  return assemble(modelName, checked, scheduler.results.filter((r): r is PartitionResult => r !== undefined), scheduler.cause, counterexample, {
    steps: scheduler.totalSteps, cacheEntries: scheduler.totalCacheEntries, peakCacheBytes: scheduler.peakCacheBytes, threads: 1,
  }, started);
}

function assemble(
  model: string,
  checked: number,
  partitions: PartitionResult[],
  cause: UnknownCause | undefined,
  counterexample: Counterexample | undefined,
  stats: Omit<LinearizabilityResult['stats'], 'elapsedMs'>,
  started: number,
): LinearizabilityResult {
  const illegal = partitions.some((p) => p.outcome === 'illegal');
  const unknown = partitions.some((p) => p.outcome === 'unknown');
  const outcome = illegal ? 'illegal' : unknown || cause !== undefined ? 'unknown' : 'ok';
  const result: LinearizabilityResult = {
    outcome,
    model,
    operations: checked,
    partitions,
    stats: { ...stats, elapsedMs: Math.round((performance.now() - started) * 10) / 10 },
  };
  if (outcome === 'unknown') {
    const kind = cause ?? partitions.find((p) => p.cause !== undefined)?.cause ?? 'cancelled';
    const open = partitions.filter((p) => p.outcome === 'unknown').length;
    result.cause = { kind, message: unknownMessage(kind, open, partitions.length) };
  } else if (cause !== undefined && illegal) {
    // Illegal stands even when the limit stopped the other partitions.
    result.cause = { kind: cause, message: unknownMessage(cause, partitions.filter((p) => p.outcome === 'unknown').length, partitions.length) };
  }
  if (counterexample !== undefined) result.counterexample = counterexample;
  return result;
}

/** Why a search ended `unknown`, and how much of it was left: "… with 2 of 5 partition(s) undecided". */
export function unknownMessage(kind: UnknownCause, open: number, total: number, part = 'partition'): string {
  const what = { 'time-limit': 'the time limit ran out', 'memory-limit': 'the memory limit was reached', cancelled: 'the check was cancelled' }[kind];
  return `${what} with ${open} of ${total} ${part}(s) undecided`;
}
