import { WorkersError } from '../errors.js';
import type { ProtocolDefinition, ReplicationSettings, ScenarioSpec } from '../protocols/protocol.js';
import { triggerEvents } from '../sim/mark-trigger.js';
import { isNemesisName, NEMESIS_NAMES, type NemesisName, type NemesisTiming } from '../sim/nemesis-schedule.js';
import type { NetworkOptions } from '../sim/network.js';
import { SIMULATION_DEFAULTS } from '../sim/simulation-config.js';

/**
 * What a user asks `run` for (the CLI's flags, the API's job body). Only `protocol` and `seed`
 * are required; everything else has a default, and every number is checked against its bound.
 */
export interface RunSpec {
  /** A registered protocol name: `2pc`, `3pc`, `paxos`. */
  protocol: string;
  /** A named schedule (`none`, `partition-halves`, ... `mixed`). Default `none`. */
  nemesis?: string;
  /** The root seed: a non-negative safe integer. One seed, one history. */
  seed: number;
  /** Client operations, faulty and quiet phases together (final reads come on top). Default 1,000. */
  ops?: number;
  /** One of the protocol's named bugs; absent or null runs the correct protocol. */
  bug?: string | null;
  /**
   * One of the protocol's named scenarios (ProtocolScenario): its fields become this spec's
   * defaults, under any field given here. The matrix uses them; absent, a run is as documented.
   */
  scenario?: string | null;
  /**
   * One of the protocol's `marks` (or a chain `a>b`, see MarkTrigger): each fault waits, after
   * its gap, for a node to mark this event, then starts at once, aimed at that node. Absent:
   * faults start when their gap ends.
   */
  nemesisTrigger?: string | null;
  nodes?: number;
  clients?: number;
  /** Processes per client. Default 1. */
  concurrency?: number;
  /**
   * Client timeout, virtual ms: a request unanswered this long completes `info`. Default 1,000.
   * A scenario's shorter timeout changes how clients behave, not how availability is judged (see
   * `blockedAfterMs`).
   */
  timeoutMs?: number;
  thinkMsMean?: number;
  /** Operations of the quiet phase. Default 15 % of `ops`. */
  quietOps?: number;
  settleMs?: number;
  /**
   * A silence (requests waiting, none answered) this long marks the run blocked. Default 3 ×
   * timeoutMs, the timeout given here or the default one: never a scenario's, which is sized for
   * clients to retry quickly, not for failovers (a Paxos election and lease wait take ~1 s).
   */
  blockedAfterMs?: number;
  network?: Partial<NetworkOptions>;
  nemesisTiming?: Partial<NemesisTiming>;
  clockDriftPpmMax?: number;
  clockJumpMsMax?: number;
  clockOffsetMsMax?: number;
  params?: Record<string, number>;
  /** Time allowed for each check; beyond it the verdict is `unknown`. Default 60,000 ms. */
  checkTimeLimitMs?: number;
  /** Replicas per key (N), for stores with tunable replication (`eventual`). Default the protocol's. */
  n?: number;
  /** Replies a read waits for (R), 1..N. */
  r?: number;
  /** Acknowledgements a write waits for (W), 1..N. */
  w?: number;
  /** How replicas reconcile concurrent writes: `lww` (last writer wins) or `siblings` (version vectors, every sibling returned). */
  resolve?: 'lww' | 'siblings';
  /** Sloppy quorum with hinted handoff (true), or only the key's N replicas count (false). */
  sloppyQuorum?: boolean;
  /**
   * How clients pick nodes: `sticky` — each client keeps to one node (to one replica of each key,
   * where the protocol places keys) — or `roaming`, a random node per operation. Default the protocol's.
   */
  routing?: 'sticky' | 'roaming';
}

/** A validated spec with every default filled in. */
export interface ResolvedRunSpec {
  protocol: string;
  nemesis: NemesisName;
  seed: number;
  ops: number;
  bug: string | null;
  scenario: string | null;
  /** What the scenario set (empty without one): fields equal to these need no flag to replay. */
  scenarioSpec: ScenarioSpec;
  nemesisTrigger: string | null;
  nodes: number | null;
  clients: number;
  concurrency: number;
  timeoutMs: number;
  thinkMsMean: number;
  quietOps: number;
  settleMs: number;
  blockedAfterMs: number;
  /**
   * Partition sides and blocked keys are judged once a fault has lasted this long: the client
   * timeout given in the spec, or the default one (never a scenario's, see `blockedAfterMs`).
   */
  faultGraceMs: number;
  network: Partial<NetworkOptions>;
  nemesisTiming: Partial<NemesisTiming>;
  clockDriftPpmMax: number;
  clockJumpMsMax: number;
  clockOffsetMsMax: number;
  params: Record<string, number>;
  checkTimeLimitMs: number;
  /** The replication the run uses (given fields over the protocol's defaults); null for protocols without tunable replication. */
  replication: ReplicationSettings | null;
  /** The replication fields the spec gave (the rest are the protocol's defaults). */
  replicationGiven: (keyof ReplicationSettings)[];
  routing: 'sticky' | 'roaming';
  /** Whether the spec gave `routing` (else it is the protocol's). */
  routingGiven: boolean;
}

/** Bounds on spec numbers: [min, max], integers unless noted. */
const BOUNDS = {
  ops: [1, 1_000_000],
  nodes: [1, 15],
  clients: [1, 256],
  concurrency: [1, 16],
  timeoutMs: [1, 600_000],
  thinkMsMean: [0, 600_000],
  quietOps: [0, 1_000_000],
  settleMs: [0, 600_000],
  blockedAfterMs: [1, 86_400_000],
  clockDriftPpmMax: [0, 500_000],
  clockJumpMsMax: [0, 600_000],
  clockOffsetMsMax: [0, 600_000],
  checkTimeLimitMs: [1, 86_400_000],
} as const;

/** Checks a spec against the protocol registry; every error names the field and the reason. */
export async function resolveRunSpec(spec: RunSpec, registry: Readonly<Record<string, () => Promise<ProtocolDefinition>>>): Promise<{ spec: ResolvedRunSpec; protocol: ProtocolDefinition }> {
  if (spec === null || typeof spec !== 'object') throw specError('spec', 'must be an object');
  const known = Object.keys(registry).sort();
  if (typeof spec.protocol !== 'string' || !Object.prototype.hasOwnProperty.call(registry, spec.protocol)) {
    throw new WorkersError('VRD_ERR_RUN_PROTOCOL', `${JSON.stringify(spec.protocol)} (known: ${known.join(', ') || 'none registered yet'})`);
  }
  const protocol = await registry[spec.protocol]!();
  const nemesis = spec.nemesis ?? 'none';
  if (!isNemesisName(nemesis)) throw new WorkersError('VRD_ERR_RUN_NEMESIS', `${JSON.stringify(nemesis)} (known: ${NEMESIS_NAMES.join(', ')})`);
  const bug = spec.bug ?? null;
  if (bug !== null && !protocol.bugs.some((b) => b.name === bug)) {
    throw new WorkersError('VRD_ERR_RUN_BUG', `${JSON.stringify(bug)} for ${protocol.name} (known: ${protocol.bugs.map((b) => b.name).join(', ') || 'none'})`);
  }
  if (!Number.isSafeInteger(spec.seed) || spec.seed < 0) throw specError('seed', `must be a non-negative integer up to 2^53-1, got ${String(spec.seed)}`);
  const scenarioName = spec.scenario ?? null;
  const scenario = scenarioName === null ? undefined : protocol.scenarios?.find((x) => x.name === scenarioName);
  if (scenarioName !== null && scenario === undefined) {
    throw specError('scenario', `${JSON.stringify(scenarioName)} for ${protocol.name} (known: ${(protocol.scenarios ?? []).map((x) => x.name).join(', ') || 'none'})`);
  }
  const s: ScenarioSpec = { ...(protocol.defaults ?? {}), ...(scenario?.spec ?? {}) };
  const nemesisTrigger = spec.nemesisTrigger ?? s.nemesisTrigger ?? null;
  const unknownEvent = nemesisTrigger === null ? undefined : triggerEvents(nemesisTrigger).find((e) => !Object.prototype.hasOwnProperty.call(protocol.marks ?? {}, e));
  if (unknownEvent !== undefined) {
    throw specError('nemesisTrigger', `${JSON.stringify(unknownEvent)} is not an event ${protocol.name} marks (known: ${Object.keys(protocol.marks ?? {}).join(', ') || 'none'})`);
  }
  const ops = int(spec, 'ops', 1_000);
  const judgedTimeoutMs = int(spec, 'timeoutMs', SIMULATION_DEFAULTS.timeoutMs);
  const timeoutMs = int(spec, 'timeoutMs', s.timeoutMs ?? SIMULATION_DEFAULTS.timeoutMs);
  const quietOps = int(spec, 'quietOps', Math.round(ops * SIMULATION_DEFAULTS.quietFraction));
  if (quietOps > ops) throw specError('quietOps', `must be at most ops (${ops}), got ${quietOps}`);
  const params = checkedParams(spec.params, protocol);
  const replication = replicationOf(spec, protocol, params);
  const routing = routingOf(spec, protocol);
  return {
    protocol: runDefinition(protocol, { ...replicationParams(replication.settings), ...params }, routing),
    spec: {
      protocol: spec.protocol,
      nemesis,
      seed: spec.seed,
      ops,
      bug,
      scenario: scenarioName,
      scenarioSpec: { ...s },
      nemesisTrigger,
      nodes: spec.nodes === undefined ? null : int(spec, 'nodes', 0),
      clients: int(spec, 'clients', SIMULATION_DEFAULTS.clients),
      concurrency: int(spec, 'concurrency', SIMULATION_DEFAULTS.concurrency),
      timeoutMs,
      thinkMsMean: num(spec, 'thinkMsMean', s.thinkMsMean ?? SIMULATION_DEFAULTS.thinkMsMean),
      quietOps,
      settleMs: num(spec, 'settleMs', SIMULATION_DEFAULTS.settleMs),
      blockedAfterMs: num(spec, 'blockedAfterMs', 3 * judgedTimeoutMs),
      faultGraceMs: judgedTimeoutMs,
      network: { ...(spec.network ?? {}) },
      nemesisTiming: { ...(s.nemesisTiming ?? {}), ...(spec.nemesisTiming ?? {}) },
      clockDriftPpmMax: num(spec, 'clockDriftPpmMax', s.clockDriftPpmMax ?? SIMULATION_DEFAULTS.clockDriftPpmMax),
      clockJumpMsMax: num(spec, 'clockJumpMsMax', SIMULATION_DEFAULTS.clockJumpMsMax),
      clockOffsetMsMax: num(spec, 'clockOffsetMsMax', s.clockOffsetMsMax ?? SIMULATION_DEFAULTS.clockOffsetMsMax),
      params,
      checkTimeLimitMs: num(spec, 'checkTimeLimitMs', 60_000),
      replication: replication.settings,
      replicationGiven: replication.given,
      routing,
      routingGiven: spec.routing !== undefined,
    },
  };
}

/**
 * The exact command that replays a run. Spec fields the CLI has no flag for are listed after it,
 * so a reader knows the command alone is not the whole run; what `--scenario` sets needs neither.
 */
export function reproduceCommand(spec: ResolvedRunSpec): string {
  const s = spec.scenarioSpec;
  const parts = ['verdict run', `--protocol ${spec.protocol}`, `--nemesis ${spec.nemesis}`, `--seed ${spec.seed}`, `--ops ${spec.ops}`];
  if (spec.bug !== null) parts.push(`--bug ${spec.bug}`);
  if (spec.scenario !== null) parts.push(`--scenario ${spec.scenario}`);
  if (spec.nodes !== null) parts.push(`--nodes ${spec.nodes}`);
  if (spec.clients !== SIMULATION_DEFAULTS.clients) parts.push(`--clients ${spec.clients}`);
  if (spec.concurrency !== SIMULATION_DEFAULTS.concurrency) parts.push(`--concurrency ${spec.concurrency}`);
  if (spec.timeoutMs !== (s.timeoutMs ?? SIMULATION_DEFAULTS.timeoutMs)) parts.push(`--timeout-ms ${spec.timeoutMs}`);
  parts.push(...replicationFlags(spec));
  const { lossProbability, duplicateProbability, ...network } = spec.network;
  if (lossProbability !== undefined) parts.push(`--loss ${lossProbability}`);
  if (duplicateProbability !== undefined) parts.push(`--duplicate ${duplicateProbability}`);
  if (spec.clockDriftPpmMax !== (s.clockDriftPpmMax ?? SIMULATION_DEFAULTS.clockDriftPpmMax)) parts.push(`--clock-drift-ppm ${spec.clockDriftPpmMax}`);
  // ZooKeeper's read mode has its own flag; other params are listed after the command.
  const { syncReads, ...params } = spec.params;
  if (spec.protocol === 'zookeeper' && (syncReads === 0 || syncReads === 1)) parts.push(`--reads ${syncReads === 1 ? 'sync' : 'local'}`);
  else if (syncReads !== undefined) params.syncReads = syncReads;
  const extra: string[] = [];
  if (spec.nemesisTrigger !== (s.nemesisTrigger ?? null)) extra.push(`nemesisTrigger ${JSON.stringify(spec.nemesisTrigger)}`);
  if (Object.keys(network).length > 0) extra.push(`network ${JSON.stringify(network)}`);
  if (JSON.stringify(spec.nemesisTiming) !== JSON.stringify({ ...(s.nemesisTiming ?? {}) })) extra.push(`nemesisTiming ${JSON.stringify(spec.nemesisTiming)}`);
  if (Object.keys(params).length > 0) extra.push(`params ${JSON.stringify(params)}`);
  if (spec.quietOps !== Math.round(spec.ops * SIMULATION_DEFAULTS.quietFraction)) extra.push(`quietOps ${spec.quietOps}`);
  const numbers: [keyof ResolvedRunSpec & keyof typeof SIMULATION_DEFAULTS, number | undefined][] = [
    ['thinkMsMean', s.thinkMsMean], ['clockJumpMsMax', undefined], ['clockOffsetMsMax', s.clockOffsetMsMax], ['settleMs', undefined],
  ];
  for (const [field, fromScenario] of numbers) {
    if (spec[field] !== (fromScenario ?? SIMULATION_DEFAULTS[field])) extra.push(`${field} ${String(spec[field])}`);
  }
  if (spec.blockedAfterMs !== 3 * spec.faultGraceMs) extra.push(`blockedAfterMs ${spec.blockedAfterMs}`);
  return extra.length > 0 ? `${parts.join(' ')}  (with spec ${extra.join(', ')})` : parts.join(' ');
}

/** The protocol's tunables as given, once the protocol has accepted every name and value. */
function checkedParams(given: RunSpec['params'], protocol: ProtocolDefinition): Record<string, number> {
  if (given === undefined || given === null) return {};
  if (typeof given !== 'object' || Array.isArray(given)) throw specError('params', 'must be an object of numbers');
  const params = { ...given };
  if (Object.keys(params).length === 0) return params;
  if (protocol.checkParams === undefined) throw specError('params', `${protocol.name} takes no params, got ${Object.keys(params).join(', ')}`);
  try {
    protocol.checkParams(params);
  } catch (e) {
    throw specError('params', e instanceof Error ? e.message : String(e));
  }
  return params;
}

type NumericField = keyof typeof BOUNDS;

function int(spec: RunSpec, field: NumericField, fallback: number): number {
  const value = num(spec, field, fallback);
  if (!Number.isInteger(value)) throw specError(field, `must be an integer, got ${value}`);
  return value;
}

function num(spec: RunSpec, field: NumericField, fallback: number): number {
  const raw = (spec as unknown as Record<string, unknown>)[field];
  const value = raw === undefined ? fallback : raw;
  const [min, max] = BOUNDS[field];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw specError(field, `must be a number, got ${JSON.stringify(raw)}`);
  if (value < min || value > max) throw specError(field, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function specError(field: string, reason: string): WorkersError {
  return new WorkersError('VRD_ERR_RUN_SPEC', `${field} ${reason}`);
}

const REPLICATION_FIELDS = ['n', 'r', 'w', 'resolve', 'sloppyQuorum'] as const;

/**
 * The replication a run uses: the spec's `n`, `r`, `w`, `resolve` and `sloppyQuorum` over the
 * protocol's defaults, each checked here so an error names the field. Only protocols with tunable
 * replication take them; `params` of the same names count as given.
 */
function replicationOf(spec: RunSpec, protocol: ProtocolDefinition, params: Record<string, number>): { settings: ReplicationSettings | null; given: (keyof ReplicationSettings)[] } {
  const given = REPLICATION_FIELDS.filter((f) => (spec as unknown as Record<string, unknown>)[f] !== undefined);
  const defaults = protocol.replication;
  if (defaults === undefined) {
    if (given.length > 0) throw specError(given[0]!, `applies only to protocols with tunable replication (${protocol.name} has none)`);
    return { settings: null, given };
  }
  for (const f of given) {
    const asParam = f === 'resolve' ? 'siblings' : f;
    if (params[asParam] !== undefined) throw specError(f, `is given twice: as a field and as params.${asParam}`);
  }
  const nodes = spec.nodes ?? protocol.cluster({}).nodes.length;
  const n = spec.n ?? params.n ?? defaults.n;
  if (!Number.isInteger(n) || n < 1 || n > nodes) throw specError('n', `must be an integer between 1 and the cluster's ${nodes} nodes, got ${JSON.stringify(spec.n ?? params.n)}`);
  const quorum = (f: 'r' | 'w'): number => {
    const value = spec[f] ?? params[f] ?? Math.min(defaults[f], n);
    if (!Number.isInteger(value) || value < 1 || value > n) throw specError(f, `must be an integer between 1 and n (${n}), got ${JSON.stringify(spec[f] ?? params[f])}`);
    return value;
  };
  const r = quorum('r');
  const w = quorum('w');
  const resolve = spec.resolve ?? (params.siblings === undefined ? defaults.resolve : params.siblings === 1 ? 'siblings' : 'lww');
  if (resolve !== 'lww' && resolve !== 'siblings') throw specError('resolve', `must be "lww" or "siblings", got ${JSON.stringify(spec.resolve)}`);
  const sloppyQuorum = spec.sloppyQuorum ?? (params.sloppyQuorum === undefined ? defaults.sloppyQuorum : params.sloppyQuorum === 1);
  if (typeof sloppyQuorum !== 'boolean') throw specError('sloppyQuorum', `must be true or false, got ${JSON.stringify(spec.sloppyQuorum)}`);
  return { settings: { n, r, w, resolve, sloppyQuorum }, given };
}

/** Replication as the nodes' params. */
function replicationParams(settings: ReplicationSettings | null): Record<string, number> {
  if (settings === null) return {};
  return { n: settings.n, r: settings.r, w: settings.w, siblings: settings.resolve === 'siblings' ? 1 : 0, sloppyQuorum: settings.sloppyQuorum ? 1 : 0 };
}

function routingOf(spec: RunSpec, protocol: ProtocolDefinition): 'sticky' | 'roaming' {
  if (spec.routing === undefined) return protocol.clients === 'roaming' ? 'roaming' : 'sticky';
  if (spec.routing !== 'sticky' && spec.routing !== 'roaming') throw specError('routing', `must be "sticky" or "roaming", got ${JSON.stringify(spec.routing)}`);
  return spec.routing;
}

/** The protocol as this run uses it: configured for its params, its clients routed as asked. */
function runDefinition(protocol: ProtocolDefinition, params: Record<string, number>, routing: 'sticky' | 'roaming'): ProtocolDefinition {
  const configured = protocol.configure?.({ params }) ?? protocol;
  const clients = routing === 'sticky' ? 'pinned' : 'roaming';
  return (configured.clients ?? 'pinned') === clients ? configured : { ...configured, clients };
}

/** The params the nodes get: the replication fields as params, then the spec's own params. */
export function runParams(spec: ResolvedRunSpec): Record<string, number> {
  return { ...replicationParams(spec.replication), ...spec.params };
}

/** The CLI flags for the replication fields and routing a spec gave. */
function replicationFlags(spec: ResolvedRunSpec): string[] {
  const r = spec.replication;
  const flags: string[] = [];
  if (r !== null) {
    for (const f of spec.replicationGiven) {
      if (f === 'sloppyQuorum') flags.push(`--quorum ${r.sloppyQuorum ? 'sloppy' : 'strict'}`);
      else flags.push(`--${f} ${String(r[f])}`);
    }
  }
  if (spec.routingGiven) flags.push(`--routing ${spec.routing}`);
  return flags;
}
