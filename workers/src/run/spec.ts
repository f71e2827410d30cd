import { WorkersError } from '../errors.js';
import type { ProtocolDefinition, ScenarioSpec } from '../protocols/protocol.js';
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
  const s: ScenarioSpec = scenario?.spec ?? {};
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
  return {
    protocol,
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
      clockOffsetMsMax: num(spec, 'clockOffsetMsMax', SIMULATION_DEFAULTS.clockOffsetMsMax),
      params,
      checkTimeLimitMs: num(spec, 'checkTimeLimitMs', 60_000),
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
  const extra: string[] = [];
  if (spec.nemesisTrigger !== (s.nemesisTrigger ?? null)) extra.push(`nemesisTrigger ${JSON.stringify(spec.nemesisTrigger)}`);
  if (Object.keys(spec.network).length > 0) extra.push(`network ${JSON.stringify(spec.network)}`);
  if (JSON.stringify(spec.nemesisTiming) !== JSON.stringify({ ...(s.nemesisTiming ?? {}) })) extra.push(`nemesisTiming ${JSON.stringify(spec.nemesisTiming)}`);
  if (Object.keys(spec.params).length > 0) extra.push(`params ${JSON.stringify(spec.params)}`);
  if (spec.quietOps !== Math.round(spec.ops * SIMULATION_DEFAULTS.quietFraction)) extra.push(`quietOps ${spec.quietOps}`);
  const numbers: [keyof ResolvedRunSpec & keyof typeof SIMULATION_DEFAULTS, number | undefined][] = [
    ['thinkMsMean', s.thinkMsMean], ['clockDriftPpmMax', s.clockDriftPpmMax], ['clockJumpMsMax', undefined], ['clockOffsetMsMax', undefined], ['settleMs', undefined],
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
