import type { EventHook } from './event-kinds.js';
import type { HistoryRecorder } from './history-recorder.js';
import type { NemesisSchedule, FaultKind } from './nemesis-schedule.js';
import type { NodeId } from './node-context.js';
import { bridge, isolate, majorityRing, randomHalves, randomMinority } from './partition-shapes.js';
import type { SeededRng } from './rng.js';
import type { Simulator } from './simulator.js';

/** Roles the nemesis treats as "the leader" and as "the coordinator" (announced with setRole). */
export const LEADER_ROLES: readonly string[] = ['leader', 'master', 'primary'];
export const COORDINATOR_ROLES: readonly string[] = ['coordinator'];

/** One injected fault, as the run reports it and the timeline draws it. */
export interface FaultRecord {
  nemesis: FaultKind;
  /** History event family: `partition`, `crash` or `clock-skew` (f = `start-…` / `stop-…`). */
  family: 'partition' | 'crash' | 'clock-skew';
  startMs: number;
  /** Absent while the fault is still active. */
  stopMs?: number;
  /** One plain sentence: "isolated n2 (leader) from n1 n3 n4 n5". */
  description: string;
  /** Nodes crashed, isolated (the leader) or bridging. */
  nodes?: NodeId[];
  /** Sides of a partition: nodes talk iff a side holds both (a bridge node is on both). */
  groups?: NodeId[][];
  /** For the majority ring: the nodes each node still hears. */
  views?: Record<NodeId, NodeId[]>;
  /** For clock skew: each node's clock as the fault set it. */
  clocks?: Record<NodeId, { driftPpm: number; offsetMs: number }>;
  /** When the intended target did not exist (no leader announced), what was done instead. */
  note?: string;
}

export interface NemesisOptions {
  /** Clock skew draws drifts within ±this bound; protocols are told the bound. */
  clockDriftPpmMax: number;
  /** Clock skew also steps clocks by up to ± this many ms (0: drift only, the lease-safe default). */
  clockJumpMsMax: number;
}

const START = 1;
const STOP = 2;

interface ActiveFault {
  record: FaultRecord;
  revert(): void;
}

/**
 * Injects faults on a schedule during the faulty phase, records each start and stop as a
 * nemesis event in the history, and heals everything when the phase ends. Targets are resolved
 * when a fault starts (who is leader *now*), from the nemesis's own generator.
 */
export class Nemesis implements EventHook {
  readonly faults: FaultRecord[] = [];
  private active: ActiveFault[] = [];
  private running = false;
  private cycle = 0;
  private planned: readonly FaultKind[] = [];
  private plannedDurationMs = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly recorder: HistoryRecorder,
    private readonly schedule: NemesisSchedule,
    private readonly rng: SeededRng,
    private readonly options: NemesisOptions,
  ) {}

  start(): void {
    this.running = true;
    this.planNext();
  }

  /** Ends the faulty phase: stops active faults now and plans no more. */
  healAll(): void {
    this.running = false;
    this.revertActive();
  }

  onEvent(code: number, arg: number): void {
    if (!this.running || arg !== this.cycle) return;
    if (code === START) {
      for (const kind of this.planned) this.active.push(this.inject(kind));
      this.sim.hookAfter(this.plannedDurationMs, this, STOP, this.cycle);
    } else {
      this.revertActive();
      this.planNext();
    }
  }

  private planNext(): void {
    const next = this.schedule.next();
    if (next === undefined) return;
    this.cycle++;
    this.planned = next.faults;
    this.plannedDurationMs = next.durationMs;
    this.sim.hookAfter(next.gapMs, this, START, this.cycle);
  }

  private revertActive(): void {
    const active = this.active;
    this.active = [];
    // Undo in reverse order of injection.
    for (let i = active.length - 1; i >= 0; i--) {
      const { record, revert } = active[i]!;
      revert();
      record.stopMs = this.sim.nowMs;
      this.recorder.nemesis(`stop-${record.family}`, { nemesis: record.nemesis, ...(record.nodes !== undefined ? { nodes: record.nodes } : {}) });
    }
  }

  private inject(kind: FaultKind): ActiveFault {
    const record = this.apply(kind);
    this.faults.push(record.record);
    const r = record.record;
    this.recorder.nemesis(`start-${r.family}`, {
      nemesis: r.nemesis,
      description: r.description,
      ...(r.nodes !== undefined ? { nodes: r.nodes } : {}),
      ...(r.groups !== undefined ? { groups: r.groups } : {}),
      ...(r.views !== undefined ? { views: r.views } : {}),
      ...(r.clocks !== undefined ? { clocks: r.clocks } : {}),
      ...(r.note !== undefined ? { note: r.note } : {}),
    });
    return record;
  }

  private apply(kind: FaultKind): ActiveFault {
    const sim = this.sim;
    const n = sim.nodeCount;
    const ids = (xs: readonly number[]): NodeId[] => xs.map((i) => sim.peers[i]!);
    const base = { nemesis: kind, startMs: sim.nowMs };
    const heal = (): void => sim.network.heal();
    switch (kind) {
      case 'partition-halves': {
        const groups = randomHalves(n, this.rng);
        sim.network.partitionGroups(groups);
        return { record: { ...base, family: 'partition', groups: groups.map(ids), description: `partitioned ${groups.map((g) => ids(g).join(' ')).join(' | ')}` }, revert: heal };
      }
      case 'partition-majority-ring': {
        const { ring, views } = majorityRing(n, this.rng);
        sim.network.partitionViews(views);
        const byNode: Record<NodeId, NodeId[]> = {};
        ring.forEach((i) => (byNode[sim.peers[i]!] = ids(views[i]!)));
        return { record: { ...base, family: 'partition', views: byNode, description: `majority ring ${ids(ring).join(' → ')}: each node hears only its neighbours` }, revert: heal };
      }
      case 'bridge': {
        const { groups, bridge: b } = bridge(n, this.rng);
        sim.network.partitionGroups(groups);
        return { record: { ...base, family: 'partition', groups: groups.map(ids), nodes: [sim.peers[b]!], description: `bridge: ${ids(groups[0]!).join(' ')} | ${ids(groups[1]!).join(' ')}, joined only through ${sim.peers[b]!}` }, revert: heal };
      }
      case 'isolate-leader': {
        const { node, what, note } = this.target('the leader', LEADER_ROLES, COORDINATOR_ROLES);
        const groups = isolate(node, n);
        sim.network.partitionGroups(groups);
        const rest = ids(groups[1]!).join(' ');
        return { record: { ...base, family: 'partition', groups: groups.map(ids), nodes: [sim.peers[node]!], description: `isolated ${sim.peers[node]!} (${what}) from ${rest}`, ...(note !== undefined ? { note } : {}) }, revert: heal };
      }
      case 'crash-one':
        return this.crash(base, [this.rng.int(0, n - 1)], 'a random node');
      case 'crash-minority':
        return this.crash(base, randomMinority(n, this.rng), 'a minority');
      case 'crash-leader': {
        const t = this.target('the leader', LEADER_ROLES, COORDINATOR_ROLES);
        return this.crash(base, [t.node], t.what, t.note);
      }
      case 'crash-coordinator': {
        const t = this.target('the coordinator', COORDINATOR_ROLES, LEADER_ROLES);
        return this.crash(base, [t.node], t.what, t.note);
      }
      case 'clock-skew':
        return this.skewClocks(base);
    }
  }

  private crash(base: { nemesis: FaultKind; startMs: number }, nodes: number[], what: string, note?: string): ActiveFault {
    for (const i of nodes) this.sim.crash(i);
    const names = nodes.map((i) => this.sim.peers[i]!);
    return {
      record: { ...base, family: 'crash', nodes: names, description: `crashed ${names.join(' ')} (${what})`, ...(note !== undefined ? { note } : {}) },
      revert: () => {
        for (const i of nodes) this.sim.restart(i);
      },
    };
  }

  /**
   * Adversarial, bounded skew: nodes holding a leader role run as slow as the bound allows and
   * the others as fast, the worst case for leases that stay within the promised drift bound.
   * With no leader announced, every node drifts randomly within the bound.
   */
  private skewClocks(base: { nemesis: FaultKind; startMs: number }): ActiveFault {
    const sim = this.sim;
    const max = this.options.clockDriftPpmMax;
    const leaders = new Set(sim.roleHolders(LEADER_ROLES));
    const adversarial = leaders.size > 0;
    const clocks: Record<NodeId, { driftPpm: number; offsetMs: number }> = {};
    for (let i = 0; i < sim.nodeCount; i++) {
      const drift = !adversarial ? Math.round(this.rng.uniform(-max, max)) : leaders.has(i) ? -max : max;
      sim.setDrift(i, drift);
      if (this.options.clockJumpMsMax > 0) sim.jumpClock(i, this.rng.uniform(-this.options.clockJumpMsMax, this.options.clockJumpMsMax));
      clocks[sim.peers[i]!] = sim.clocks.read(i, sim.nowMs);
    }
    const slow = [...leaders].map((i) => sim.peers[i]!);
    return {
      record: { ...base, family: 'clock-skew', clocks, description: `clocks drift up to ±${max} ppm${slow.length > 0 ? `; ${slow.join(' ')} (leader) runs slow` : ''}` },
      revert: () => {
        for (let i = 0; i < sim.nodeCount; i++) sim.setDrift(i, 0);
      },
    };
  }

  /**
   * The up node holding one of `roles` (newest announcement first), else one of `fallback`,
   * else a random node; `what` says which it was, for the record.
   */
  private target(name: string, roles: readonly string[], fallback: readonly string[]): { node: number; what: string; note?: string } {
    const first = this.sim.roleHolders(roles)[0];
    if (first !== undefined) return { node: first, what: `${name}, role ${this.sim.host(first).role ?? ''}` };
    const second = this.sim.roleHolders(fallback)[0];
    if (second !== undefined) {
      const role = this.sim.host(second).role ?? '';
      return { node: second, what: `role ${role}`, note: `no up node announced role ${roles.join('/')}; took the ${role}` };
    }
    const node = this.rng.int(0, this.sim.nodeCount - 1);
    return { node, what: 'a random node', note: `no up node announced role ${[...roles, ...fallback].join('/')}; took a random node` };
  }
}
