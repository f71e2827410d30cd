import type { ClientReply, NodeBehaviour, NodeContext, NodeFactory, NodeId, Rng, TimerId } from '../../src/sim/node-context.js';
import { DurableLogStore } from '../../src/sim/durable-log.js';
import { deepFreeze, fakeRng } from './fake-node-context.js';

/**
 * A small stand-in for the simulator, for the Paxos unit tests: nodes built from factories, one
 * virtual clock and one local clock per node (offset and rate), messages with a fixed latency that
 * a test can drop by partitioning, timers on local clocks, durable storage that survives
 * `crash`/`restart`, and client requests with their replies. One loop orders everything by
 * virtual time, so a test reads as a script: do this, run 200 ms, look.
 */

/** Durable storage alone, for testing the log without a node. Values are cloned like the simulator does. */
export class MemoryStorage implements Pick<NodeContext, 'persist' | 'load'> {
  readonly data = new Map<string, unknown>();
  writes = 0;
  persist(key: string, value: unknown): void {
    this.writes++;
    this.data.set(key, structuredClone(value));
  }
  load<T>(key: string): T | undefined {
    const v = this.data.get(key);
    return v === undefined ? undefined : (structuredClone(v) as T);
  }
  readonly logs = new Map<string, DurableLogStore<unknown>>();
  durableLog<T>(name: string): DurableLogStore<T> {
    if (!this.logs.has(name)) this.logs.set(name, new DurableLogStore<unknown>());
    return this.logs.get(name) as DurableLogStore<T>;
  }
}

interface Clock {
  anchorVirtualMs: number;
  anchorLocalMs: number;
  rate: number;
}

interface PendingTimer {
  id: TimerId;
  deadlineLocalMs: number;
  tag: string;
  data: unknown;
}

interface Host {
  id: NodeId;
  factory: NodeFactory;
  storage: MemoryStorage;
  clock: Clock;
  behaviour?: NodeBehaviour;
  incarnation: number;
  up: boolean;
  timers: PendingTimer[];
  role?: string;
  requests: Set<number>;
  rng: Rng;
}

interface InFlight {
  atMs: number;
  seq: number;
  from: NodeId;
  to: NodeId;
  message: unknown;
}

export interface SentRecord {
  atMs: number;
  from: NodeId;
  to: NodeId;
  message: unknown;
}

export class PaxosFakeCluster {
  nowMs = 0;
  latencyMs = 2;
  readonly replies = new Map<number, ClientReply>();
  /** Every message sent, when `recordSends` is on. */
  readonly sent: SentRecord[] = [];
  recordSends = false;
  /** Every protocol event a node announced with `ctx.mark`. */
  readonly marks: { atMs: number; node: NodeId; event: string }[] = [];
  private readonly hosts = new Map<NodeId, Host>();
  private readonly inFlight: InFlight[] = [];
  private blocked = new Set<string>();
  private seq = 0;
  private nextTimerId = 1;
  private nextRequestId = 1;

  constructor(readonly ids: readonly NodeId[], factoryFor: (id: NodeId) => NodeFactory, seed = 1) {
    for (const id of ids) {
      this.hosts.set(id, {
        id, factory: factoryFor(id), storage: new MemoryStorage(), clock: { anchorVirtualMs: 0, anchorLocalMs: 0, rate: 1 },
        incarnation: 0, up: false, timers: [], requests: new Set(), rng: fakeRng(seed).fork(id),
      });
    }
    for (const id of ids) this.start(id);
  }

  role(id: NodeId): string | undefined {
    return this.host(id).role;
  }

  /** The up nodes announcing `leader`. */
  leaders(): NodeId[] {
    return this.ids.filter((id) => this.host(id).up && this.host(id).role === 'leader');
  }

  storage(id: NodeId): MemoryStorage {
    return this.host(id).storage;
  }

  localMs(id: NodeId): number {
    const c = this.host(id).clock;
    return c.anchorLocalMs + (this.nowMs - c.anchorVirtualMs) * c.rate;
  }

  /** Steps a node's clock by `deltaMs` and/or sets its rate from now on. */
  setClock(id: NodeId, change: { jumpMs?: number; rate?: number }): void {
    const c = this.host(id).clock;
    c.anchorLocalMs = this.localMs(id) + (change.jumpMs ?? 0);
    c.anchorVirtualMs = this.nowMs;
    if (change.rate !== undefined) c.rate = change.rate;
  }

  /** Nodes talk iff a group holds both. */
  partition(groups: readonly (readonly NodeId[])[]): void {
    this.blocked = new Set();
    for (const a of this.ids) for (const b of this.ids) {
      if (a !== b && !groups.some((g) => g.includes(a) && g.includes(b))) this.blocked.add(`${a}>${b}`);
    }
  }

  heal(): void {
    this.blocked.clear();
  }

  crash(id: NodeId): void {
    const h = this.host(id);
    h.up = false;
    h.behaviour = undefined;
    h.timers = [];
    h.role = undefined;
    h.requests.clear();
  }

  restart(id: NodeId): void {
    this.start(id);
  }

  isUp(id: NodeId): boolean {
    return this.host(id).up;
  }

  /** Delivers a client request to `id` now; its reply lands in `replies`. */
  request(id: NodeId, f: string, value: unknown): number {
    const requestId = this.nextRequestId++;
    const h = this.host(id);
    if (h.behaviour === undefined) return requestId;
    h.requests.add(requestId);
    h.behaviour.onClientRequest({ id: requestId, f, value, process: requestId });
    return requestId;
  }

  /** Runs the event loop for `ms` of virtual time. */
  run(ms: number): void {
    const end = this.nowMs + ms;
    for (let steps = 0; steps < 1_000_000; steps++) {
      const next = this.nextEvent();
      if (next === undefined || next.atMs > end) break;
      this.nowMs = Math.max(this.nowMs, next.atMs);
      next.fire();
    }
    this.nowMs = end;
  }

  /** Runs until `predicate` holds (checked after each event) or `ms` pass; returns whether it held. */
  runUntil(predicate: () => boolean, ms: number): boolean {
    const end = this.nowMs + ms;
    for (let steps = 0; steps < 1_000_000; steps++) {
      if (predicate()) return true;
      const next = this.nextEvent();
      if (next === undefined || next.atMs > end) break;
      this.nowMs = Math.max(this.nowMs, next.atMs);
      next.fire();
    }
    const held = predicate();
    if (!held) this.nowMs = end;
    return held;
  }

  private nextEvent(): { atMs: number; fire: () => void } | undefined {
    let best: { atMs: number; fire: () => void } | undefined;
    let bestMessage = -1;
    for (let i = 0; i < this.inFlight.length; i++) {
      const m = this.inFlight[i]!;
      if (best === undefined || m.atMs < best.atMs || (m.atMs === best.atMs && m.seq < this.inFlight[bestMessage]!.seq)) {
        best = { atMs: m.atMs, fire: () => undefined };
        bestMessage = i;
      }
    }
    let timerHost: Host | undefined;
    let timer: PendingTimer | undefined;
    for (const h of this.hosts.values()) {
      for (const t of h.timers) {
        const at = this.virtualAt(h, t.deadlineLocalMs);
        if (best === undefined || at < best.atMs) {
          best = { atMs: at, fire: () => undefined };
          timerHost = h;
          timer = t;
          bestMessage = -1;
        }
      }
    }
    if (best === undefined) return undefined;
    if (bestMessage >= 0) {
      const m = this.inFlight.splice(bestMessage, 1)[0]!;
      return { atMs: m.atMs, fire: () => this.deliver(m) };
    }
    const h = timerHost!;
    const t = timer!;
    return {
      atMs: best.atMs,
      fire: () => {
        h.timers = h.timers.filter((x) => x !== t);
        h.behaviour?.onTimer(t.tag, t.data);
      },
    };
  }

  private deliver(m: InFlight): void {
    if (this.blocked.has(`${m.from}>${m.to}`)) return;
    this.host(m.to).behaviour?.onMessage(m.from, m.message);
  }

  private virtualAt(h: Host, localMs: number): number {
    return Math.max(this.nowMs, h.clock.anchorVirtualMs + (localMs - h.clock.anchorLocalMs) / h.clock.rate);
  }

  private host(id: NodeId): Host {
    const h = this.hosts.get(id);
    if (h === undefined) throw new Error(`no node ${id}`);
    return h;
  }

  private start(id: NodeId): void {
    const h = this.host(id);
    h.incarnation++;
    h.up = true;
    h.timers = [];
    h.requests.clear();
    const incarnation = h.incarnation;
    const live = (): boolean => h.incarnation === incarnation && h.up;
    const cluster = this;
    const ctx: NodeContext = {
      id,
      peers: this.ids,
      now: () => cluster.localMs(id),
      send(to, message) {
        if (!live()) return;
        if (cluster.recordSends) cluster.sent.push({ atMs: cluster.nowMs, from: id, to, message });
        if (cluster.blocked.has(`${id}>${to}`)) return;
        cluster.inFlight.push({ atMs: cluster.nowMs + cluster.latencyMs, seq: cluster.seq++, from: id, to, message: deepFreeze(message) });
      },
      setTimer(delayMs, tag, data) {
        const timerId = cluster.nextTimerId++;
        if (live()) h.timers.push({ id: timerId, deadlineLocalMs: cluster.localMs(id) + Math.max(0, delayMs), tag, data });
        return timerId;
      },
      cancelTimer(timerId) {
        h.timers = h.timers.filter((t) => t.id !== timerId);
      },
      persist(key, value) {
        if (live()) h.storage.persist(key, value);
      },
      load: (key) => h.storage.load(key),
      durableLog: (name) => h.storage.durableLog(name),
      reply(requestId, reply) {
        if (!live() || !h.requests.delete(requestId)) return;
        cluster.replies.set(requestId, reply);
      },
      setRole(role) {
        if (live()) h.role = role;
      },
      mark(event) {
        if (live()) cluster.marks.push({ atMs: cluster.nowMs, node: id, event });
      },
      rng: h.rng.fork(`incarnation:${incarnation}`),
      log() {},
    };
    h.behaviour = h.factory(ctx);
    h.behaviour.onStart?.();
  }
}
