/**
 * What a protocol node sees of the world: the whole contract between the simulator and the
 * protocols (TigerBeetle's ReplicaType(StateMachine, MessageBus, Storage); turmoil's hosts).
 * The simulator core implements it and imports no protocol; a protocol imports only this file
 * (and pure helpers). Nodes are built by factories: a crash drops the behaviour object and all
 * its memory; a restart calls the factory again, and the node rebuilds from `load`.
 */

export type NodeId = string;
export type TimerId = number;

/** A seeded pseudo-random generator; every node and subsystem gets its own child. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], inclusive. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(xs: readonly T[]): T;
  /**
   * A child generator, independent of this one's later draws: it depends only on this
   * generator's seed and the label (the same label gives the same child).
   */
  fork(label: string): Rng;
}

/** A client operation delivered to a node. `value` follows the history format (DESIGN.md). */
export interface ClientRequest {
  /** Unique per request in the run; answer it with `ctx.reply`. */
  id: number;
  f: string;
  value: unknown;
  /** The client's process id in the history. */
  process: number;
  /**
   * A read of the final phase, after faults healed and writes stopped: a replicated store answers
   * it from this node's own copy, so the checker sees every replica's state. Absent otherwise.
   */
  final?: true;
}

/** How a node answers a client: the completion type and value the history will record. */
export type ClientReply =
  | { type: 'ok'; value: unknown }
  | { type: 'fail'; value?: unknown; error?: string }
  /** The node knows the outcome is indeterminate (it may or may not take effect). */
  | { type: 'info'; error?: string };

export interface NodeContext {
  readonly id: NodeId;
  /** Every server node in the cluster, this one included, in a fixed order. */
  readonly peers: readonly NodeId[];
  /** This node's clock in milliseconds: virtual time plus this node's skew and drift. */
  now(): number;
  /**
   * Sends through the simulated network (delay, loss, duplication, reordering, partitions).
   * The message is delivered by reference, not copied: never mutate a message after sending it
   * or on receipt (a duplicate delivers the same object twice).
   */
  send(to: NodeId, message: unknown): void;
  /**
   * Fires `onTimer(tag, data)` once this node's clock has advanced `delayMs` (so drift stretches
   * or shrinks it in virtual time). A crash cancels every timer of the incarnation.
   */
  setTimer(delayMs: number, tag: string, data?: unknown): TimerId;
  cancelTimer(id: TimerId): void;
  /** Durable storage: survives crashes. Values are copied (structured clone) on write and on load. */
  persist(key: string, value: unknown): void;
  load<T>(key: string): T | undefined;
  /**
   * The node's append-only durable log called `name` (created empty on first use): survives
   * crashes like `persist`, for a protocol's log of proposals or accepted values. Unlike
   * `persist`, an entry is kept by reference, as a sent message is: never mutate a value after
   * appending it, nor one read back with `at` or `slice`.
   */
  durableLog<T>(name: string): DurableLog<T>;
  /**
   * Answers a client request, once. Only the incarnation that received the request can answer
   * it; replies after a crash, to unknown ids, or after the client timed out are dropped.
   */
  reply(requestId: number, reply: ClientReply): void;
  /**
   * Announces this node's role so nemeses can target it: `isolate-leader` and `crash-leader` look
   * for `leader` (or `master`, `primary`), `crash-coordinator` for `coordinator`; the most recent
   * announcement wins. A (re)started node begins with its role from the cluster layout.
   */
  setRole(role: string | undefined): void;
  /**
   * Announces that this node just reached a protocol event (a 2PC participant voted yes, a 3PC
   * participant executed PreCommit, a Paxos leader learned a slot chosen), naming the `peer` it
   * concerns if any (the coordinator it answers). It changes nothing by itself: a nemesis armed on
   * the event (a run's `nemesisTrigger`) starts its next fault right after it, aimed at this node,
   * so a fault can land in a window a few milliseconds wide every time instead of by luck. Events
   * are listed in the protocol's `marks`.
   */
  mark(event: string, peer?: NodeId): void;
  readonly rng: Rng;
  log(message: string, fields?: Record<string, unknown>): void;
}

/**
 * An append-only durable log: entries at consecutive positions from `start` (the first kept) to
 * `end` (one past the last). Every change is durable once the call returns; a crashed
 * incarnation's changes are ignored, as its `persist` calls are.
 */
export interface DurableLog<T> {
  readonly start: number;
  readonly end: number;
  /** The entry at `position`, or undefined outside [start, end). */
  at(position: number): T | undefined;
  /** The entries at positions [from, to), as a new array. */
  slice(from: number, to: number): T[];
  /** Stores `value` at position `end`. */
  append(value: T): void;
  /** Drops every entry at `position` and after (a truncation). */
  truncateFrom(position: number): void;
  /** Drops every entry before `position` (a prefix a snapshot covers); `start` becomes `position`. */
  dropBefore(position: number): void;
}

/** A node's behaviour: a state machine driven by messages, timers and client requests. */
export interface NodeBehaviour {
  /** Called once after the node (re)starts, before any event. */
  onStart?(): void;
  onMessage(from: NodeId, message: unknown): void;
  onTimer(tag: string, data: unknown): void;
  onClientRequest(request: ClientRequest): void;
}

export type NodeFactory = (ctx: NodeContext) => NodeBehaviour;
