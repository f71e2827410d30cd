import { ClockSet } from './clock.js';
import { EVENT, type EventHook } from './event-kinds.js';
import { Network, NETWORK_DEFAULTS, type NetworkOptions } from './network.js';
import type { ClientReply, ClientRequest, NodeFactory, NodeId } from './node-context.js';
import { NodeHost, type HostServices } from './node-host.js';
import type { SeededRng } from './rng.js';
import { Scheduler, type EventDispatcher, type RunStop } from './scheduler.js';
import { SimLog } from './sim-log.js';

/** How to build the simulated cluster. The simulator knows protocols only as node factories. */
export interface SimulatorOptions {
  /** The simulator's generator; network, clients and nodes get children of it. */
  rng: SeededRng;
  /** Server nodes, in the fixed order every node sees as `peers`. */
  nodes: readonly NodeId[];
  /** Roles at start; a restarted node starts with its role from here again. */
  roles?: Readonly<Record<NodeId, string>>;
  /** The factory of a node, asked again on every (re)start. */
  factoryFor(id: NodeId): NodeFactory;
  network?: Partial<NetworkOptions>;
  /** Each node's initial clock skew, in ms (default all 0). */
  clockOffsetsMs?: readonly number[];
  /** One-way latency between clients and nodes (never partitioned or lost). Default 0.2–2 ms. */
  clientLatencyMsMin?: number;
  clientLatencyMsMax?: number;
  /** Node log lines kept for failure reports (default 2,000; 0 keeps none). */
  logLinesMax?: number;
}

/** Receives the protocol events nodes announce with `ctx.mark` (the nemesis, when armed on one). */
export interface MarkListener {
  onMark(node: number, event: string, peer: NodeId | undefined): void;
}

/** Receives node replies that reach their clients. */
export interface ClientEndpoint {
  onReply(requestId: number, node: number, reply: ClientReply): void;
}

export interface SimulatorStats {
  timersFired: number;
  requestsDelivered: number;
  /** Client requests that reached a crashed node (their clients time out). */
  requestsDroppedDown: number;
  replies: number;
  /** Replies for a request the node's incarnation never received, or answered twice. */
  repliesDropped: number;
  crashes: number;
  restarts: number;
}

/** A protocol node threw: the run cannot go on, and the seed reproduces it. */
export class NodeFailure extends Error {
  override readonly name = 'NodeFailure';
  constructor(readonly node: NodeId, readonly incarnation: number, readonly timeMs: number, readonly during: string, cause: unknown) {
    super(`node ${node} (incarnation ${incarnation}) threw during ${during} at ${timeMs.toFixed(3)} ms: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

const REPLY_TYPES = new Set(['ok', 'fail', 'info']);

/**
 * The deterministic simulator core: scheduler, network, clocks and node hosts, with the client
 * request path. It imports no protocol and no workload; phases, clients and faults drive it from
 * outside (simulation.ts, client-driver.ts, nemesis.ts).
 */
export class Simulator implements EventDispatcher, HostServices {
  readonly scheduler = new Scheduler();
  readonly network: Network;
  readonly clocks: ClockSet;
  readonly peers: readonly NodeId[];
  readonly log: SimLog;
  readonly stats: SimulatorStats = { timersFired: 0, requestsDelivered: 0, requestsDroppedDown: 0, replies: 0, repliesDropped: 0, crashes: 0, restarts: 0 };
  private readonly hosts: NodeHost[];
  private readonly indexOf = new Map<NodeId, number>();
  /** Requests a node incarnation holds and may answer: request id → node * 2^20 + incarnation. */
  private readonly requests = new Map<number, number>();
  private readonly roleSeq: number[];
  private roleCounter = 0;
  private timerIds = 0;
  private readonly clientRng: SeededRng;
  private readonly clientLatencyMsMin: number;
  private readonly clientLatencyMsMax: number;
  private endpoint: ClientEndpoint | undefined;
  private markListener: MarkListener | undefined;

  constructor(options: SimulatorOptions) {
    const nodes = options.nodes;
    if (nodes.length === 0) throw new RangeError('a cluster needs at least one node');
    nodes.forEach((id, i) => {
      if (this.indexOf.has(id)) throw new RangeError(`duplicate node id ${JSON.stringify(id)}`);
      this.indexOf.set(id, i);
    });
    this.peers = Object.freeze([...nodes]);
    this.network = new Network(nodes.length, { ...NETWORK_DEFAULTS, ...options.network }, options.rng.fork('network'), this.scheduler);
    if (options.clockOffsetsMs !== undefined && options.clockOffsetsMs.length !== nodes.length) {
      throw new RangeError(`clockOffsetsMs has ${options.clockOffsetsMs.length} entries for ${nodes.length} nodes`);
    }
    this.clocks = new ClockSet(options.clockOffsetsMs ?? nodes.map(() => 0));
    this.log = new SimLog(options.logLinesMax ?? 2_000);
    this.clientRng = options.rng.fork('client-network');
    this.clientLatencyMsMin = options.clientLatencyMsMin ?? 0.2;
    this.clientLatencyMsMax = options.clientLatencyMsMax ?? 2;
    this.roleSeq = nodes.map(() => 0);
    const nodeRng = options.rng.fork('nodes');
    this.hosts = nodes.map((id, i) => new NodeHost(i, id, () => options.factoryFor(id), options.roles?.[id], nodeRng.fork(id), this));
  }

  get nodeCount(): number {
    return this.hosts.length;
  }

  get nowMs(): number {
    return this.scheduler.nowMs;
  }

  index(id: NodeId): number {
    const i = this.indexOf.get(id);
    if (i === undefined) throw new RangeError(`unknown node ${JSON.stringify(id)}`);
    return i;
  }

  host(i: number): NodeHost {
    return this.hosts[i]!;
  }

  setClientEndpoint(endpoint: ClientEndpoint): void {
    this.endpoint = endpoint;
  }

  /** Who hears `ctx.mark` announcements (one listener; none by default). */
  setMarkListener(listener: MarkListener | undefined): void {
    this.markListener = listener;
  }

  /** Boots every node, in order. */
  startAll(): void {
    for (const h of this.hosts) this.guard(h, 'start', () => h.start());
  }

  isUp(i: number): boolean {
    return this.hosts[i]!.up;
  }

  crash(i: number): void {
    const h = this.hosts[i]!;
    if (!h.up) return;
    h.crash();
    this.stats.crashes++;
  }

  restart(i: number): void {
    const h = this.hosts[i]!;
    if (h.up) return;
    this.stats.restarts++;
    this.guard(h, 'start', () => h.start());
  }

  /** Up nodes whose role is one of `roles`, most recently announced first. */
  roleHolders(roles: readonly string[]): number[] {
    return this.hosts.filter((h) => h.up && h.role !== undefined && roles.includes(h.role))
      .sort((x, y) => this.roleSeq[y.index]! - this.roleSeq[x.index]!)
      .map((h) => h.index);
  }

  /** Changes a node's clock drift; its pending timers follow its new clock. */
  setDrift(i: number, driftPpm: number): void {
    this.clocks.setDrift(i, this.nowMs, driftPpm);
    this.hosts[i]!.rescheduleTimers();
  }

  jumpClock(i: number, deltaMs: number): void {
    this.clocks.jump(i, this.nowMs, deltaMs);
    this.hosts[i]!.rescheduleTimers();
  }

  /** Sends a client request to node `i`; it arrives after a client-network latency. */
  submit(i: number, request: ClientRequest): void {
    this.scheduler.after(this.clientLatencyMs(), EVENT.clientArrive, i, request.id, 0, request);
  }

  /** Forgets a request whose client gave up: a late reply is then dropped. */
  forget(requestId: number): void {
    this.requests.delete(requestId);
  }

  hookAfter(delayMs: number, hook: EventHook, code: number, arg = 0): void {
    this.scheduler.after(delayMs, EVENT.hook, -1, code, arg, hook);
  }

  run(eventsMax: number, timeMsMax?: number): RunStop {
    return this.scheduler.run(this, eventsMax, timeMsMax);
  }

  dispatch(kind: number, node: number, a: number, b: number, ref: unknown): void {
    switch (kind) {
      case EVENT.deliver: {
        const h = this.hosts[node]!;
        if (!this.network.admits(a, node)) return;
        if (!h.up) {
          this.network.stats.droppedDown++;
          return;
        }
        this.network.stats.delivered++;
        try {
          h.behaviour!.onMessage(this.peers[a]!, ref);
        } catch (e) {
          throw this.failure(h, `onMessage from ${this.peers[a]!}`, e);
        }
        return;
      }
      case EVENT.timer: {
        const h = this.hosts[node]!;
        if (!h.up) return;
        const timer = h.takeTimer(a, b);
        if (timer === undefined) return;
        this.stats.timersFired++;
        try {
          h.behaviour!.onTimer(timer.tag, timer.data);
        } catch (e) {
          throw this.failure(h, `onTimer ${JSON.stringify(timer.tag)}`, e);
        }
        return;
      }
      case EVENT.clientArrive: {
        const h = this.hosts[node]!;
        if (!h.up) {
          this.stats.requestsDroppedDown++;
          return;
        }
        this.stats.requestsDelivered++;
        this.requests.set(a, node * 0x100000 + h.incarnation);
        const request = ref as ClientRequest;
        try {
          h.behaviour!.onClientRequest(request);
        } catch (e) {
          throw this.failure(h, `onClientRequest ${request.f}`, e);
        }
        return;
      }
      case EVENT.clientReply:
        this.endpoint?.onReply(a, node, ref as ClientReply);
        return;
      case EVENT.hook:
        (ref as EventHook).onEvent(a, b);
        return;
      default:
        throw new Error(`unknown event kind ${kind}`);
    }
  }

  // HostServices: what node contexts call.

  sendFrom(from: number, to: NodeId, message: unknown): void {
    const i = this.indexOf.get(to);
    if (i === undefined) throw new RangeError(`send to unknown node ${JSON.stringify(to)}`);
    this.network.send(from, i, message);
  }

  replyFrom(node: number, incarnation: number, requestId: number, reply: ClientReply): void {
    if (reply === null || typeof reply !== 'object' || !REPLY_TYPES.has(reply.type)) {
      throw new TypeError(`reply to request ${requestId} must be { type: 'ok' | 'fail' | 'info', ... }, got ${JSON.stringify(reply)}`);
    }
    if (this.requests.get(requestId) !== node * 0x100000 + incarnation) {
      this.stats.repliesDropped++;
      return;
    }
    this.requests.delete(requestId);
    this.stats.replies++;
    this.scheduler.after(this.clientLatencyMs(), EVENT.clientReply, node, requestId, 0, reply);
  }

  nextTimerId(): number {
    return ++this.timerIds;
  }

  logFrom(node: number, incarnation: number, message: string, fields: Record<string, unknown> | undefined): void {
    const entry = { timeMs: this.nowMs, node: this.peers[node]!, incarnation, message, ...(fields !== undefined ? { fields } : {}) };
    this.log.add(entry);
  }

  roleChanged(node: number): void {
    this.roleSeq[node] = ++this.roleCounter;
  }

  marked(node: number, event: string, peer: NodeId | undefined): void {
    this.markListener?.onMark(node, event, peer);
  }

  private clientLatencyMs(): number {
    return this.clientRng.uniform(this.clientLatencyMsMin, this.clientLatencyMsMax);
  }

  private guard(h: NodeHost, during: string, body: () => void): void {
    try {
      body();
    } catch (e) {
      throw this.failure(h, during, e);
    }
  }

  private failure(h: NodeHost, during: string, e: unknown): NodeFailure {
    return e instanceof NodeFailure ? e : new NodeFailure(h.id, h.incarnation, this.nowMs, during, e);
  }
}
