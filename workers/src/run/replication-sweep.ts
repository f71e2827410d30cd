import { checkFreshReads, createModel, type ConsistencyLevel, type LevelStatus } from '@verdict/checker';
import type { ProtocolDefinition, ReplicationSettings } from '../protocols/protocol.js';
import { PROTOCOLS } from '../protocols/registry.js';
import type { NemesisName } from '../sim/nemesis-schedule.js';
import { SIMULATION_DEFAULTS } from '../sim/simulation-config.js';
import { run } from '../run.js';
import type { RunResult } from './result.js';

/** One configuration of a replicated store: its replication and how its clients route. */
export interface SweepSetting extends ReplicationSettings {
  routing: 'sticky' | 'roaming';
  /** What the setting is there to show, in a few words. */
  shows: string;
}

/**
 * The settings the sweep runs, N = 3 of 5 nodes unless said: the BASE default and what stickiness,
 * quorum intersection (R + W > N) and the resolve mode change about it, then majority quorums of
 * N = 5 — the CAP trade-off set by three numbers.
 */
export const SWEEP_SETTINGS: readonly SweepSetting[] = [
  { n: 3, r: 1, w: 1, resolve: 'lww', sloppyQuorum: true, routing: 'roaming', shows: 'BASE: always available, eventually consistent' },
  { n: 3, r: 1, w: 1, resolve: 'lww', sloppyQuorum: true, routing: 'sticky', shows: 'clients that stick to one replica per key keep their session guarantees' },
  { n: 3, r: 2, w: 2, resolve: 'lww', sloppyQuorum: false, routing: 'roaming', shows: 'R + W > N: quorums intersect, reads see the last acknowledged write; the side without a quorum stops' },
  { n: 3, r: 1, w: 3, resolve: 'lww', sloppyQuorum: false, routing: 'roaming', shows: 'R + W > N with one-replica reads: fresh, yet a read racing a write sees it and a later one does not' },
  { n: 3, r: 1, w: 1, resolve: 'siblings', sloppyQuorum: true, routing: 'roaming', shows: 'version vectors keep concurrent writes as siblings: none lost, even with clocks skewed' },
  { n: 3, r: 1, w: 1, resolve: 'siblings', sloppyQuorum: true, routing: 'sticky', shows: 'siblings and sticky clients: session guarantees whatever the clocks' },
  { n: 3, r: 2, w: 2, resolve: 'siblings', sloppyQuorum: false, routing: 'roaming', shows: 'intersecting quorums with siblings' },
  { n: 5, r: 3, w: 3, resolve: 'lww', sloppyQuorum: false, routing: 'roaming', shows: 'N = 5, majority quorums: only the majority side answers, and clock skew still loses writes' },
];

/** The nemeses the sweep runs each setting under: none, a partition, crashes, clock skew, and all of them mixed. */
export const SWEEP_NEMESES: readonly NemesisName[] = ['none', 'partition-halves', 'crash-minority', 'clock-skew', 'mixed'];

export interface SweepOptions {
  /** A protocol with tunable replication (default `eventual`). */
  protocol?: string;
  settings?: readonly SweepSetting[];
  nemeses?: readonly NemesisName[];
  /** Seeds per cell, from `seedStart` (default 1). Default 1. */
  seeds?: number;
  seedStart?: number;
  /** Operations per run. Default 1,000. */
  ops?: number;
  /** Clients and their mean pause between operations. Default the simulator's: 5 clients, 20 ms. */
  clients?: number;
  thinkMsMean?: number;
  /** Each check's time budget (default 5,000 ms): a level that needs more reads `unknown`, never a pass. */
  checkTimeLimitMs?: number;
  registry?: Readonly<Record<string, () => Promise<ProtocolDefinition>>>;
  signal?: AbortSignal;
  onRun?: (label: string, done: number, total: number) => void;
}

/** One setting under one nemesis, over the seeds. */
export interface SweepCell {
  nemesis: NemesisName;
  seeds: number[];
  /** The strongest level that held in every seed (undefined: undecided in some). */
  strongest?: ConsistencyLevel | 'none';
  /** Per level, the weakest status over the seeds (violated over unknown over holds). */
  levels: Partial<Record<ConsistencyLevel, LevelStatus>>;
  /** Every read saw the last write acknowledged before it began (checkFreshReads), weakest over the seeds. */
  fresh: LevelStatus;
  lostWrites: number;
  divergentKeys: number;
  /** Runs whose faults skewed clocks. */
  skewedRuns: number;
  blockedSeeds: number[];
  /** Partition sides judged available / unavailable once settled, of fewer and of more than half the nodes. */
  sides: { minority: [available: number, unavailable: number]; majority: [available: number, unavailable: number] };
  /** The first seed's reason it is not linearizable, with the few operations that show it. */
  notLinearizable?: { sentence: string; operations: string[] };
  reproduce: string;
  errors: string[];
}

export interface SweepRow {
  setting: SweepSetting;
  label: string;
  cells: SweepCell[];
}

export interface SweepResult {
  protocol: string;
  nodes: number;
  ops: number;
  clients: number;
  thinkMsMean: number;
  seeds: number[];
  nemeses: NemesisName[];
  rows: SweepRow[];
}

/** `N3 R1 W1 sloppy lww roaming`. */
export function settingLabel(s: SweepSetting): string {
  return `N${s.n} R${s.r} W${s.w} ${s.sloppyQuorum ? 'sloppy' : 'strict'} ${s.resolve} ${s.routing}`;
}

/**
 * Runs a replicated store under each setting × nemesis × seed and reads each run's place on the
 * lattice, its fresh reads, lost writes, convergence and which partition sides stayed available:
 * the CAP/BASE trade-off, measured.
 */
export async function runReplicationSweep(options: SweepOptions = {}): Promise<SweepResult> {
  const protocol = options.protocol ?? 'eventual';
  const registry = options.registry ?? PROTOCOLS;
  const loader = registry[protocol];
  if (loader === undefined) throw new Error(`sweep: no protocol ${JSON.stringify(protocol)}`);
  const def = await loader();
  if (def.replication === undefined) throw new Error(`sweep: ${protocol} has no tunable replication`);
  const settings = options.settings ?? SWEEP_SETTINGS;
  const nemeses = [...(options.nemeses ?? SWEEP_NEMESES)];
  const seeds = Array.from({ length: options.seeds ?? 1 }, (_, i) => (options.seedStart ?? 1) + i);
  const ops = options.ops ?? 1_000;
  const clients = options.clients ?? SIMULATION_DEFAULTS.clients;
  const thinkMsMean = options.thinkMsMean ?? SIMULATION_DEFAULTS.thinkMsMean;
  const total = settings.length * nemeses.length * seeds.length;
  let done = 0;
  const rows: SweepRow[] = [];
  for (const setting of settings) {
    const row: SweepRow = { setting, label: settingLabel(setting), cells: [] };
    rows.push(row);
    for (const nemesis of nemeses) {
      const cell = emptyCell(nemesis, seeds);
      row.cells.push(cell);
      for (const seed of seeds) {
        if (options.signal?.aborted === true) throw options.signal.reason ?? new Error('sweep cancelled');
        try {
          const result = await run({
            protocol, nemesis, seed, ops,
            ...(clients !== SIMULATION_DEFAULTS.clients ? { clients } : {}),
            ...(thinkMsMean !== SIMULATION_DEFAULTS.thinkMsMean ? { thinkMsMean } : {}),
            n: setting.n, r: setting.r, w: setting.w, resolve: setting.resolve, sloppyQuorum: setting.sloppyQuorum, routing: setting.routing,
            checkTimeLimitMs: options.checkTimeLimitMs ?? 5_000,
          }, { protocols: registry });
          addRun(cell, seed, result, seed === seeds[0]);
        } catch (e) {
          cell.errors.push(`seed ${seed}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
        }
        options.onRun?.(`${row.label} × ${nemesis}`, ++done, total);
      }
    }
  }
  return { protocol, nodes: def.cluster({}).nodes.length, ops, clients, thinkMsMean, seeds, nemeses, rows };
}

function emptyCell(nemesis: NemesisName, seeds: number[]): SweepCell {
  return { nemesis, seeds, levels: {}, fresh: 'holds', lostWrites: 0, divergentKeys: 0, skewedRuns: 0, blockedSeeds: [], sides: { minority: [0, 0], majority: [0, 0] }, reproduce: '', errors: [] };
}

const STATUS_RANK: Record<LevelStatus, number> = { holds: 0, 'not-applicable': 1, unknown: 2, violated: 3 };
const LEVEL_ORDER: readonly (ConsistencyLevel | 'none')[] = ['strong', 'sequential', 'session', 'user', 'eventual', 'none'];

function addRun(cell: SweepCell, seed: number, result: RunResult, first: boolean): void {
  const consistency = result.report.consistency!;
  const strongest = result.report.verdict.consistency;
  cell.strongest = first ? strongest : cell.strongest === undefined || strongest === undefined ? undefined
    : LEVEL_ORDER.indexOf(cell.strongest) >= LEVEL_ORDER.indexOf(strongest) ? cell.strongest : strongest;
  for (const l of consistency.levels) {
    const before = cell.levels[l.level];
    if (before === undefined || STATUS_RANK[l.status] > STATUS_RANK[before]) cell.levels[l.level] = l.status;
  }
  const fresh = checkFreshReads(result.history, createModel(result.report.model ?? 'kv', null)).status;
  if (STATUS_RANK[fresh] > STATUS_RANK[cell.fresh]) cell.fresh = fresh;
  const eventual = consistency.levels.find((l) => l.level === 'eventual');
  cell.lostWrites += Number(eventual?.details?.lostWrites ?? 0);
  cell.divergentKeys += Number(eventual?.details?.divergentKeys ?? 0);
  if (result.facts.faults.some((f) => f.family === 'clock-skew')) cell.skewedRuns++;
  if (result.facts.availability.blocked) cell.blockedSeeds.push(seed);
  const n = result.facts.nodes.length;
  for (const fault of result.facts.availability.faults) {
    for (const side of fault.sides ?? []) {
      if (side.available === null || side.nodes.length * 2 === n) continue;
      const counts = cell.sides[side.nodes.length * 2 < n ? 'minority' : 'majority'];
      counts[side.available ? 0 : 1]++;
    }
  }
  const strong = consistency.levels.find((l) => l.level === 'strong');
  if (first && strong?.status === 'violated' && strong.violations?.[0] !== undefined) {
    const v = strong.violations[0];
    cell.notLinearizable = { sentence: v.sentence, operations: v.operations.map((o) => `${o.description} by process ${String(o.process)} [${o.call}, ${o.ret ?? '…'}]`) };
  }
  if (first) cell.reproduce = result.facts.reproduce;
}
