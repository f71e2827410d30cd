import { parentPort } from 'node:worker_threads';
import { createModel } from '../models/registry.js';
import { buildCounterexample } from './counterexample.js';
import type { WorkerMessage, WorkerTask } from './parallel.js';
import { prepareOperations } from './prepare.js';
import { PartitionScheduler, YIELD_EVERY_MS } from './scheduler.js';

/** A worker thread that searches a share of a history's partitions (see parallel.ts). */
const port = parentPort;
if (port === null) throw new Error('partition-worker must run in a worker thread');

let scheduler: PartitionScheduler | undefined;
let stopRequested = false;

port.on('message', (message: { type: 'task'; task: WorkerTask } | { type: 'stop' }) => {
  if (message.type === 'stop') {
    stopRequested = true;
    return;
  }
  run(message.task).catch((e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
});

function post(message: WorkerMessage): void {
  port!.postMessage(message);
}

async function run(task: WorkerTask): Promise<void> {
  const model = createModel(task.spec.name, task.spec.init);
  const prepared = prepareOperations(model, task.operations);
  scheduler = new PartitionScheduler(prepared.partitions, {
    deadline: task.deadline,
    memoryLimitBytes: task.memoryLimitBytes,
    allPartitions: task.allPartitions,
  });
  let last = performance.now();
  let toldIllegal = false;
  while (!scheduler.round()) {
    if (scheduler.illegal !== undefined && !toldIllegal) {
      toldIllegal = true;
      post({ type: 'illegal' });
    }
    if (performance.now() - last > YIELD_EVERY_MS) {
      post({ type: 'progress', partitionsDone: scheduler.partitionsDone, steps: scheduler.totalSteps });
      await new Promise((resolve) => setImmediate(resolve));
      last = performance.now();
      if (stopRequested) {
        scheduler.stop('cancelled');
        break;
      }
    }
  }
  if (scheduler.illegal !== undefined && !toldIllegal) post({ type: 'illegal' });
  const illegal = scheduler.illegal;
  const counterexample = illegal !== undefined && task.counterexample
    ? buildCounterexample(illegal.part.key, illegal.part.model, illegal.part.operations, illegal.search, task.shrinkTimeMs, task.memoryLimitBytes)
    : undefined;
  const done: WorkerMessage = {
    type: 'done',
    results: scheduler.results.filter((r) => r !== undefined),
    steps: scheduler.totalSteps,
    cacheEntries: scheduler.totalCacheEntries,
    peakCacheBytes: scheduler.peakCacheBytes,
  };
  if (scheduler.cause !== undefined) done.cause = scheduler.cause;
  if (counterexample !== undefined) done.counterexample = counterexample;
  post(done);
}
