import { parentPort } from 'node:worker_threads';
import { checkFile, type CheckCommandOptions } from './check-file.js';

/** What check-files.ts sends a check worker, and what it answers (see there). */
export type CheckWorkerTask = { type: 'file'; index: number; file: string; options: CheckCommandOptions } | { type: 'done' };
export type CheckWorkerAnswer =
  | { type: 'ready' }
  | { type: 'checked'; index: number; out: string; err: string; code: number; report?: unknown }
  | { type: 'crashed'; index: number; message: string };

/** A worker thread of `verdict check FILE...`: checks the files it is given, one at a time. */
const port = parentPort;
if (port === null) throw new Error('check-worker must run in a worker thread');

port.on('message', (task: CheckWorkerTask) => {
  if (task.type === 'done') {
    port.close();
    return;
  }
  let out = '';
  let err = '';
  const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t), interactive: false };
  checkFile(task.file, task.options, io, false).then(
    (checked) => post({ type: 'checked', index: task.index, out, err, code: checked.code, ...(checked.report !== undefined ? { report: checked.report } : {}) }),
    (e: unknown) => post({ type: 'crashed', index: task.index, message: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
  );
});
post({ type: 'ready' });

function post(answer: CheckWorkerAnswer): void {
  port!.postMessage(answer);
}
