import { Worker } from 'node:worker_threads';
import type { History, Report } from '@verdict/checker';
import type { Execution, JobExecutor, JobProgress } from '@verdict/workers';
import { ApiError } from '../errors.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { historyInfo, streamHistory } from '../store/history-store.js';
import type { ExecutorOptions } from './engine.js';

/** What the main thread sends a job thread. */
export type ThreadRequest =
  | { type: 'start'; kind: 'run'; spec: Record<string, unknown> }
  | { type: 'start'; kind: 'test'; spec: Record<string, unknown>; targets: Readonly<Record<string, string>> }
  | { type: 'start'; kind: 'check'; spec: Record<string, unknown>; checkTimeLimitMs: number; format: string; source: string | null }
  | { type: 'chunk'; text: string }
  | { type: 'end' }
  /** Stop soon: a database test drops the schema it made before its thread is terminated. */
  | { type: 'cancel' };

/** What a job thread answers. */
export type ThreadReply =
  | { type: 'progress'; progress: JobProgress }
  | { type: 'result'; report: Report; history?: History }
  | { type: 'error'; error: { name: string; message: string; stack?: string; code?: string; status?: number; location?: Record<string, unknown> } };

/**
 * The executor of the API's own runner (embedded mode): each job's parsing, simulation and
 * checking run on a worker thread of their own, so the API answers while they work; the
 * database stays on the main thread (the stored history is streamed to the thread as text).
 * Cancelling terminates the thread at once, wherever its work is. Never splits (no other workers).
 */
export function createThreadedExecutor(prisma: PrismaClient, options: ExecutorOptions): JobExecutor {
  return async (job, context) => {
    context.signal.throwIfAborted();
    if (job.kind === 'run') return inThread({ type: 'start', kind: 'run', spec: job.spec }, context);
    if (job.kind === 'test') return inThread({ type: 'start', kind: 'test', spec: job.spec, targets: options.targets }, context, undefined, TEST_CLEANUP_MS);
    const info = await historyInfo(prisma, job.id);
    const stream = await streamHistory(prisma, job.id);
    if (info === null || stream === undefined) throw new ApiError('VRD_ERR_JOB_NOT_FOUND', `job ${job.id} has no stored history`);
    const start: ThreadRequest = { type: 'start', kind: 'check', spec: job.spec, checkTimeLimitMs: options.checkTimeLimitMs, format: info.format, source: info.source };
    return inThread(start, context, async (send) => {
      for await (const chunk of stream) {
        if (context.signal.aborted) break;
        send({ type: 'chunk', text: typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8') });
      }
      send({ type: 'end' });
    });
  };
}

/** How long a cancelled database test may take to drop its schema before its thread is terminated. */
const TEST_CLEANUP_MS = 3_000;

/** Threads waiting for a job: loading the checker and the simulator once, not per job. */
const idle: Worker[] = [];

function inThread(
  start: ThreadRequest,
  context: { signal: AbortSignal; progress(p: JobProgress): void },
  feed?: (send: (message: ThreadRequest) => void) => Promise<void>,
  cleanupMs = 0,
): Promise<Execution> {
  const thread = idle.pop() ?? spawnJobThread();
  thread.removeAllListeners('exit');
  thread.ref();
  return new Promise<Execution>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void, reusable: boolean, graceMs = 0): void => {
      if (settled) return;
      settled = true;
      context.signal.removeEventListener('abort', onAbort);
      thread.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (reusable) {
        thread.unref();
        idle.push(thread);
        // A thread that dies while idle must not be handed the next job.
        thread.once('exit', () => {
          const at = idle.indexOf(thread);
          if (at >= 0) idle.splice(at, 1);
        });
      } else if (graceMs === 0) {
        void thread.terminate();
      } else {
        setTimeout(() => void thread.terminate(), graceMs).unref();
      }
      outcome();
    };
    // A cancel ends the thread wherever its work is: it is not reused. Only a database test's
    // cleanup (dropping its schema) may outlive the job, briefly.
    const onAbort = (): void => {
      if (cleanupMs > 0) thread.postMessage({ type: 'cancel' } satisfies ThreadRequest);
      settle(() => reject(context.signal.reason), false, cleanupMs);
    };
    const onMessage = (reply: ThreadReply): void => {
      if (reply.type === 'progress') context.progress(reply.progress);
      else if (reply.type === 'result') settle(() => resolve({ type: 'report', report: reply.report, ...(reply.history !== undefined ? { history: reply.history } : {}) }), true);
      else settle(() => reject(revived(reply.error)), true);
    };
    const onError = (e: Error): void => settle(() => reject(e), false);
    const onExit = (code: number): void => settle(() => reject(new Error(`the job thread exited (code ${code}) before answering`)), false);
    context.signal.addEventListener('abort', onAbort, { once: true });
    thread.on('message', onMessage).on('error', onError).on('exit', onExit);
    thread.postMessage(start);
    feed?.((message) => {
      if (!settled) thread.postMessage(message);
    }).catch((e: unknown) => settle(() => reject(e), false));
  });
}

/** An error from the thread, with the fields the runner matches (`code`, `status`). */
function revived(error: Extract<ThreadReply, { type: 'error' }>['error']): Error {
  const e = Object.assign(new Error(error.message), error);
  return e;
}

function spawnJobThread(): Worker {
  // Built, this module is JavaScript next to job-thread.js. Under tsx or vitest it is TypeScript
  // source: the thread registers tsx's loader first, and resolves workspace packages to source.
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./job-thread.js', import.meta.url));
  const source = new URL('./job-thread.ts', import.meta.url).href;
  const execArgv = process.execArgv.some((a) => a.startsWith('--conditions')) ? process.execArgv : [...process.execArgv, '--conditions=source'];
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`, { eval: true, execArgv });
}
