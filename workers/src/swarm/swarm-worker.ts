import { parentPort } from 'node:worker_threads';
import type { RunSpec } from '../run/spec.js';
import { runOne } from './run-one.js';

/** A task the swarm hands a worker thread, and what comes back. */
export interface SwarmTask {
  index: number;
  spec: RunSpec;
  checkTimeLimitMs: number;
}

// One run at a time: the swarm keeps each thread busy by sending the next task on each answer.
parentPort?.on('message', (task: SwarmTask) => {
  void runOne(task.index, task.spec, task.checkTimeLimitMs).then((outcome) => parentPort!.postMessage(outcome));
});
