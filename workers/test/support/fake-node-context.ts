import type { ClientReply, NodeBehaviour, NodeContext, NodeFactory, NodeId, Rng } from '../../src/sim/node-context.js';
import { DurableLogStore } from '../../src/sim/durable-log.js';

/**
 * A hand-driven stand-in for the simulator, for unit tests of protocol nodes: a few nodes built
 * from their factories, a global virtual clock, messages that wait in flight until the test
 * delivers them (or drops, or holds them), timers that fire when the test advances time, durable
 * storage per node that survives `crash` / `restart` (copied on persist and on load, as the
 * contract says), and one ordered trace of what each node did
 * (so a test can say "the decision was persisted before it was sent").
 */

export interface InFlight {
  from: NodeId;
  to: NodeId;
  message: unknown;
}

export type TraceEntry =
  | { node: NodeId; kind: 'send'; to: NodeId; message: unknown }
  | { node: NodeId; kind: 'persist'; key: string; value: unknown }
  | { node: NodeId; kind: 'reply'; requestId: number; reply: ClientReply }
  | { node: NodeId; kind: 'log'; message: string; fields?: Record<string, unknown> }
  | { node: NodeId; kind: 'mark'; event: string; peer?: NodeId };

interface Timer {
  id: number;
  atMs: number;
  tag: string;
  data: unknown;
}

interface FakeNode {
  id: NodeId;
  factory: NodeFactory;
  storage: Map<string, unknown>;
  logs: Map<string, DurableLogStore<unknown>>;
  behaviour?: NodeBehaviour;
  timers: Timer[];
  role?: string;
  rng: Rng;
  /** Requests made to this incarnation; replies to earlier ones are dropped, as the simulator does. */
  requests: Set<number>;
}

/** A small deterministic generator (mulberry32); tests need repeatability, not quality. */
export function fakeRng(seed: number): Rng {
  let state = seed >>> 0;
  const rng: Rng = {
    next() {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
    },
    int: (min, max) => min + Math.floor(rng.next() * (max - min + 1)),
    chance: (p) => rng.next() < p,
    pick: (xs) => xs[Math.floor(rng.next() * xs.length)]!,
    fork: (label) => fakeRng(seed ^ [...label].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0, 0x811c9dc5)),
  };
  return rng;
}

/** Freezes a message and everything in it: a node that mutates one it sent or received throws. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export class FakeCluster {
  nowMs = 0;
  readonly inFlight: InFlight[] = [];
  readonly trace: TraceEntry[] = [];
  readonly replies = new Map<number, ClientReply>();
  private readonly nodes = new Map<NodeId, FakeNode>();
  private readonly cut = new Set<string>();
  private nextTimerId = 1;
  private nextRequestId = 1;

  constructor(factories: Record<NodeId, NodeFactory>, seed = 1) {
    for (const [id, factory] of Object.entries(factories)) {
      this.nodes.set(id, { id, factory, storage: new Map(), logs: new Map(), timers: [], rng: fakeRng(seed).fork(id), requests: new Set() });
    }
    for (const id of this.nodes.keys()) this.start(id);
  }

  /** The node's durable storage, as persisted (copies). */
  storage(id: NodeId): ReadonlyMap<string, unknown> {
    return this.node(id).storage;
  }

  role(id: NodeId): string | undefined {
    return this.node(id).role;
  }

  isUp(id: NodeId): boolean {
    return this.node(id).behaviour !== undefined;
  }

  /** Sends a client request to a node; the reply, if any, lands in `replies` under the returned id. */
  request(to: NodeId, f: string, value: unknown, process = 0): number {
    const node = this.node(to);
    const id = this.nextRequestId++;
    if (node.behaviour === undefined) return id;
    node.requests.add(id);
    node.behaviour.onClientRequest({ id, f, value, process });
    return id;
  }

  /** Delivers in-flight messages (those matching `filter`, default all) until none is left, up to a bound. */
  deliver(filter: (m: InFlight) => boolean = () => true, messagesMax = 10_000): number {
    let delivered = 0;
    for (let i = 0; i < this.inFlight.length && delivered < messagesMax; ) {
      const m = this.inFlight[i]!;
      if (!filter(m)) {
        i++;
        continue;
      }
      this.inFlight.splice(i, 1);
      delivered++;
      const target = this.nodes.get(m.to);
      if (target?.behaviour === undefined || this.cut.has(`${m.from}>${m.to}`)) continue;
      target.behaviour.onMessage(m.from, m.message);
      i = 0;
    }
    return delivered;
  }

  /** Drops in-flight messages matching `filter`. */
  drop(filter: (m: InFlight) => boolean): number {
    const before = this.inFlight.length;
    const kept = this.inFlight.filter((m) => !filter(m));
    this.inFlight.splice(0, this.inFlight.length, ...kept);
    return before - kept.length;
  }

  /** Cuts both directions between every node of `a` and every node of `b` (messages are lost). */
  partition(a: readonly NodeId[], b: readonly NodeId[]): void {
    for (const x of a) for (const y of b) this.cut.add(`${x}>${y}`).add(`${y}>${x}`);
  }

  heal(): void {
    this.cut.clear();
  }

  /**
   * Moves time forward by `ms`, firing due timers in time order; after each timer the messages it
   * caused are delivered when `deliver` is true (the default), so protocols run to quiescence.
   */
  advance(ms: number, deliver = true): void {
    const end = this.nowMs + ms;
    for (let fired = 0; fired < 100_000; fired++) {
      if (deliver) this.deliver();
      const next = this.nextTimer(end);
      if (next === undefined) break;
      const [node, timer] = next;
      node.timers.splice(node.timers.indexOf(timer), 1);
      this.nowMs = Math.max(this.nowMs, timer.atMs);
      node.behaviour?.onTimer(timer.tag, timer.data);
    }
    this.nowMs = end;
  }

  crash(id: NodeId): void {
    const node = this.node(id);
    node.behaviour = undefined;
    node.timers = [];
    node.requests.clear();
  }

  restart(id: NodeId): void {
    if (this.isUp(id)) this.crash(id);
    this.start(id);
  }

  /** Trace entries of one node and kind, in order. */
  traceOf<K extends TraceEntry['kind']>(node: NodeId, kind: K): Extract<TraceEntry, { kind: K }>[] {
    return this.trace.filter((t): t is Extract<TraceEntry, { kind: K }> => t.node === node && t.kind === kind);
  }

  private nextTimer(endMs: number): [FakeNode, Timer] | undefined {
    let best: [FakeNode, Timer] | undefined;
    for (const node of this.nodes.values()) {
      for (const t of node.timers) {
        if (t.atMs <= endMs && (best === undefined || t.atMs < best[1].atMs || (t.atMs === best[1].atMs && t.id < best[1].id))) best = [node, t];
      }
    }
    return best;
  }

  private node(id: NodeId): FakeNode {
    const node = this.nodes.get(id);
    if (node === undefined) throw new Error(`no node ${id}`);
    return node;
  }

  private start(id: NodeId): void {
    const node = this.node(id);
    const behaviour = node.factory(this.context(node));
    node.behaviour = behaviour;
    behaviour.onStart?.();
  }

  private context(node: FakeNode): NodeContext {
    const cluster = this;
    const peers = [...this.nodes.keys()];
    return {
      id: node.id,
      peers,
      now: () => cluster.nowMs,
      send(to, message) {
        cluster.trace.push({ node: node.id, kind: 'send', to, message: structuredClone(message) });
        // By reference, as the simulator delivers; frozen so a node that mutates a message it
        // sent or received throws here instead of corrupting a duplicate.
        cluster.inFlight.push({ from: node.id, to, message: deepFreeze(message) });
      },
      setTimer(delayMs, tag, data) {
        const id = cluster.nextTimerId++;
        node.timers.push({ id, atMs: cluster.nowMs + delayMs, tag, data });
        return id;
      },
      cancelTimer(id) {
        node.timers = node.timers.filter((t) => t.id !== id);
      },
      persist(key, value) {
        cluster.trace.push({ node: node.id, kind: 'persist', key, value: structuredClone(value) });
        node.storage.set(key, structuredClone(value));
      },
      load: <T>(key: string) => structuredClone(node.storage.get(key)) as T | undefined,
      durableLog<T>(name: string) {
        if (!node.logs.has(name)) node.logs.set(name, new DurableLogStore<unknown>());
        return node.logs.get(name) as DurableLogStore<T>;
      },
      reply(requestId, reply) {
        if (!node.requests.delete(requestId)) return;
        cluster.trace.push({ node: node.id, kind: 'reply', requestId, reply });
        cluster.replies.set(requestId, reply);
      },
      setRole(role) {
        node.role = role;
      },
      mark(event, peer) {
        cluster.trace.push({ node: node.id, kind: 'mark', event, ...(peer !== undefined ? { peer } : {}) });
      },
      rng: node.rng,
      log(message, fields) {
        cluster.trace.push({ node: node.id, kind: 'log', message, fields });
      },
    };
  }
}
