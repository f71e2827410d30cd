import { historyFromOps, type Report } from '@verdict/checker';
import { WorkersError } from './errors.js';
import type { ProtocolDefinition } from './protocols/protocol.js';
import { PROTOCOLS } from './protocols/registry.js';
import { analyzeAvailability, type Availability } from './run/availability.js';
import { checkRunHistory } from './run/check-run.js';
import type { RunFacts, RunProgress, RunResult } from './run/result.js';
import { reproduceCommand, resolveRunSpec, runParams, type ResolvedRunSpec, type RunSpec } from './run/spec.js';
import { NodeFailure } from './sim/simulator.js';
import { Simulation } from './sim/simulation.js';
import { EVENTS_PER_OP_MAX, SIMULATION_DEFAULTS, type SimulationConfig } from './sim/simulation-config.js';
import { formatEntry } from './sim/sim-log.js';
import { SeededRng } from './sim/rng.js';
import { kvWorkload } from './workloads/kv-workload.js';
import { listAppendWorkload } from './workloads/list-append-workload.js';

export interface RunOptions {
  /** Called first with the seed (log it), then as the run advances. */
  onProgress?: (progress: RunProgress) => void;
  signal?: AbortSignal;
  /** Protocols by name; default the registry (tests pass their own). */
  protocols?: Readonly<Record<string, () => Promise<ProtocolDefinition>>>;
}

/** Events simulated between progress reports and yields to the event loop. */
const SLICE_EVENTS = 200_000;
/** Node log lines quoted when a node fails. */
const FAILURE_LOG_LINES = 40;

/**
 * Simulates a protocol under a nemesis and checks the history: spec → simulation → History →
 * checker → RunResult. Deterministic in everything but the wall-clock figures: the same spec
 * gives the same history, byte for byte.
 */
export async function run(input: RunSpec, options: RunOptions = {}): Promise<RunResult> {
  const { spec, protocol } = await resolveRunSpec(input, options.protocols ?? PROTOCOLS);
  const reproduce = reproduceCommand(spec);
  const report = (p: Omit<RunProgress, 'seed'>): void => options.onProgress?.({ seed: spec.seed, ...p });
  report({ stage: 'simulate', done: 0, total: spec.ops, virtualMs: 0 });

  const simStarted = performance.now();
  const simulation = new Simulation(simulationConfig(spec, protocol));
  try {
    while (!simulation.advance(SLICE_EVENTS)) {
      if (options.signal?.aborted === true) throw options.signal.reason ?? new Error('run cancelled');
      const p = simulation.progress();
      report({ stage: 'simulate', done: p.opsDone, total: p.opsTotal, virtualMs: p.virtualMs, phase: p.phase });
      await new Promise((resolve) => setImmediate(resolve));
    }
  } catch (e) {
    throw asRunError(e, simulation, reproduce);
  }
  const outcome = simulation.outcome();
  const simulateMs = performance.now() - simStarted;

  const history = historyFromOps(outcome.ops, { source: `${spec.protocol} ${spec.nemesis} seed ${spec.seed}` });
  const checkStarted = performance.now();
  report({ stage: 'check', done: 0, total: 1, virtualMs: outcome.simulatedMs });
  const checked = await checkRunHistory(history, protocol, {
    timeLimitMs: spec.checkTimeLimitMs,
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    onProgress: (c) => report({ stage: 'check', done: c.partitionsDone, total: c.partitionsTotal, virtualMs: outcome.simulatedMs }),
  });
  const checkMs = performance.now() - checkStarted;

  const keyOwners = protocol.keyOwners;
  const availability = analyzeAvailability(history, outcome.phases, outcome.faults, {
    blockedAfterMs: spec.blockedAfterMs,
    faultGraceMs: spec.faultGraceMs,
    ...(keyOwners !== undefined ? { keyOwners: (key: unknown) => keyOwners.call(protocol, outcome.layout, key) } : {}),
    ...(protocol.lockConflict !== undefined ? { lockConflictOf: protocol.lockConflict.bind(protocol) } : {}),
  });
  const finalReads = history.operations.filter((o) => o.phase === 'final').length;
  const facts: RunFacts = {
    seed: spec.seed,
    protocol: spec.protocol,
    nemesis: spec.nemesis,
    bug: spec.bug,
    workload: protocol.opSource !== undefined ? (protocol.model?.name ?? protocol.workload) : protocol.workload,
    nodes: [...outcome.layout.nodes],
    roles: outcome.layout.roles,
    finalState: outcome.finalState,
    operations: { client: history.operations.length - finalReads, finalReads },
    messages: outcome.messages,
    nodeStats: outcome.nodes,
    events: outcome.events,
    simulatedMs: round(outcome.simulatedMs),
    wallMs: { simulate: round(simulateMs), check: round(checkMs) },
    phases: outcome.phases,
    faults: outcome.faults,
    nemesisTiming: outcome.nemesisTiming,
    availability,
    reproduce,
  };
  return { spec, history, report: checked, facts, headline: headline(checked, availability) };
}

/** The simulation a resolved spec describes; the workload's seed is a child of the root seed. */
export function simulationConfig(spec: ResolvedRunSpec, protocol: ProtocolDefinition): SimulationConfig {
  const workloadSeed = SeededRng.fromSeed(spec.seed).fork('workload').u32() | 0;
  const base = protocol.opSource !== undefined
    ? protocol.opSource({ ops: spec.ops, seed: workloadSeed })
    : protocol.workload === 'kv'
    ? kvWorkload({ ops: spec.ops, seed: workloadSeed, ...(protocol.operations !== undefined ? { fs: protocol.operations } : {}) })
    : listAppendWorkload({ ops: spec.ops, seed: workloadSeed });
  const workload = protocol.mixOps !== undefined ? protocol.mixOps(base, { seed: workloadSeed }) : base;
  return {
    protocol,
    seed: spec.seed,
    ...(spec.bug !== null ? { bug: spec.bug } : {}),
    ...(spec.nodes !== null ? { nodes: spec.nodes } : {}),
    ...(Object.keys(runParams(spec)).length > 0 ? { params: runParams(spec) } : {}),
    nemesis: spec.nemesis,
    ...(Object.keys(spec.nemesisTiming).length > 0 ? { nemesisTiming: spec.nemesisTiming } : {}),
    ...(spec.nemesisTrigger !== null ? { nemesisTrigger: spec.nemesisTrigger } : {}),
    workload,
    faultyOps: spec.ops - spec.quietOps,
    quietOps: spec.quietOps,
    clients: spec.clients,
    concurrency: spec.concurrency,
    timeoutMs: spec.timeoutMs,
    thinkMsMean: spec.thinkMsMean,
    network: spec.network,
    clockOffsetMsMax: spec.clockOffsetMsMax,
    clockDriftPpmMax: spec.clockDriftPpmMax,
    clockJumpMsMax: spec.clockJumpMsMax,
    settleMs: spec.settleMs,
    eventsMax: Math.max(5_000_000, spec.ops * EVENTS_PER_OP_MAX),
    virtualMsMax: SIMULATION_DEFAULTS.virtualMsMax,
  };
}

/**
 * The verdict and availability in one line. Blocking is a liveness verdict, apart from safety:
 * 2PC with a dead coordinator reads "blocked: availability lost, nothing inconsistent".
 */
function headline(report: Report, availability: Availability): string {
  const v = report.verdict;
  const word = v.outcome === 'ok' ? 'OK' : v.outcome === 'violated' ? 'VIOLATED' : 'UNKNOWN';
  if (!availability.blocked) return `${word}: ${v.summary}`;
  if (v.outcome === 'ok') return `blocked: availability lost, nothing inconsistent (${v.summary}) — ${availability.blockedReason ?? ''}`;
  return `${word} and blocked: ${v.summary} — ${availability.blockedReason ?? ''}`;
}

function asRunError(e: unknown, simulation: Simulation, reproduce: string): unknown {
  if (e instanceof NodeFailure) {
    const tail = simulation.sim.log.tail().slice(-FAILURE_LOG_LINES).map(formatEntry);
    const logText = tail.length > 0 ? `\n  last node log lines:\n    ${tail.join('\n    ')}` : '';
    return new WorkersError('VRD_ERR_SIM_NODE', `${e.message}${logText}`, { reproduce, cause: e });
  }
  if (e instanceof WorkersError && e.reproduce === undefined) return new WorkersError(e.code, e.reason, { reproduce, cause: e });
  return e;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
