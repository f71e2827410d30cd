import { Worker } from 'node:worker_threads';
import { VerdictError } from '../errors.js';
import type { Operation } from '../history/op.js';
import type { ModelSpec } from '../models/model.js';
import type { CheckOptions } from './check.js';
import type { PreparedPartition } from './prepare.js';
import type { Counterexample, PartitionResult, UnknownCause } from './result.js';
import type { SchedulerLimits } from './scheduler.js';

/** What the main thread sends a partition worker. */
export interface WorkerTask {
  spec: ModelSpec;
  operations: Operation[];
  deadline: number;
  memoryLimitBytes: number;
  allPartitions: boolean;
  counterexample: boolean;
  shrinkTimeMs: number;
}

/** What a partition worker posts back. */
export type WorkerMessage =
  | { type: 'progress'; partitionsDone: number; steps: number }
  | { type: 'illegal' }
  | {
      type: 'done';
      results: PartitionResult[];
      cause?: UnknownCause;
      counterexample?: Counterexample;
      steps: number;
      cacheEntries: number;
      peakCacheBytes: number;
    }
  | { type: 'error'; message: string };

export interface ThreadsOutcome {
  results: PartitionResult[];
  cause: UnknownCause | undefined;
  counterexample: Counterexample | undefined;
  steps: number;
  cacheEntries: number;
  peakCacheBytes: number;
}

/** Spreads partitions over `threads` worker threads, balanced by size; stops all at the first illegal one. */
export async function runPartitionsInThreads(
  spec: ModelSpec,
  partitions: readonly PreparedPartition[],
  threads: number,
  limits: SchedulerLimits,
  options: CheckOptions,
): Promise<ThreadsOutcome> {
  const bins = balance(partitions, threads);
  const workers = bins.map(() => spawnPartitionWorker());
  const done = new Array<Extract<WorkerMessage, { type: 'done' }> | undefined>(bins.length);
  const progress = bins.map((bin) => ({ partitionsDone: 0, steps: 0, total: bin.length }));
  const stopAll = (): void => {
    for (const w of workers) w.postMessage({ type: 'stop' });
  };
  limits.signal?.addEventListener('abort', stopAll, { once: true });
  // Cancelled already: the stop goes out before the tasks, so each worker stops at its first yield.
  if (limits.signal?.aborted === true) stopAll();
  try {
    await Promise.all(workers.map((worker, b) => new Promise<void>((resolve, reject) => {
      worker.on('message', (message: WorkerMessage) => {
        switch (message.type) {
          case 'progress':
            progress[b] = { ...progress[b]!, partitionsDone: message.partitionsDone, steps: message.steps };
            options.onProgress?.({
              partitionsDone: progress.reduce((s, p) => s + p.partitionsDone, 0),
              partitionsTotal: partitions.length,
              steps: progress.reduce((s, p) => s + p.steps, 0),
            });
            break;
          case 'illegal':
            if (!limits.allPartitions) stopAll();
            break;
          case 'done':
            done[b] = message;
            resolve();
            break;
          case 'error':
            reject(new VerdictError('VRD_ERR_CHECK_WORKER', message.message));
            break;
        }
      });
      worker.on('error', (e) => reject(new VerdictError('VRD_ERR_CHECK_WORKER', e.message)));
      worker.on('exit', (code) => {
        if (done[b] === undefined) reject(new VerdictError('VRD_ERR_CHECK_WORKER', `worker exited with code ${code} before finishing`));
      });
      const task: WorkerTask = {
        spec,
        operations: bins[b]!.flatMap((p) => p.operations),
        deadline: limits.deadline,
        memoryLimitBytes: limits.memoryLimitBytes / bins.length,
        allPartitions: limits.allPartitions,
        counterexample: options.counterexample !== false,
        shrinkTimeMs: options.shrinkTimeMs ?? 2_000,
      };
      worker.postMessage({ type: 'task', task });
    })));
  } finally {
    limits.signal?.removeEventListener('abort', stopAll);
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const finished = done as Extract<WorkerMessage, { type: 'done' }>[];
  const results = finished.flatMap((d) => d.results);
  const illegal = results.some((r) => r.outcome === 'illegal');
  // A worker stopped because another found an illegal partition reports `cancelled`: not a cause.
  const cause = finished.map((d) => d.cause).find((c) => c !== undefined && !(illegal && c === 'cancelled' && limits.signal?.aborted !== true));
  return {
    results: sortLike(partitions, results),
    cause,
    counterexample: finished.find((d) => d.counterexample !== undefined)?.counterexample,
    steps: finished.reduce((s, d) => s + d.steps, 0),
    cacheEntries: finished.reduce((s, d) => s + d.cacheEntries, 0),
    peakCacheBytes: finished.reduce((s, d) => s + d.peakCacheBytes, 0),
  };
}

function spawnPartitionWorker(): Worker {
  // Built, this module is JavaScript next to partition-worker.js. Under tsx or vitest it is
  // TypeScript source: the worker then registers tsx's loader before importing the source.
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./partition-worker.js', import.meta.url));
  const source = new URL('./partition-worker.ts', import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`, { eval: true });
}

/** Largest-first greedy bin packing by operation count. */
function balance(partitions: readonly PreparedPartition[], bins: number): PreparedPartition[][] {
  const out: PreparedPartition[][] = Array.from({ length: bins }, () => []);
  const load = new Array<number>(bins).fill(0);
  for (const p of [...partitions].sort((a, b) => b.operations.length - a.operations.length)) {
    let min = 0;
    for (let b = 1; b < bins; b++) if (load[b]! < load[min]!) min = b;
    out[min]!.push(p);
    load[min]! += p.operations.length;
  }
  return out.filter((b) => b.length > 0);
}

function sortLike(partitions: readonly PreparedPartition[], results: PartitionResult[]): PartitionResult[] {
  const order = new Map(partitions.map((p, i) => [p.key, i]));
  return [...results].sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));
}
