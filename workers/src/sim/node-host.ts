import type { ClockSet } from './clock.js';
import { durableCopy } from './durable-copy.js';
import { DurableLogStore } from './durable-log.js';
import { EVENT } from './event-kinds.js';
import type { ClientReply, DurableLog, NodeBehaviour, NodeContext, NodeFactory, NodeId, Rng, TimerId } from './node-context.js';
import type { SeededRng } from './rng.js';
import type { Scheduler } from './scheduler.js';

/** What a host needs from the simulator; the simulator implements it. */
export interface HostServices {
  readonly scheduler: Scheduler;
  readonly clocks: ClockSet;
  readonly peers: readonly NodeId[];
  sendFrom(from: number, to: NodeId, message: unknown): void;
  replyFrom(node: number, incarnation: number, requestId: number, reply: ClientReply): void;
  nextTimerId(): number;
  logFrom(node: number, incarnation: number, message: string, fields: Record<string, unknown> | undefined): void;
  roleChanged(node: number, role: string | undefined): void;
  marked(node: number, event: string, peer: NodeId | undefined): void;
}

interface TimerRecord {
  deadlineLocalMs: number;
  tag: string;
  data: unknown;
  /** Bumped when the node's clock changes and the timer is rescheduled; older events are stale. */
  generation: number;
}

/**
 * One server node across its incarnations (turmoil's host). Durable storage lives here and
 * survives crashes; the behaviour, its memory, its timers and its context belong to one
 * incarnation and are dropped by `crash`. `start` calls the factory again.
 */
export class NodeHost {
  incarnation = 0;
  up = false;
  behaviour: NodeBehaviour | undefined;
  role: string | undefined;
  readonly timers = new Map<TimerId, TimerRecord>();
  private readonly storage = new Map<string, unknown>();
  private readonly logs = new Map<string, DurableLogStore<unknown>>();

  constructor(
    readonly index: number,
    readonly id: NodeId,
    private readonly factory: () => NodeFactory,
    private readonly initialRole: string | undefined,
    private readonly rng: SeededRng,
    private readonly services: HostServices,
  ) {}

  /** Boots a new incarnation: a fresh behaviour from the factory, rebuilt from durable storage. */
  start(): void {
    this.incarnation++;
    this.up = true;
    this.role = this.initialRole;
    this.services.roleChanged(this.index, this.role);
    const ctx = new HostContext(this, this.incarnation, this.services, this.rng.fork(`incarnation:${this.incarnation}`));
    this.behaviour = this.factory()(ctx);
    this.behaviour.onStart?.();
  }

  /** Drops everything volatile: memory (the behaviour), timers, the role. Storage stays. */
  crash(): void {
    this.up = false;
    this.behaviour = undefined;
    this.timers.clear();
    this.role = undefined;
    this.services.roleChanged(this.index, undefined);
  }

  /** Persisting `undefined` deletes the key (storage does not grow with dead keys). */
  persist(key: string, value: unknown): void {
    if (value === undefined) this.storage.delete(key);
    else this.storage.set(key, durableCopy(value));
  }

  load<T>(key: string): T | undefined {
    const value = this.storage.get(key);
    return value === undefined ? undefined : durableCopy(value as T);
  }

  durableLog<T>(name: string): DurableLogStore<T> {
    let log = this.logs.get(name);
    if (log === undefined) {
      log = new DurableLogStore<unknown>();
      this.logs.set(name, log);
    }
    return log as DurableLogStore<T>;
  }

  /** Durable keys, sorted (for tests and reports). */
  storedKeys(): string[] {
    return [...this.storage.keys()].sort();
  }

  setTimer(delayMs: number, tag: string, data: unknown): TimerId {
    const s = this.services;
    const id = s.nextTimerId();
    const deadlineLocalMs = s.clocks.localMs(this.index, s.scheduler.nowMs) + (delayMs > 0 ? delayMs : 0);
    this.timers.set(id, { deadlineLocalMs, tag, data, generation: 0 });
    s.scheduler.at(s.clocks.virtualMsAt(this.index, deadlineLocalMs), EVENT.timer, this.index, id, 0, undefined);
    return id;
  }

  /** The timer's record if the event (id, generation) is still current; consumes it. */
  takeTimer(id: number, generation: number): TimerRecord | undefined {
    const record = this.timers.get(id);
    if (record === undefined || record.generation !== generation) return undefined;
    this.timers.delete(id);
    return record;
  }

  /** After a clock change: every pending timer fires when the *new* local clock reaches it. */
  rescheduleTimers(): void {
    const s = this.services;
    for (const [id, record] of this.timers) {
      record.generation++;
      s.scheduler.at(s.clocks.virtualMsAt(this.index, record.deadlineLocalMs), EVENT.timer, this.index, id, record.generation, undefined);
    }
  }
}

/**
 * The NodeContext of one incarnation. Calls through the context of a dead incarnation do
 * nothing: a crashed node's sends, timers and replies never happen.
 */
class HostContext implements NodeContext {
  readonly id: NodeId;
  readonly peers: readonly NodeId[];

  constructor(
    private readonly host: NodeHost,
    private readonly incarnation: number,
    private readonly services: HostServices,
    readonly rng: Rng,
  ) {
    this.id = host.id;
    this.peers = services.peers;
  }

  private get live(): boolean {
    return this.host.incarnation === this.incarnation && this.host.up;
  }

  now(): number {
    return this.services.clocks.localMs(this.host.index, this.services.scheduler.nowMs);
  }

  send(to: NodeId, message: unknown): void {
    if (this.live) this.services.sendFrom(this.host.index, to, message);
  }

  setTimer(delayMs: number, tag: string, data?: unknown): TimerId {
    return this.live ? this.host.setTimer(delayMs, tag, data) : -1;
  }

  cancelTimer(id: TimerId): void {
    if (this.live) this.host.timers.delete(id);
  }

  persist(key: string, value: unknown): void {
    if (this.live) this.host.persist(key, value);
  }

  load<T>(key: string): T | undefined {
    return this.host.load<T>(key);
  }

  durableLog<T>(name: string): DurableLog<T> {
    const store = this.host.durableLog<T>(name);
    const context = this;
    // Reads see the store; writes from a crashed incarnation are dropped, as its persist calls are.
    return {
      get start() {
        return store.start;
      },
      get end() {
        return store.end;
      },
      at: (position) => store.at(position),
      slice: (from, to) => store.slice(from, to),
      append(value) {
        if (context.live) store.append(value);
      },
      truncateFrom(position) {
        if (context.live) store.truncateFrom(position);
      },
      dropBefore(position) {
        if (context.live) store.dropBefore(position);
      },
    };
  }

  reply(requestId: number, reply: ClientReply): void {
    if (this.live) this.services.replyFrom(this.host.index, this.incarnation, requestId, reply);
  }

  setRole(role: string | undefined): void {
    if (!this.live) return;
    this.host.role = role;
    this.services.roleChanged(this.host.index, role);
  }

  mark(event: string, peer?: NodeId): void {
    if (this.live) this.services.marked(this.host.index, event, peer);
  }

  log(message: string, fields?: Record<string, unknown>): void {
    this.services.logFrom(this.host.index, this.incarnation, message, fields);
  }
}
