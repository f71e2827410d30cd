import { CONSISTENCY_LEVELS, ISOLATION_LEVELS, type ConsistencyLevel, type IsolationLevel, type Report } from '@verdict/checker';
import type { ProtocolDefinition } from '../protocols/protocol.js';
import { PROTOCOLS } from '../protocols/registry.js';
import { GENERAL_NEMESIS_NAMES, type NemesisName } from '../sim/nemesis-schedule.js';
import { run } from '../run.js';
import { scenarioFor, type MatrixScenario } from './matrix-scenario.js';
import type { RunResult } from './result.js';

export interface MatrixOptions {
  /** Seeds per cell: `seedStart`, `seedStart + 1`, ... Default 1 (a cell's scenario may ask for more). */
  seeds?: number;
  seedStart?: number;
  /** Client operations per run. Default 1,000: enough for faults that outlast a failover. */
  ops?: number;
  /** Client timeout in virtual ms for every run, over any scenario's (the simulator's default otherwise). */
  timeoutMs?: number;
  /**
   * Use each protocol's scenarios (ProtocolDefinition.scenarios) in the cells they name. Default
   * true: the narrow windows of the textbook behaviours are hit by mechanism, not by luck.
   */
  scenarios?: boolean;
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

/** Availability of the sides of partitions, for replicated stores (every node holds every key). */
export interface SideCounts {
  /** Sides of fewer than half the nodes that stayed available / went unavailable once settled. */
  minority: { available: number; unavailable: number };
  /** Sides of more than half the nodes. */
  majority: { available: number; unavailable: number };
}

/** One protocol variant under one nemesis, over all seeds. */
export interface MatrixCell {
  protocol: string;
  bug: string | null;
  nemesis: NemesisName;
  /** The scenario the cell ran under, if any (its name, and what it sets). */
  scenario?: MatrixScenario;
  /** The seeds this cell ran. */
  seeds: number[];
  runs: number;
  /** The strongest level that held in every seed (undefined: never decided). */
  consistency?: ConsistencyLevel | 'none';
  isolation?: IsolationLevel | 'none';
  outcomes: { ok: number; violated: number; unknown: number };
  /** Kinds of anomaly or broken level found, over all seeds, sorted. */
  anomalies: string[];
  /** Seeds whose run was blocked (availability lost), and why the first one was. */
  blockedSeeds: number[];
  blockedReason?: string;
  /** Seeds with a violation; the first one's command replays it. */
  violatedSeeds: number[];
  reproduce?: string;
  /** For replicated stores under partitions: which sides stayed available. */
  sides?: SideCounts;
  /** Runs that failed outright (a node threw), with their message. */
  errors: string[];
}

export interface MatrixResult {
  /** The seeds every cell ran (cells with a scenario may run more: see `MatrixCell.seeds`). */
  seeds: number[];
  ops: number;
  nemeses: NemesisName[];
  /** Protocol variants in row order: each protocol, then each of its bugs. */
  variants: { protocol: string; bug: string | null }[];
  cells: MatrixCell[];
}

/**
 * Runs every protocol × bug (none, then each named bug) × nemesis for each seed: the demo table.
 * A cell that a protocol's scenario names runs under it, for the correct protocol and its bugs
 * alike, so the correct column shows the scenario breaks nothing by itself.
 */
export async function runMatrix(options: MatrixOptions = {}): Promise<MatrixResult> {
  const registry = options.registry ?? PROTOCOLS;
  const seedStart = options.seedStart ?? 1;
  const seedCount = options.seeds ?? 1;
  const seedsOf = (n: number): number[] => Array.from({ length: n }, (_, i) => seedStart + i);
  const ops = options.ops ?? 1_000;
  const nemeses = [...(options.nemeses ?? GENERAL_NEMESIS_NAMES)];
  const variants: MatrixResult['variants'] = [];
  const plans: { variant: MatrixResult['variants'][number]; def: ProtocolDefinition; nemesis: NemesisName; scenario?: MatrixScenario; seeds: number[] }[] = [];
  for (const name of options.protocols ?? Object.keys(registry)) {
    const loader = registry[name];
    if (loader === undefined) continue;
    const def = await loader();
    const own = [{ protocol: name, bug: null }, ...def.bugs.map((b) => ({ protocol: name, bug: b.name }))];
    variants.push(...own);
    for (const variant of own) {
      for (const nemesis of nemeses) {
        const scenario = options.scenarios === false ? undefined : scenarioFor(def, nemesis);
        plans.push({ variant, def, nemesis, ...(scenario !== undefined ? { scenario } : {}), seeds: seedsOf(Math.max(seedCount, scenario?.seeds ?? 1)) });
      }
    }
  }
  const cells: MatrixCell[] = [];
  const total = plans.reduce((n, p) => n + p.seeds.length, 0);
  let done = 0;
  for (const { variant, def, nemesis, scenario, seeds } of plans) {
    const cell: MatrixCell = { ...variant, nemesis, ...(scenario !== undefined ? { scenario } : {}), seeds, runs: 0, outcomes: { ok: 0, violated: 0, unknown: 0 }, anomalies: [], blockedSeeds: [], violatedSeeds: [], errors: [] };
    cells.push(cell);
    for (const seed of seeds) {
      if (options.signal?.aborted === true) throw options.signal.reason ?? new Error('matrix cancelled');
      try {
        const result = await run({
          protocol: variant.protocol, nemesis, seed, ops, bug: variant.bug, checkTimeLimitMs: options.checkTimeLimitMs ?? 5_000,
          ...(scenario !== undefined ? { scenario: scenario.name } : {}),
          ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        }, { protocols: registry });
        addRun(cell, seed, result, def);
      } catch (e) {
        cell.errors.push(`seed ${seed}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      }
      options.onRun?.(cell, ++done, total);
    }
  }
  return { seeds: seedsOf(seedCount), ops, nemeses, variants, cells };
}

function addRun(cell: MatrixCell, seed: number, result: RunResult, def: ProtocolDefinition): void {
  const r = result.report;
  cell.runs++;
  cell.outcomes[r.verdict.outcome]++;
  cell.consistency = weaker(cell.runs === 1, cell.consistency, r.verdict.consistency, CONSISTENCY_LEVELS);
  cell.isolation = weaker(cell.runs === 1, cell.isolation, r.verdict.isolation, ISOLATION_LEVELS);
  cell.anomalies = [...new Set([...cell.anomalies, ...anomaliesOf(r)])].sort();
  if (result.facts.availability.blocked) {
    cell.blockedSeeds.push(seed);
    cell.blockedReason ??= result.facts.availability.blockedReason;
  }
  if (r.verdict.outcome === 'violated') {
    cell.violatedSeeds.push(seed);
    cell.reproduce ??= result.facts.reproduce;
  }
  // Minority and majority mean something only where every node holds every key (CAP).
  if (def.keyOwners === undefined) addSides(cell, result);
}

function addSides(cell: MatrixCell, result: RunResult): void {
  const n = result.facts.nodes.length;
  for (const fault of result.facts.availability.faults) {
    for (const side of fault.sides ?? []) {
      if (side.available === null || fault.nemesis === 'partition-majority-ring') continue;
      const kind = side.nodes.length * 2 < n ? 'minority' : side.nodes.length * 2 > n ? 'majority' : undefined;
      if (kind === undefined) continue;
      cell.sides ??= { minority: { available: 0, unavailable: 0 }, majority: { available: 0, unavailable: 0 } };
      cell.sides[kind][side.available ? 'available' : 'unavailable']++;
    }
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
