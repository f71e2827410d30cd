/**
 * A worker thread that does jobs' CPU-bound work, one at a time (see threaded-executor.ts): the
 * API's event loop stays free to answer while a 200,000-operation run simulates and is checked.
 * It is kept for the next job (loading the modules is what costs), unless a cancel ended it.
 */
import { Readable } from 'node:stream';
import { parentPort } from 'node:worker_threads';
import { readHistoryStream, type HistoryFormat } from '@verdict/checker';
import type { JobProgress } from '@verdict/workers';
import { runDatabaseTest, type DatabaseTestSpec } from './database-test-job.js';
import { checkLoaded, runProtocol, type CheckSpec, type WorkContext } from './job-work.js';
import type { ThreadRequest, ThreadReply } from './threaded-executor.js';

const port = parentPort;
if (port === null) throw new Error('job-thread must run in a worker thread');

/** Progress is posted at most this often: the runner throttles again, this only spares messages. */
const PROGRESS_EVERY_MS = 100;

let history: Readable | undefined;
/** Only a database test listens: it has a schema to drop before the thread is terminated. */
const cancel = new AbortController();

port.on('message', (message: ThreadRequest) => {
  if (message.type === 'cancel') cancel.abort();
  else if (message.type === 'chunk') history?.push(message.text);
  else if (message.type === 'end') history?.push(null);
  else {
    start(message).then((reply) => post(reply), (e: unknown) => post({ type: 'error', error: plainError(e) })).finally(() => {
      history = undefined;
    });
  }
});

async function start(message: Extract<ThreadRequest, { type: 'start' }>): Promise<ThreadReply> {
  let last = 0;
  const context: WorkContext = {
    // Cancelling terminates the thread: nothing here needs to watch a signal.
    signal: new AbortController().signal,
    progress(progress: JobProgress) {
      const now = performance.now();
      if (now - last < PROGRESS_EVERY_MS) return;
      last = now;
      post({ type: 'progress', progress });
    },
  };
  if (message.kind === 'run') {
    const result = await runProtocol(message.spec, context);
    return { type: 'result', report: result.report, history: result.history };
  }
  if (message.kind === 'test') {
    const result = await runDatabaseTest(message.spec as DatabaseTestSpec, { ...context, signal: cancel.signal }, message.targets);
    return { type: 'result', report: result.report, history: result.history };
  }
  context.progress({ phase: 'loading' });
  // Backpressure is the main thread's: it sends the stored history as fast as it reads it.
  history = new Readable({ read() {} });
  const loaded = await readHistoryStream(history, { format: 'jsonl', ...(message.source !== null ? { source: message.source } : {}) });
  // The checker reads some formats differently (Porcupine logs imply their model): keep the original.
  if (message.format !== 'jsonl' && message.format !== 'sim') loaded.format = message.format as HistoryFormat;
  return { type: 'result', report: await checkLoaded(loaded, message.spec as CheckSpec, message.checkTimeLimitMs, context) };
}

function post(reply: ThreadReply): void {
  port!.postMessage(reply);
}

/** Errors cross as plain data; their `code`, `status` and `location` are what the runner matches. */
function plainError(e: unknown): Extract<ThreadReply, { type: 'error' }>['error'] {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const x = e as Error & { code?: unknown; status?: unknown; location?: unknown };
  return {
    name: e.name,
    message: e.message,
    ...(e.stack !== undefined ? { stack: e.stack } : {}),
    ...(typeof x.code === 'string' ? { code: x.code } : {}),
    ...(typeof x.status === 'number' ? { status: x.status } : {}),
    ...(typeof x.location === 'object' && x.location !== null ? { location: x.location as Record<string, unknown> } : {}),
  };
}
