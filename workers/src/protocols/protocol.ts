import type { NodeFactory, NodeId } from '../sim/node-context.js';
import type { SimulationWorkload } from '../workloads/simulation-workload.js';

/**
 * What a protocol module exports so the simulator can run it and the checker can judge it.
 * The simulator reads this; a protocol never sees the simulator, only its NodeContext.
 */
export interface ProtocolDefinition {
  /** CLI name: `2pc`, `3pc`, `paxos`. */
  readonly name: string;
  readonly description: string;
  /** Switchable, named bugs; each must be found by the checker under some nemesis. */
  readonly bugs: readonly ProtocolBug[];
  /** The cluster for a run. */
  cluster(options: ClusterOptions): ClusterLayout;
  /**
   * Checks a run's `params` (its tunables) before anything runs, so a bad one is refused with the
   * spec rather than failing every node: throws an Error that names the wrong name or value.
   * Absent: the protocol takes no params.
   */
  checkParams?(params: Readonly<Record<string, number>>): void;
  /**
   * The factory of one node. The simulator calls `node(id, options)` and then the factory it
   * returns on every (re)start, so nothing a previous incarnation held in memory survives.
   */
  node(id: NodeId, options: NodeOptions): NodeFactory;
  /**
   * The operations clients issue and how the history is judged:
   * - `kv`: single-key read/write/cas `[key, value]` ops, checked with a model (linearizability
   *   and the consistency levels);
   * - `txn`: Elle list-append transactions (`f: "txn"`, `["append", k, v]`, `["r", k, list]`),
   *   checked for isolation anomalies including non-atomic commit.
   */
  readonly workload: 'kv' | 'txn';
  /**
   * For `kv` workloads whose operations are not read/write/cas (a lock's acquire and release, a
   * counter's add and read): the op stream of a run, built from its size and workload seed.
   */
  opSource?(options: { ops: number; seed: number }): SimulationWorkload;
  /**
   * For `kv` workloads: the protocol's own operations mixed into the kv stream (ZooKeeper's
   * guarantee clients). Its model reads only the kv operations (Model.judges); its invariants the rest.
   */
  mixOps?(kv: SimulationWorkload, options: { seed: number }): SimulationWorkload;
  /** The checker model for `kv` workloads (registry name and initial value). */
  readonly model?: { name: string; init?: unknown };
  /** Nodes a client may send requests to (a coordinator, or every replica). */
  entryNodes(layout: ClusterLayout): readonly NodeId[];
  /**
   * How clients pick among the entry nodes: `pinned` (default) — client c always talks to entry
   * node c mod k, like a sticky session; `roaming` — a random entry node for every operation.
   */
  readonly clients?: 'pinned' | 'roaming';
  /** For `kv` workloads, the operations clients issue (default `read`, `write`, `cas`). */
  readonly operations?: readonly ('read' | 'write' | 'cas')[];
  /**
   * For sharded stores: the nodes that hold a key (absent: every node holds every key). Lets the
   * availability analysis tell blocking — keys whose owners are up and reachable, yet unusable,
   * like 2PC's locks held in doubt — from the plain loss of a shard whose owners are down or cut off.
   */
  keyOwners?(layout: ClusterLayout, key: unknown): readonly NodeId[];
  /**
   * For stores with locks: reads a refusal from a failed operation's error — the key whose lock
   * refused it and the transaction holding that lock. Lets the availability analysis tell a lock
   * held throughout a fault (2PC's in-doubt participants) from a key that is merely contended.
   */
  lockConflict?(error: string): { key: unknown; holder: string } | undefined;
  /**
   * Requests for the final phase, after faults heal and writes stop: each is sent to the given
   * node and recorded with `phase: "final"` (the eventual and non-atomic-commit checks read them).
   */
  finalReads?(layout: ClusterLayout, keys: readonly unknown[]): { node: NodeId; f: string; value: unknown }[];
  /**
   * The protocol events its nodes announce with `ctx.mark`, each with one sentence on what it
   * means: what a run's `nemesisTrigger` may name.
   */
  readonly marks?: Readonly<Record<string, string>>;
  /** Named run setups under which textbook behaviours and bugs show reliably (see ProtocolScenario). */
  readonly scenarios?: readonly ProtocolScenario[];
  /**
   * Run spec defaults for every run of this protocol, under a scenario's and the user's own fields:
   * what the protocol assumes of its environment (the eventual store's clocks start in step, as
   * NTP keeps a Dynamo cluster's; only the clock-skew nemesis, or `clockOffsetMsMax`, skews them).
   */
  readonly defaults?: ScenarioSpec;
  /**
   * For stores whose replication is tunable (the eventual store): the defaults of the run spec's
   * `n`, `r`, `w`, `resolve` and `sloppyQuorum`. Only such protocols accept those fields; they reach
   * the nodes as the params of the same names (`resolve` as `siblings` 0 or 1, `sloppyQuorum` as 0 or 1).
   */
  readonly replication?: ReplicationSettings;
  /**
   * The definition for one run, when what the simulator and the checker need depends on the run's
   * params (the eventual store's checker model depends on its resolve mode, its final reads on N).
   * Called once per run, with the params the nodes will get.
   */
  configure?(run: { params: Readonly<Record<string, number>> }): ProtocolDefinition;
  /**
   * For `pinned` clients of a store that places keys: the node client `client` sends `op` to — a
   * token-aware driver that keeps to one replica of each key. Absent: entry node `client` mod k.
   */
  pinnedNode?(layout: ClusterLayout, op: { f: string; value: unknown }, client: number): NodeId;
}

/** A replicated store's tunable shape (see ProtocolDefinition.replication). */
export interface ReplicationSettings {
  /** Replicas per key. */
  readonly n: number;
  /** Replies a read waits for. */
  readonly r: number;
  /** Acknowledgements a write waits for. */
  readonly w: number;
  /** How concurrent writes reconcile: last writer wins, or version vectors with siblings returned to the client. */
  readonly resolve: 'lww' | 'siblings';
  /** Whether stand-ins past the N replicas take writes (with hints) and answer reads for unreachable ones. */
  readonly sloppyQuorum: boolean;
}

/**
 * A named run setup for some nemeses: protocol-timed faults, a client timeout, a fault rhythm or
 * clock bounds under which a behaviour whose window is a few milliseconds wide shows on the first
 * seed rather than by luck. `verdict run --scenario NAME` applies one to a single run; the matrix
 * applies a protocol's scenario to every variant of it (the correct protocol and each bug) in the
 * nemeses it names, and footnotes each cell that used one. A scenario is a harsher test, never a
 * different protocol: the correct variant must still pass under it.
 */
export interface ProtocolScenario {
  readonly name: string;
  /** One sentence: what it changes, and which behaviour that exposes. */
  readonly description: string;
  /** The nemeses the matrix uses it for. */
  readonly nemeses: readonly string[];
  /**
   * Seeds the matrix runs where it uses this scenario (from its first seed; default 1), for a
   * behaviour no mechanism pins down: the cell shows the weakest result over them.
   */
  readonly seeds?: number;
  /** Run spec defaults it sets; a user's explicit spec fields still win. */
  readonly spec: ScenarioSpec;
}

/** The run spec fields a scenario may set (see RunSpec for each). */
export interface ScenarioSpec {
  /** One of the protocol's `marks`: faults start right after a node marks it, aimed at that node. */
  readonly nemesisTrigger?: string;
  readonly nemesisTiming?: Readonly<{ gapMsMin?: number; gapMsMax?: number; faultMsMin?: number; faultMsMax?: number }>;
  readonly timeoutMs?: number;
  readonly thinkMsMean?: number;
  readonly clockDriftPpmMax?: number;
  readonly clockOffsetMsMax?: number;
}

export interface ProtocolBug {
  readonly name: string;
  readonly description: string;
  /** Nemeses under which the bug shows, for readers and the tests that find it (the matrix runs every nemesis regardless). */
  readonly showsUnder?: readonly string[];
}

export interface ClusterOptions {
  /** Server nodes (replicas or participants); protocols may add a coordinator. Default 3 or 5. */
  nodes?: number;
}

export interface ClusterLayout {
  nodes: readonly NodeId[];
  /** Roles at start (`coordinator`, `participant`, `acceptor`...); nodes update them with setRole. */
  roles: Readonly<Record<NodeId, string>>;
}

export interface NodeOptions {
  layout: ClusterLayout;
  bug?: string;
  /** Protocol tunables (timeouts in ms of the node's clock, lease lengths, drift margin...). */
  params?: Readonly<Record<string, number>>;
  /**
   * What the simulator promises about clocks in this run: no node's clock rate errs by more than
   * `driftPpmMax` parts per million (the clock-skew nemesis stays within it). Offsets between
   * nodes are arbitrary and constant unless `jumpMsMax` > 0, the largest step a clock may take.
   * A lease margin sized from these is safe; the drift-margin bugs ignore them.
   */
  clock?: { driftPpmMax: number; jumpMsMax: number };
}
