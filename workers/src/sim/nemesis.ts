import type { EventHook } from './event-kinds.js';
import type { HistoryRecorder } from './history-recorder.js';
import type { NemesisSchedule, FaultKind } from './nemesis-schedule.js';
import type { NodeId } from './node-context.js';
import { bridge, bridgeApart, halvesApart, isolate, majorityRing, majorityRingApart, minorityWith, randomHalves, randomMinority } from './partition-shapes.js';
import type { SeededRng } from './rng.js';
import type { MarkListener, Simulator } from './simulator.js';
import { MarkTrigger, type Aim } from './mark-trigger.js';

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
  /** For a nemesis armed on a protocol event: the mark that started this fault and aimed it. */
  trigger?: FaultTrigger;
}

/** The protocol event (`ctx.mark`) that started a fault, and who marked it. */
export interface FaultTrigger {
  event: string;
  node: NodeId;
  peer?: NodeId;
}

export interface NemesisOptions {
  /** Clock skew draws drifts within ±this bound; protocols are told the bound. */
  clockDriftPpmMax: number;
  /** Clock skew also steps clocks by up to ± this many ms (0: drift only, the lease-safe default). */
  clockJumpMsMax: number;
  /**
   * A protocol event to wait for (a name from the protocol's `marks`, or a chain `a>b`: see
   * MarkTrigger). After each gap the nemesis is armed; the cycle's faults start right after the
   * next node marks the event, aimed at that node (see `apply`). Unmarked for as long as the fault
   * would have lasted, they start unaimed.
   */
  trigger?: string;
}

const START = 1;
const STOP = 2;
/** The armed cycle's event was marked: start its faults, aimed. */
const MARKED = 3;
/** The armed cycle waited its fault's length for the event: start its faults unaimed. */
const ARM_EXPIRED = 4;

interface ActiveFault {
  record: FaultRecord;
  revert(): void;
}

/**
 * Injects faults on a schedule during the faulty phase, records each start and stop as a
 * nemesis event in the history, and heals everything when the phase ends. Targets are resolved
 * when a fault starts (who is leader *now*), from the nemesis's own generator.
 */
export class Nemesis implements EventHook, MarkListener {
  readonly faults: FaultRecord[] = [];
  private active: ActiveFault[] = [];
  private running = false;
  private cycle = 0;
  private planned: readonly FaultKind[] = [];
  private plannedDurationMs = 0;
  /** The cycle waiting for the trigger event (0: none). */
  private armedCycle = 0;
  private aim: Aim | undefined;
  private readonly trigger: MarkTrigger | undefined;

  constructor(
    private readonly sim: Simulator,
    private readonly recorder: HistoryRecorder,
    private readonly schedule: NemesisSchedule,
    private readonly rng: SeededRng,
    private readonly options: NemesisOptions,
  ) {
    this.trigger = options.trigger !== undefined ? new MarkTrigger(options.trigger) : undefined;
  }

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
    if (code === START && this.trigger !== undefined) {
      this.armedCycle = this.cycle;
      this.trigger.reset();
      this.sim.hookAfter(this.plannedDurationMs, this, ARM_EXPIRED, this.cycle);
    } else if (code === START) {
      this.begin(undefined);
    } else if (code === MARKED) {
      this.begin(this.aim);
    } else if (code === ARM_EXPIRED) {
      if (this.armedCycle !== this.cycle) return;
      this.armedCycle = 0;
      this.begin(undefined, `no node marked ${this.options.trigger ?? ''} within ${Math.round(this.plannedDurationMs)} ms of arming; started unaimed`);
    } else {
      this.revertActive();
      this.planNext();
    }
  }

  /** A node marked a protocol event: if the armed cycle waits for it, its faults start next. */
  onMark(node: number, event: string, peer: string | undefined): void {
    if (!this.running || this.armedCycle !== this.cycle || this.armedCycle === 0 || this.trigger === undefined) return;
    const peerIndex = peer === undefined ? -1 : this.sim.peers.indexOf(peer);
    const aim = this.trigger.offer(node, event, peerIndex < 0 ? undefined : peerIndex);
    if (aim === undefined) return;
    this.armedCycle = 0;
    this.aim = aim;
    // After the marking handler returns (its sends are on the wire), before any of them arrives.
    this.sim.hookAfter(0, this, MARKED, this.cycle);
  }

  private begin(aim: Aim | undefined, note?: string): void {
    for (const kind of this.planned) this.active.push(this.inject(kind, aim, note));
    this.sim.hookAfter(this.plannedDurationMs, this, STOP, this.cycle);
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

  private inject(kind: FaultKind, aim: Aim | undefined, note: string | undefined): ActiveFault {
    const record = this.apply(kind, aim);
    const r = record.record;
    if (aim !== undefined && kind !== 'clock-skew') {
      const peer = aim.peer === undefined ? undefined : this.sim.peers[aim.peer]!;
      r.trigger = { event: aim.event, node: this.sim.peers[aim.node]!, ...(peer !== undefined ? { peer } : {}) };
      r.description += `, right after ${r.trigger.node} marked ${aim.event}${peer !== undefined ? ` (${peer})` : ''}`;
    }
    if (note !== undefined) r.note = r.note === undefined ? note : `${r.note}; ${note}`;
    this.faults.push(r);
    this.recorder.nemesis(`start-${r.family}`, {
      nemesis: r.nemesis,
      description: r.description,
      ...(r.nodes !== undefined ? { nodes: r.nodes } : {}),
      ...(r.groups !== undefined ? { groups: r.groups } : {}),
      ...(r.views !== undefined ? { views: r.views } : {}),
      ...(r.clocks !== undefined ? { clocks: r.clocks } : {}),
      ...(r.note !== undefined ? { note: r.note } : {}),
      ...(r.trigger !== undefined ? { trigger: r.trigger } : {}),
    });
    return record;
  }

  /**
   * The fault `kind`, drawn now. Aimed at a mark (see `aimedAt`): crashes and isolations take the
   * marking node, partitions put it on the other side from the peer its mark names (the halves'
   * minority, a bridge side, out of hearing on the ring), a crashed minority holds it. Clock skew
   * is never aimed: it always slows the leader.
   */
  private apply(kind: FaultKind, aim?: Aim): ActiveFault {
    const sim = this.sim;
    const n = sim.nodeCount;
    const ids = (xs: readonly number[]): NodeId[] => xs.map((i) => sim.peers[i]!);
    const base = { nemesis: kind, startMs: sim.nowMs };
    const heal = (): void => sim.network.heal();
    switch (kind) {
      case 'partition-halves': {
        const groups = aim !== undefined ? halvesApart(n, aim.node, aim.peer, this.rng) : randomHalves(n, this.rng);
        sim.network.partitionGroups(groups);
        return { record: { ...base, family: 'partition', groups: groups.map(ids), description: `partitioned ${groups.map((g) => ids(g).join(' ')).join(' | ')}` }, revert: heal };
      }
      case 'partition-majority-ring': {
        const { ring, views } = aim !== undefined ? majorityRingApart(n, aim.node, aim.peer, this.rng) : majorityRing(n, this.rng);
        sim.network.partitionViews(views);
        const byNode: Record<NodeId, NodeId[]> = {};
        ring.forEach((i) => (byNode[sim.peers[i]!] = ids(views[i]!)));
        return { record: { ...base, family: 'partition', views: byNode, description: `majority ring ${ids(ring).join(' → ')}: each node hears only its neighbours` }, revert: heal };
      }
      case 'bridge': {
        const { groups, bridge: b } = aim !== undefined ? bridgeApart(n, aim.node, aim.peer, this.rng) : bridge(n, this.rng);
        sim.network.partitionGroups(groups);
        return { record: { ...base, family: 'partition', groups: groups.map(ids), nodes: [sim.peers[b]!], description: `bridge: ${ids(groups[0]!).join(' ')} | ${ids(groups[1]!).join(' ')}, joined only through ${sim.peers[b]!}` }, revert: heal };
      }
      case 'isolate-leader': {
        const { node, what, note } = aim !== undefined ? this.aimedAt(aim) : this.target('the leader', LEADER_ROLES, COORDINATOR_ROLES);
        const groups = isolate(node, n);
        sim.network.partitionGroups(groups);
        const rest = ids(groups[1]!).join(' ');
        return { record: { ...base, family: 'partition', groups: groups.map(ids), nodes: [sim.peers[node]!], description: `isolated ${sim.peers[node]!} (${what}) from ${rest}`, ...(note !== undefined ? { note } : {}) }, revert: heal };
      }
      case 'session-expiry': {
        // A server that is not the leader, cut off with the clients that reach the ensemble through
        // it, for longer than a session timeout: their sessions expire (a leader change is not the point).
        const node = aim !== undefined ? aim.node : this.nonLeader();
        const groups = isolate(node, n);
        sim.network.partitionGroups(groups);
        return { record: { ...base, family: 'partition', groups: groups.map(ids), nodes: [sim.peers[node]!], description: `isolated ${sim.peers[node]!} and its clients from ${ids(groups[1]!).join(' ')}, longer than a session timeout` }, revert: heal };
      }
      case 'crash-one':
        if (aim !== undefined) return this.crash(base, [aim.node], this.aimedAt(aim).what);
        return this.crash(base, [this.rng.int(0, n - 1)], 'a random node');
      case 'crash-minority':
        if (aim !== undefined) return this.crash(base, minorityWith(n, aim.node, aim.peer, this.rng), 'a minority');
        return this.crash(base, randomMinority(n, this.rng), 'a minority');
      case 'crash-leader': {
        const t = aim !== undefined ? this.aimedAt(aim) : this.target('the leader', LEADER_ROLES, COORDINATOR_ROLES);
        return this.crash(base, [t.node], t.what, t.note);
      }
      case 'crash-coordinator': {
        const t = aim !== undefined ? this.aimedAt(aim) : this.target('the coordinator', COORDINATOR_ROLES, LEADER_ROLES);
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

  /** A random up node that announced no leader role (any node when every one did). */
  private nonLeader(): number {
    const leaders = new Set(this.sim.roleHolders(LEADER_ROLES));
    const others: number[] = [];
    for (let i = 0; i < this.sim.nodeCount; i++) if (!leaders.has(i) && this.sim.host(i).up) others.push(i);
    return others.length > 0 ? this.rng.pick(others) : this.rng.int(0, this.sim.nodeCount - 1);
  }

  /** The target of a crash or isolation aimed at a mark: the node that marked the event. */
  private aimedAt(aim: Aim): { node: number; what: string; note?: string } {
    const role = this.sim.host(aim.node).role;
    return { node: aim.node, what: role !== undefined ? `role ${role}` : 'no role' };
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
