import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { WorkersError } from '../errors.js';
import { PROTOCOLS } from '../protocols/registry.js';
import { drawRun } from './draw-run.js';
import { PROTOCOL_PROMISES } from './promises.js';
import { runOne, type SwarmRunOutcome } from './run-one.js';
import { emptySummary, tally, type SwarmSummary } from './summary.js';
import type { SwarmTask } from './swarm-worker.js';

export interface SwarmOptions {
  /** The root seed: one seed, the same runs (each run's spec is drawn from it and the run's index). */
  seed: number;
  /** Stop after this many runs. With `timeS` too, whichever comes first; with neither, 100 runs. */
  runs?: number;
  /** Start no run after this many seconds of wall time (runs under way finish). */
  timeS?: number;
  /** Protocols to draw from; default every registered protocol with a promise (PROTOCOL_PROMISES). */
  protocols?: readonly string[];
  /** Hunt one named bug of the one protocol given: runs judged by the correct protocol's promise. */
  bug?: string;
  /** Operation counts are drawn log-uniformly between these. Defaults 20 and 50,000. */
  opsMin?: number;
  opsMax?: number;
  /** Worker threads; default the cores available (at least 1). 0 runs in this thread (tests). */
  workers?: number;
  /** Start no run after the first violation or error. */
  stopOnViolation?: boolean;
  /** Each check's time budget, ms; beyond it the run is `unknown`. Default 30,000. */
  checkTimeLimitMs?: number;
  /** After each run, in completion order. */
  onRun?: (outcome: SwarmRunOutcome, summary: SwarmSummary) => void;
  signal?: AbortSignal;
}

export interface SwarmResult {
  seed: number;
  protocols: string[];
  bug: string | null;
  opsMin: number;
  opsMax: number;
  workers: number;
  /** Every run, by index (the runs done: a time budget or a violation may stop before `runs`). */
  outcomes: SwarmRunOutcome[];
  /** Violations, unknowns and errors, by index. */
  failures: SwarmRunOutcome[];
  summary: SwarmSummary;
  stoppedBy: 'runs' | 'time' | 'violation' | 'signal';
  wallMs: number;
}

const DEFAULT_RUNS = 100;

/** The protocols the swarm can judge: registered, with a promise. */
export function swarmProtocols(): string[] {
  return Object.keys(PROTOCOLS).filter((p) => PROTOCOL_PROMISES[p] !== undefined);
}

/**
 * The swarm (TigerBeetle's VOPR, FoundationDB's simulation): many seeded runs, each a different
 * draw of protocol, nemesis, cluster, clients, size, network and clocks, checked against what the
 * protocol promises, spread over worker threads. Every failure carries the command that replays it.
 */
export async function runSwarm(options: SwarmOptions): Promise<SwarmResult> {
  const known = swarmProtocols();
  const protocols = [...(options.protocols ?? known)];
  for (const p of protocols) if (!known.includes(p)) throw new WorkersError('VRD_ERR_RUN_SWARM', `unknown protocol ${JSON.stringify(p)} (known: ${known.join(', ')})`);
  if (protocols.length === 0) throw new WorkersError('VRD_ERR_RUN_SWARM', 'no protocol to run');
  if (options.bug !== undefined) {
    if (protocols.length !== 1) throw new WorkersError('VRD_ERR_RUN_SWARM', 'a bug hunt takes exactly one protocol');
    const def = await PROTOCOLS[protocols[0]!]!();
    if (!def.bugs.some((b) => b.name === options.bug)) throw new WorkersError('VRD_ERR_RUN_SWARM', `unknown bug ${JSON.stringify(options.bug)} for ${def.name} (known: ${def.bugs.map((b) => b.name).join(', ') || 'none'})`);
  }
  const opsMin = options.opsMin ?? 20;
  const opsMax = options.opsMax ?? 50_000;
  if (!(Number.isInteger(opsMin) && Number.isInteger(opsMax) && opsMin >= 1 && opsMax >= opsMin)) throw new WorkersError('VRD_ERR_RUN_SWARM', `ops range must be integers with 1 ≤ min ≤ max, got ${opsMin}..${opsMax}`);
  const runsMax = options.runs ?? (options.timeS === undefined ? DEFAULT_RUNS : Infinity);
  const deadline = options.timeS === undefined ? Infinity : performance.now() + options.timeS * 1000;
  const checkTimeLimitMs = options.checkTimeLimitMs ?? 30_000;
  const workerCount = options.workers ?? Math.max(1, availableParallelism());
  const draw = { protocols, opsMin, opsMax, ...(options.bug !== undefined ? { bug: options.bug } : {}) };

  const started = performance.now();
  const summary = emptySummary();
  const outcomes: SwarmRunOutcome[] = [];
  let next = 0;
  let stoppedBy: SwarmResult['stoppedBy'] = 'runs';
  const canStart = (): boolean => {
    if (options.signal?.aborted === true) return (stoppedBy = 'signal'), false;
    if (options.stopOnViolation === true && (summary.total.violated > 0 || summary.total.errors > 0)) return (stoppedBy = 'violation'), false;
    if (next >= runsMax) return (stoppedBy = 'runs'), false;
    if (performance.now() >= deadline) return (stoppedBy = 'time'), false;
    return true;
  };
  const record = (o: SwarmRunOutcome): void => {
    outcomes.push(o);
    tally(summary, o);
    options.onRun?.(o, summary);
  };
  const task = (): SwarmTask => {
    const index = next++;
    return { index, spec: drawRun(options.seed, index, draw), checkTimeLimitMs };
  };

  if (workerCount === 0) {
    while (canStart()) {
      const t = task();
      record(await runOne(t.index, t.spec, t.checkTimeLimitMs));
    }
  } else {
    await Promise.all(Array.from({ length: workerCount }, async () => {
      if (!canStart()) return;
      const worker = spawnSwarmWorker();
      try {
        while (canStart()) record(await ask(worker, task()));
      } finally {
        await worker.terminate();
      }
    }));
  }
  outcomes.sort((a, b) => a.index - b.index);
  return {
    seed: options.seed,
    protocols,
    bug: options.bug ?? null,
    opsMin,
    opsMax,
    workers: workerCount,
    outcomes,
    failures: outcomes.filter((o) => o.outcome !== 'ok'),
    summary,
    stoppedBy,
    wallMs: performance.now() - started,
  };
}

/** Sends one task and waits for its outcome; a worker that dies fails the swarm. */
function ask(worker: Worker, task: SwarmTask): Promise<SwarmRunOutcome> {
  return new Promise((resolve, reject) => {
    const onMessage = (o: SwarmRunOutcome): void => {
      cleanup();
      resolve(o);
    };
    const onError = (e: Error): void => {
      cleanup();
      reject(e);
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new Error(`swarm worker exited with code ${code} during run ${task.index}`));
    };
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(task);
  });
}

function spawnSwarmWorker(): Worker {
  // Built, this module is JavaScript next to swarm-worker.js. Under tsx or vitest it is TypeScript
  // source: the worker registers tsx's loader first, and resolves workspace packages to source.
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./swarm-worker.js', import.meta.url));
  const source = new URL('./swarm-worker.ts', import.meta.url).href;
  const execArgv = process.execArgv.includes('--conditions=source') ? process.execArgv : [...process.execArgv, '--conditions=source'];
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`, { eval: true, execArgv });
}
