import type { Op } from '@verdict/checker';
import { WorkersError } from '../errors.js';
import type { ClusterLayout } from '../protocols/protocol.js';
import { ClientDriver, type ClientOp } from './client-driver.js';
import type { ClockReading } from './clock.js';
import type { EventHook } from './event-kinds.js';
import { HistoryRecorder } from './history-recorder.js';
import { Nemesis, type FaultRecord } from './nemesis.js';
import { NEMESIS_TIMING_DEFAULTS, NemesisSchedule, type NemesisTiming } from './nemesis-schedule.js';
import type { NetworkStats } from './network.js';
import type { NodeId } from './node-context.js';
import { SeededRng } from './rng.js';
import type { SimulationConfig } from './simulation-config.js';
import { Simulator, type SimulatorStats } from './simulator.js';

/** A phase of the run in virtual time: faults, then recovery, then the final reads. */
export interface PhaseSpan {
  name: 'faulty' | 'quiet' | 'final';
  startMs: number;
  /** Absent while the phase runs. */
  endMs?: number;
}

/** What a finished simulation hands the run pipeline. */
export interface SimulationOutcome {
  /** The history, ops in order (client operations and nemesis events). */
  ops: Op[];
  layout: ClusterLayout;
  keys: unknown[];
  phases: PhaseSpan[];
  faults: FaultRecord[];
  messages: NetworkStats;
  nodes: SimulatorStats;
  events: number;
  simulatedMs: number;
  /** Each node's role and clock at the end. */
  finalState: Record<NodeId, { up: boolean; role: string | null; clock: ClockReading }>;
  /** Fault rhythm actually used (scaled to the run when not given). */
  nemesisTiming: NemesisTiming;
}

const FINAL = 1;

/**
 * One simulated run, start to finish: boot the cluster, run clients under the nemesis for the
 * faulty phase, heal everything, let clients run the quiet phase, wait `settleMs`, take the final
 * reads. Driven in slices (`advance`) so a caller can report progress and yield.
 */
export class Simulation implements EventHook {
  readonly sim: Simulator;
  readonly layout: ClusterLayout;
  private readonly recorder: HistoryRecorder;
  private readonly clients: ClientDriver;
  private readonly nemesis: Nemesis;
  private readonly phases: PhaseSpan[] = [];
  private readonly timing: NemesisTiming;
  private started = false;
  private done = false;

  constructor(private readonly config: SimulationConfig) {
    const root = SeededRng.fromSeed(config.seed);
    const p = config.protocol;
    this.layout = p.cluster(config.nodes !== undefined ? { nodes: config.nodes } : {});
    checkLayout(p.name, this.layout);
    const clockRng = root.fork('clocks');
    const nodeOptions = {
      layout: this.layout,
      ...(config.bug !== undefined ? { bug: config.bug } : {}),
      ...(config.params !== undefined ? { params: config.params } : {}),
      clock: { driftPpmMax: config.clockDriftPpmMax, jumpMsMax: config.clockJumpMsMax },
    };
    this.sim = new Simulator({
      rng: root.fork('simulator'),
      nodes: this.layout.nodes,
      roles: this.layout.roles,
      factoryFor: (id) => p.node(id, nodeOptions),
      ...(config.network !== undefined ? { network: config.network } : {}),
      clockOffsetsMs: this.layout.nodes.map(() => clockRng.uniform(-config.clockOffsetMsMax, config.clockOffsetMsMax)),
      ...(config.logLinesMax !== undefined ? { logLinesMax: config.logLinesMax } : {}),
    });
    this.recorder = new HistoryRecorder(this.sim.scheduler);
    const entryNodes = p.entryNodes(this.layout).map((id) => this.sim.index(id));
    this.clients = new ClientDriver(this.sim, this.recorder, root.fork('clients'), {
      clients: config.clients,
      concurrency: config.concurrency,
      timeoutMs: config.timeoutMs,
      thinkMsMean: config.thinkMsMean,
      routing: p.clients ?? 'pinned',
      entryNodes,
      ...(p.pinnedNode !== undefined ? { pinnedNode: (op: ClientOp, client: number) => this.sim.index(p.pinnedNode!(this.layout, op, client)) } : {}),
    });
    this.sim.setClientEndpoint(this.clients);
    this.timing = { ...scaledTiming(config), ...config.nemesisTiming };
    const schedule = new NemesisSchedule(config.nemesis, root.fork('nemesis-schedule'), this.timing);
    this.nemesis = new Nemesis(this.sim, this.recorder, schedule, root.fork('nemesis'), {
      clockDriftPpmMax: config.clockDriftPpmMax,
      clockJumpMsMax: config.clockJumpMsMax,
      ...(config.nemesisTrigger !== undefined ? { trigger: config.nemesisTrigger } : {}),
    });
    if (config.nemesisTrigger !== undefined) this.sim.setMarkListener(this.nemesis);
  }

  /** Client operations completed so far, of `faultyOps + quietOps` (final reads come on top). */
  progress(): { opsDone: number; opsTotal: number; virtualMs: number; phase: PhaseSpan['name'] | 'boot' } {
    return {
      opsDone: Math.min(this.clients.completed, this.config.faultyOps + this.config.quietOps),
      opsTotal: this.config.faultyOps + this.config.quietOps,
      virtualMs: this.sim.nowMs,
      phase: this.phases.at(-1)?.name ?? 'boot',
    };
  }

  /** Runs up to `eventsMax` more events; true once the run is complete. */
  advance(eventsMax: number): boolean {
    if (!this.started) this.boot();
    if (this.done) return true;
    const stop = this.sim.run(eventsMax, this.config.virtualMsMax);
    if (this.done) return true;
    if (stop === 'time') this.overBudget(`virtual time passed ${this.config.virtualMsMax} ms`);
    if (stop === 'idle') this.overBudget('no events left but the run is not finished (a client operation neither completed nor timed out)');
    if (this.sim.scheduler.eventsProcessed > this.config.eventsMax) this.overBudget(`more than ${this.config.eventsMax} events (a livelock, or raise eventsMax)`);
    return false;
  }

  /** Runs to the end in one go. */
  runToEnd(): SimulationOutcome {
    while (!this.advance(1_000_000));
    return this.outcome();
  }

  onEvent(code: number): void {
    if (code !== FINAL) return;
    this.endPhase();
    this.phases.push({ name: 'final', startMs: this.sim.nowMs });
    const keys = this.config.workload.keys();
    const named = this.config.protocol.finalReads?.(this.layout, keys);
    const reads = named !== undefined
      ? named.map((r) => ({ node: this.sim.index(r.node), f: r.f, value: r.value }))
      : this.config.protocol.entryNodes(this.layout).flatMap((id) => this.config.workload.finalReadOps(keys).map((op) => ({ node: this.sim.index(id), ...op })));
    this.clients.finalReads(reads, () => {
      this.endPhase();
      this.done = true;
      this.sim.scheduler.stop();
    });
  }

  outcome(): SimulationOutcome {
    if (!this.done) throw new Error('Simulation.outcome before the run finished');
    const finalState: SimulationOutcome['finalState'] = {};
    this.layout.nodes.forEach((id, i) => {
      const h = this.sim.host(i);
      finalState[id] = { up: h.up, role: h.role ?? null, clock: this.sim.clocks.read(i, this.sim.nowMs) };
    });
    return {
      ops: this.recorder.ops,
      layout: this.layout,
      keys: this.config.workload.keys(),
      phases: this.phases,
      faults: this.nemesis.faults,
      messages: { ...this.sim.network.stats },
      nodes: { ...this.sim.stats },
      events: this.sim.scheduler.eventsProcessed,
      simulatedMs: this.sim.nowMs,
      finalState,
      nemesisTiming: this.timing,
    };
  }

  private boot(): void {
    this.started = true;
    this.sim.startAll();
    this.phases.push({ name: 'faulty', startMs: 0 });
    this.nemesis.start();
    this.clients.begin(this.config.workload, this.config.faultyOps, { onAllIssued: () => this.beginQuiet() });
  }

  private beginQuiet(): void {
    this.nemesis.healAll();
    this.endPhase();
    this.phases.push({ name: 'quiet', startMs: this.sim.nowMs });
    this.clients.begin(this.config.workload, this.config.quietOps, { onDrained: () => this.sim.hookAfter(this.config.settleMs, this, FINAL) });
  }

  private endPhase(): void {
    const current = this.phases.at(-1);
    if (current !== undefined && current.endMs === undefined) current.endMs = this.sim.nowMs;
  }

  private overBudget(reason: string): never {
    throw new WorkersError('VRD_ERR_SIM_BUDGET', `${reason} at ${this.sim.nowMs.toFixed(0)} virtual ms, ${this.sim.scheduler.eventsProcessed} events`);
  }
}

/**
 * The default rhythm assumes runs of several virtual seconds. A shorter run gets a shorter
 * rhythm, so it still sees a fault, but never below three quarters: a fault must outlast a
 * failover (election, lease) for "recovered while the fault lasted" to be told apart from
 * "blocked until it healed".
 */
function scaledTiming(config: SimulationConfig): NemesisTiming {
  const processes = config.clients * config.concurrency;
  const expectedMs = (config.faultyOps / Math.max(1, processes)) * (config.thinkMsMean + 5);
  const scale = Math.min(1, Math.max(0.75, expectedMs / 8_000));
  const t = NEMESIS_TIMING_DEFAULTS;
  return { ...t, gapMsMin: t.gapMsMin * scale, gapMsMax: t.gapMsMax * scale, faultMsMin: t.faultMsMin * scale, faultMsMax: t.faultMsMax * scale };
}

function checkLayout(protocol: string, layout: ClusterLayout): void {
  if (!Array.isArray(layout.nodes) || layout.nodes.length === 0) {
    throw new WorkersError('VRD_ERR_SIM_PROTOCOL', `${protocol}: cluster() returned no nodes`);
  }
  if (new Set(layout.nodes).size !== layout.nodes.length) {
    throw new WorkersError('VRD_ERR_SIM_PROTOCOL', `${protocol}: cluster() returned duplicate node ids ${JSON.stringify(layout.nodes)}`);
  }
}
