/**
 * One isolation benchmark run, in a worker thread so the main thread can sample the process's
 * RSS while the (synchronous) analysis runs, and so a million transactions get a larger heap.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkIsolation, type IsolationOptions } from '../../src/index.js';
import { listAppendHistory, type BenchHistoryOptions } from './isolation-bench-history.js';

export interface BenchRunResult {
  generateMs: number;
  checkMs: number;
  distinctKeys: number;
  strongest: string;
  anomalyCounts: Record<string, number>;
  unknown: number;
  stats: Record<string, number>;
  /** The serializable models' verdicts, and how the exact search went when it ran. */
  serializable: string;
  strict: string;
  exactSearch: string;
}

const options = workerData as BenchHistoryOptions & { check?: IsolationOptions };
let started = performance.now();
const { operations, distinctKeys } = listAppendHistory(options);
const generateMs = performance.now() - started;
started = performance.now();
const result = checkIsolation(operations, { timeLimitMs: 20_000, ...options.check });
const checkMs = performance.now() - started;
const message: BenchRunResult = {
  generateMs,
  checkMs,
  distinctKeys,
  strongest: result.strongest,
  anomalyCounts: result.anomalyCounts ?? {},
  unknown: result.unknown.length,
  stats: result.stats ?? {},
  serializable: result.models?.find((m) => m.model === 'serializable')?.status ?? '?',
  strict: result.models?.find((m) => m.model === 'strict-serializable')?.status ?? '?',
  exactSearch: (result.exactSearch ?? []).map((e) => `${e.model} ${e.outcome} in ${(e.elapsedMs / 1000).toFixed(1)} s (${e.steps.toLocaleString('en')} steps)`).join('; '),
};
parentPort!.postMessage(message);
