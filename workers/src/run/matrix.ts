import { CONSISTENCY_LEVELS, ISOLATION_LEVELS, type ConsistencyLevel, type IsolationLevel, type Report } from '@verdict/checker';
import type { ProtocolDefinition } from '../protocols/protocol.js';
import { PROTOCOLS } from '../protocols/registry.js';
import { NEMESIS_NAMES, type NemesisName } from '../sim/nemesis-schedule.js';
import { run } from '../run.js';
import type { RunResult } from './result.js';

export interface MatrixOptions {
  /** Seeds per cell: `seedStart`, `seedStart + 1`, ... Default 1. */
  seeds?: number;
  seedStart?: number;
  /** Client operations per run. Default 1,000: enough for faults that outlast a failover. */
  ops?: number;
  /** Client timeout in virtual ms for every run (the simulator's default otherwise). */
  timeoutMs?: number;
  /** Subsets to run; default every registered protocol and every nemesis. */
  protocols?: readonly string[];
  nemeses?: readonly NemesisName[];
  registry?: Readonly<Record<string, () => Promise<ProtocolDefinition>>>;
  /** Each check's time budget. Default 5,000 ms: a cell that needs more reads `?`, never a pass. */
  checkTimeLimitMs?: number;
  signal?: AbortSignal;
  /** After each run: the cell it belongs to (so far), how many runs are done, of how many. */
  onRun?: (cell: MatrixCell, done: number, total: number) => void;
}

/** One protocol variant under one nemesis, over all seeds. */
export interface MatrixCell {
  protocol: string;
  bug: string | null;
  nemesis: NemesisName;
  runs: number;
  /** The strongest level that held in every seed (undefined: never decided). */
  consistency?: ConsistencyLevel | 'none';
  isolation?: IsolationLevel | 'none';
  outcomes: { ok: number; violated: number; unknown: number };
  /** Kinds of anomaly or broken level found, over all seeds, sorted. */
  anomalies: string[];
  /** Seeds whose run was blocked (availability lost). */
  blockedSeeds: number[];
  /** Seeds with a violation; the first one's command replays it. */
  violatedSeeds: number[];
  reproduce?: string;
  /** Runs that failed outright (a node threw), with their message. */
  errors: string[];
}

export interface MatrixResult {
  seeds: number[];
  ops: number;
  nemeses: NemesisName[];
  /** Protocol variants in row order: each protocol, then each of its bugs. */
  variants: { protocol: string; bug: string | null }[];
  cells: MatrixCell[];
}

/** Runs every protocol × bug (none, then each named bug) × nemesis for each seed: the demo table. */
export async function runMatrix(options: MatrixOptions = {}): Promise<MatrixResult> {
  const registry = options.registry ?? PROTOCOLS;
  const seeds = Array.from({ length: options.seeds ?? 1 }, (_, i) => (options.seedStart ?? 1) + i);
  const ops = options.ops ?? 1_000;
  const nemeses = [...(options.nemeses ?? NEMESIS_NAMES)];
  const variants: MatrixResult['variants'] = [];
  for (const name of options.protocols ?? Object.keys(registry)) {
    const loader = registry[name];
    if (loader === undefined) continue;
    const def = await loader();
    variants.push({ protocol: name, bug: null }, ...def.bugs.map((b) => ({ protocol: name, bug: b.name })));
  }
  const cells: MatrixCell[] = [];
  const total = variants.length * nemeses.length * seeds.length;
  let done = 0;
  for (const v of variants) {
    for (const nemesis of nemeses) {
      const cell: MatrixCell = { ...v, nemesis, runs: 0, outcomes: { ok: 0, violated: 0, unknown: 0 }, anomalies: [], blockedSeeds: [], violatedSeeds: [], errors: [] };
      cells.push(cell);
      for (const seed of seeds) {
        if (options.signal?.aborted === true) throw options.signal.reason ?? new Error('matrix cancelled');
        try {
          const result = await run({
            protocol: v.protocol, nemesis, seed, ops, bug: v.bug, checkTimeLimitMs: options.checkTimeLimitMs ?? 5_000,
            ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
          }, { protocols: registry });
          addRun(cell, seed, result);
        } catch (e) {
          cell.errors.push(`seed ${seed}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
        }
        options.onRun?.(cell, ++done, total);
      }
    }
  }
  return { seeds, ops, nemeses, variants, cells };
}

function addRun(cell: MatrixCell, seed: number, result: RunResult): void {
  const r = result.report;
  cell.runs++;
  cell.outcomes[r.verdict.outcome]++;
  cell.consistency = weaker(cell.runs === 1, cell.consistency, r.verdict.consistency, CONSISTENCY_LEVELS);
  cell.isolation = weaker(cell.runs === 1, cell.isolation, r.verdict.isolation, ISOLATION_LEVELS);
  cell.anomalies = [...new Set([...cell.anomalies, ...anomaliesOf(r)])].sort();
  if (result.facts.availability.blocked) cell.blockedSeeds.push(seed);
  if (r.verdict.outcome === 'violated') {
    cell.violatedSeeds.push(seed);
    cell.reproduce ??= result.facts.reproduce;
  }
}

/** The weaker of two levels in a lattice listed strongest first; undefined (undecided) wins. */
function weaker<L extends string>(first: boolean, a: L | 'none' | undefined, b: L | 'none' | undefined, order: readonly L[]): L | 'none' | undefined {
  if (first) return b;
  if (a === undefined || b === undefined) return undefined;
  const rank = (x: L | 'none'): number => (x === 'none' ? order.length : order.indexOf(x));
  return rank(a) >= rank(b) ? a : b;
}

/** What went wrong in a report, by kind: isolation anomalies, broken consistency levels. */
function anomaliesOf(r: Report): string[] {
  const out: string[] = [];
  for (const a of r.isolation?.anomalies ?? []) out.push(a.type);
  for (const l of r.consistency?.levels ?? []) if (l.status === 'violated') out.push(`not ${l.level}`);
  if (r.consistency === undefined && r.linearizability?.outcome === 'illegal') out.push('not strong');
  return out;
}
