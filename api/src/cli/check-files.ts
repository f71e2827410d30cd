import { statSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Report } from '@verdict/checker';
import { checkFile, type CheckCommandOptions, type CheckedFile } from './check-file.js';
import type { CheckWorkerAnswer, CheckWorkerTask } from './check-worker.js';
import type { CliIo } from './command.js';

/**
 * When the files still waiting after this long on the calling thread are two or more, worker
 * threads (one per spare core) take files too. A short run never pays for starting a thread.
 */
export const FILES_PARALLEL_AFTER_MS = 300;

/**
 * Files that together hold this many bytes are work enough to start a worker thread at once (it
 * loads on a spare core while this thread checks the first file).
 */
export const FILES_PARALLEL_BYTES = 256 * 1024;

interface Done { out: string; err: string; checked: CheckedFile }

/**
 * Checks `options.files`, printing each file's report in the order given and calling `onChecked`
 * in that order, whichever thread checked it. The calling thread takes files from the front;
 * workers, once started, take the next ones as they finish theirs. With `--svg` every file is
 * checked here (the timeline is of the first file that checks).
 */
export async function checkFiles(options: CheckCommandOptions, io: CliIo, onChecked: (checked: CheckedFile) => void, parallelAfterMs = FILES_PARALLEL_AFTER_MS, spareCores = idleCores()): Promise<{ threads: number }> {
  const files = options.files;
  const done: (Done | undefined)[] = new Array(files.length);
  const spare = options.svg === undefined ? spareCores : 0;
  // With threads to share the files, the largest go first (the longest jobs first keeps the
  // threads finishing together); reports still print in the order given.
  const sizes = files.map(sizeOf);
  const order = files.map((_, i) => i);
  if (spare > 0) order.sort((a, b) => sizes[b]! - sizes[a]! || a - b);
  const bytes = sizes.reduce((sum, s) => sum + s, 0);
  let next = 0;
  let printed = 0;
  let crash: Error | undefined;
  const flush = (): void => {
    for (; printed < files.length && done[printed] !== undefined; printed++) {
      const d = done[printed]!;
      if (d.err.length > 0) io.err(d.err);
      if (d.out.length > 0) io.out(d.out);
      onChecked(d.checked);
      done[printed] = { out: '', err: '', checked: d.checked };
    }
  };
  const workers: Promise<void>[] = [];
  const startWorker = (): void => {
    const worker = spawnCheckWorker();
    const give = (): void => {
      const index = order[next++];
      const task: CheckWorkerTask = crash === undefined && index !== undefined ? { type: 'file', index, file: files[index]!, options } : { type: 'done' };
      worker.postMessage(task);
    };
    workers.push(new Promise<void>((resolve) => {
      worker.on('message', (m: CheckWorkerAnswer) => {
        if (m.type === 'checked') {
          done[m.index] = { out: m.out, err: m.err, checked: { code: m.code, ...(m.report !== undefined ? { report: m.report as Report } : {}) } };
          flush();
        } else if (m.type === 'crashed') {
          crash ??= new Error(m.message);
        }
        give();
      });
      worker.on('error', (e) => {
        crash ??= e;
      });
      worker.on('exit', () => resolve());
    }));
  };

  const started = performance.now();
  let svgPending = options.svg !== undefined;
  while (next < files.length && crash === undefined) {
    if (workers.length < spare && files.length - next >= 2 && (bytes >= FILES_PARALLEL_BYTES || performance.now() - started >= parallelAfterMs)) startWorker();
    const index = order[next++]!;
    let out = '';
    let err = '';
    const buffer: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), interactive: io.interactive };
    const checked = await checkFile(files[index]!, options, buffer, svgPending);
    if (checked.report !== undefined) svgPending = false;
    done[index] = { out, err, checked };
    flush();
  }
  await Promise.all(workers);
  if (crash !== undefined) throw crash;
  flush();
  return { threads: 1 + workers.length };
}

/**
 * The cores a worker thread would find free: this process's other cores, fewer when the machine
 * is busy (the last minute's load average against all its cores). A worker on a core other
 * processes keep busy finishes no sooner than this thread would, and costs its start-up and a
 * second cold compilation of the search: on the 56 Porcupine files at load 7 on 2 cores, about
 * 300 ms more CPU for no wall time gained.
 */
export function idleCores(): number {
  const idle = Math.round(cpus().length - loadavg()[0]!);
  return Math.max(0, Math.min(availableParallelism() - 1, idle));
}

function spawnCheckWorker(): Worker {
  // Built, this module is a chunk beside check-worker.js (api/build). From the TypeScript sources
  // (npm run verdict, tests), the worker registers tsx's loader before importing the source.
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./check-worker.js', import.meta.url));
  const source = new URL('./check-worker.ts', import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`, { eval: true });
}

/** The file's size in bytes; 0 when it cannot be read (checking it reports why). */
function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
