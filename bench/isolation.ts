/**
 * Isolation checker benchmark (`npm run bench -- isolation`): list-append histories of 100,000
 * and 1,000,000 transactions (10 micro-ops each, 1,000 live keys, retired after 32 appends as
 * Elle's generator does; at 100,000 also 1,000 keys that are never retired) analysed in full,
 * with time and peak RSS, plus Elle's huge-scc.edn; and register histories whose version orders
 * only the exact search (or --linearizable-keys) settles. Each run is a worker thread: the analysis is
 * synchronous, so the main thread is free to sample `process.memoryUsage().rss` (the whole
 * process) every 10 ms. Targets: 100k under 10 s and 2 GiB; 1M under 2 minutes.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { checkIsolation, readHistoryFile, type IsolationOptions } from '../checker/src/index.js';
import type { BenchHistoryOptions } from '../checker/test/support/isolation-bench-history.js';
import type { BenchRunResult } from '../checker/test/support/isolation-bench-worker.js';

const MiB = 2 ** 20;
const base = { mopsPerTxn: 10, keys: 1000, appendsPerKeyMax: 32, processes: 32, seed: 20240601, failRate: 0.01, infoRate: 0.005 };
const registers = { mopsPerTxn: 4, keys: 10, appendsPerKeyMax: 256, processes: 10, seed: 20240601, failRate: 0.01, infoRate: 0.005, registers: true };

interface Run {
  label: string;
  options: BenchHistoryOptions & { check?: IsolationOptions };
  targetMs: number;
  targetRssMiB?: number;
}

const RUNS: Run[] = [
  { label: '100,000 txns', options: { ...base, transactions: 100_000 }, targetMs: 10_000, targetRssMiB: 2048 },
  { label: '100,000 txns over exactly 1,000 keys (never retired: reads of ~250 elements)', options: { ...base, transactions: 100_000, appendsPerKeyMax: Infinity }, targetMs: 10_000, targetRssMiB: 2048 },
  { label: '100,000 txns, 0.1% stale reads', options: { ...base, transactions: 100_000, staleReadRate: 0.001 }, targetMs: 10_000, targetRssMiB: 2048 },
  { label: '1,000,000 txns', options: { ...base, transactions: 1_000_000 }, targetMs: 120_000 },
  // Registers (Elle's rw-register shape): nothing orders blind writes, so the serializable models
  // go to the exact search (strict first); past its 10,000 transactions they are unknown, even
  // with --linearizable-keys (concurrent blind writes stay unordered).
  { label: 'registers: 10,000 txns (4 micro-ops, 10 live keys; versions unordered: exact search)', options: { ...registers, transactions: 10_000 }, targetMs: 30_000 },
  { label: 'registers: 100,000 txns, no per-key order (past the exact search: unknown)', options: { ...registers, transactions: 100_000 }, targetMs: 10_000 },
  { label: 'registers: 100,000 txns with --linearizable-keys', options: { ...registers, transactions: 100_000, check: { linearizableKeys: true } }, targetMs: 10_000 },
];

export async function bench(): Promise<void> {
  console.log(`list-append: ${base.mopsPerTxn} micro-ops per txn (half reads, half appends), ${base.keys} live keys (each retired after ${base.appendsPerKeyMax} appends), ${base.processes} processes, ${base.failRate * 100}% fail, ${base.infoRate * 100}% info; seed ${base.seed}`);
  console.log(`baseline RSS ${mib(process.memoryUsage().rss)}`);
  for (const run of RUNS) {
    const { result, peakRss } = await inWorker(run.options);
    const s = result.stats;
    const phases = ['index', 'directAnomalies', 'graph', 'components', 'cycleSearch', 'witnesses', 'exactSearch']
      .filter((p) => s[`${p}Ms`] !== undefined).map((p) => `${p} ${seconds(s[`${p}Ms`])}`).join(', ');
    const edges = Object.entries(s).filter(([k]) => k.startsWith('edges.')).reduce((sum, [, v]) => sum + v, 0);
    const anomalies = Object.entries(result.anomalyCounts).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
    const timeOk = result.checkMs <= run.targetMs;
    const rssOk = run.targetRssMiB === undefined || peakRss <= run.targetRssMiB * MiB;
    console.log(`${run.label}: check ${seconds(result.checkMs)} (${phases}); generate ${seconds(result.generateMs)}; peak RSS ${mib(peakRss)}`);
    console.log(`  ${edges.toLocaleString('en')} edges, ${result.distinctKeys.toLocaleString('en')} keys, arena ${s.arenaMiB} MiB; strongest ${result.strongest}; anomalies: ${anomalies}${result.unknown > 0 ? `; ${result.unknown} unknown` : ''}`);
    if (run.options.registers === true) console.log(`  serializable ${result.serializable}, strict serializable ${result.strict}${result.exactSearch !== '' ? `; exact search: ${result.exactSearch}` : ''}`);
    console.log(`  target: check under ${seconds(run.targetMs)}${run.targetRssMiB !== undefined ? ` and ${run.targetRssMiB / 1024} GiB` : ''}: ${timeOk && rssOk ? 'met' : 'MISSED'}`);
  }
  const file = fileURLToPath(new URL('../histories/elle/huge-scc.edn', import.meta.url));
  const history = await readHistoryFile(file);
  const started = performance.now();
  const result = checkIsolation(history);
  console.log(`Elle huge-scc.edn (${history.operations.length.toLocaleString('en')} txns, largest component ${result.stats?.largestComponent}): check ${seconds(performance.now() - started)}; strongest ${result.strongest}; ${Object.keys(result.anomalyCounts ?? {}).join(', ')}${result.unknown.length > 0 ? `; unknown: ${result.unknown.map((u) => u.type).join(', ')}` : ''}`);
}

/** Runs one benchmark in a worker (TypeScript sources via tsx's loader) and samples RSS meanwhile. */
async function inWorker(options: BenchHistoryOptions): Promise<{ result: BenchRunResult; peakRss: number }> {
  const source = new URL('../checker/test/support/isolation-bench-worker.ts', import.meta.url).href;
  const worker = new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`, {
    eval: true,
    workerData: options,
    resourceLimits: { maxOldGenerationSizeMb: 12_288 },
  });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 10);
  try {
    const result = await new Promise<BenchRunResult>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`benchmark worker exited with code ${code}`)));
    });
    return { result, peakRss: Math.max(peakRss, process.memoryUsage().rss) };
  } finally {
    clearInterval(sampler);
    await worker.terminate();
  }
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

function mib(bytes: number): string {
  return `${Math.round(bytes / MiB)} MiB`;
}
