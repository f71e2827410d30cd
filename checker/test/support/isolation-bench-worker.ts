/**
 * One isolation benchmark run, in a worker thread so the main thread can sample the process's
 * RSS while the (synchronous) analysis runs, and so a million transactions get a larger heap.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkIsolation } from '../../src/index.js';
import { listAppendHistory, type BenchHistoryOptions } from './isolation-bench-history.js';

export interface BenchRunResult {
  generateMs: number;
  checkMs: number;
  distinctKeys: number;
  strongest: string;
  anomalyCounts: Record<string, number>;
  unknown: number;
  stats: Record<string, number>;
}

const options = workerData as BenchHistoryOptions;
let started = performance.now();
const { operations, distinctKeys } = listAppendHistory(options);
const generateMs = performance.now() - started;
started = performance.now();
const result = checkIsolation(operations, { timeLimitMs: 20_000 });
const checkMs = performance.now() - started;
const message: BenchRunResult = {
  generateMs,
  checkMs,
  distinctKeys,
  strongest: result.strongest,
  anomalyCounts: result.anomalyCounts ?? {},
  unknown: result.unknown.length,
  stats: result.stats ?? {},
};
parentPort!.postMessage(message);
