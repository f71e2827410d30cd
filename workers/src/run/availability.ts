import type { History, Operation } from '@verdict/checker';
import type { FaultRecord } from '../sim/nemesis.js';
import type { NemesisName } from '../sim/nemesis-schedule.js';
import type { NodeId } from '../sim/node-context.js';
import type { PhaseSpan } from '../sim/simulation.js';
import { blockedKeys, faultReach, type BlockedKey, type KeyOwners, type LockConflictOf } from './blocked-keys.js';

/** Completions by type: how a stretch of the run answered its clients. */
export interface OutcomeCounts {
  ok: number;
  fail: number;
  info: number;
}

/** A stretch of virtual time, ms. */
export interface Window {
  startMs: number;
  endMs: number;
}

/**
 * One phase's availability. A stall is time with requests waiting and no `ok` answer; silence
 * is time with requests waiting and no answer at all (no `ok`, no `fail`): blocking, as 2PC
 * blocks and 3PC, which aborts instead, does not.
 */
export interface PhaseAvailability extends OutcomeCounts {
  phase: PhaseSpan['name'];
  startMs: number;
  endMs: number;
  longestStallMs: number;
  /** Where the longest stall lay (absent when there was none). */
  longestStall?: Window;
  longestSilenceMs: number;
  longestSilence?: Window;
}

/** One side of a partition, judged by the operations sent to its nodes while it lasted. */
export interface SideAvailability extends OutcomeCounts {
  nodes: NodeId[];
  /**
   * Operations invoked on this side once the partition had lasted `faultGraceMs` (time for
   * leases to run out and elections to finish): what the side settled into. Only answers given
   * before the heal count; the rest are `unanswered`.
   */
  settled: { ok: number; fail: number; unanswered: number };
  /** Some settled operation succeeded; null when the partition was too short to tell. */
  available: boolean | null;
}

/** Availability while one fault was active. */
export interface FaultAvailability extends OutcomeCounts {
  /** Counts are of the operations invoked while the fault was active, however they ended. */
  nemesis: NemesisName;
  description: string;
  startMs: number;
  endMs: number;
  /** For partitions: each side (CAP: a consistent system keeps at most the majority side). */
  sides?: SideAvailability[];
  /** Keys unusable at live nodes once the fault had lasted `faultGraceMs` (blocking). */
  blockedKeys: BlockedKey[];
}

export interface Availability {
  phases: PhaseAvailability[];
  /**
   * The system stopped making progress: no recovery in the quiet phase, a fault during which no
   * request to a live node got any answer, a fault that left keys unusable at the live nodes, or a
   * silence of `blockedAfterMs` or more.
   */
  blocked: boolean;
  blockedReason?: string;
  /** From the heal to the first `ok` of the quiet phase; null when none came. */
  recoveredAfterMs: number | null;
  faults: FaultAvailability[];
}

const NS_PER_MS = 1e6;
/** A fault counts as blocking only when at least this many requests went unanswered in it. */
const MUTE_REQUESTS_MIN = 2;

export interface AvailabilityOptions {
  /** A silence this long (requests waiting, none answered) marks the run blocked. */
  blockedAfterMs: number;
  /**
   * Partition sides and blocked keys are judged by operations invoked once the fault had lasted
   * this long (time for leases to run out and elections to finish).
   */
  faultGraceMs: number;
  /** Where keys live, for sharded stores (the protocol's `keyOwners`). */
  keyOwners?: KeyOwners;
  /** Which lock refused an operation, from its error (the protocol's `lockConflict`). */
  lockConflictOf?: LockConflictOf;
}

/** Reads availability off the history: per phase, per fault, per partition side. */
export function analyzeAvailability(history: History, phases: readonly PhaseSpan[], faults: readonly FaultRecord[], options: AvailabilityOptions): Availability {
  const { blockedAfterMs } = options;
  const ops = history.operations.filter((o) => o.time !== undefined);
  const phaseResults = phases.map((p) => phaseAvailability(ops, p));
  const quiet = phases.find((p) => p.name === 'quiet');
  const firstQuietOk = quiet === undefined ? undefined
    : ops.filter((o) => o.status === 'ok' && o.phase !== 'final' && endMs(o) >= quiet.startMs).reduce<number | undefined>((m, o) => (m === undefined || endMs(o) < m ? endMs(o) : m), undefined);
  const recoveredAfterMs = quiet === undefined || firstQuietOk === undefined ? null : round(firstQuietOk - quiet.startMs);
  const result: Availability = {
    phases: phaseResults,
    blocked: false,
    recoveredAfterMs,
    faults: faults.map((f) => faultAvailability(ops, f, alongside(faults, f), phases, options)),
  };
  const quietResult = phaseResults.find((p) => p.phase === 'quiet');
  const mute = result.faults.map((f, i) => ({ f, unanswered: unansweredAtLive(ops, faults[i]!, alongside(faults, faults[i]!), f.endMs) })).find((x) => x.unanswered !== undefined);
  // Blame a crash or partition over the clock skew started with it: skew alone cuts no one off.
  const stuck = result.faults.find((f) => f.blockedKeys.length > 0 && f.nemesis !== 'clock-skew') ?? result.faults.find((f) => f.blockedKeys.length > 0);
  const worst = phaseResults.filter((p) => p.phase !== 'final').reduce<PhaseAvailability | undefined>((w, p) => (w === undefined || p.longestSilenceMs > w.longestSilenceMs ? p : w), undefined);
  if (quietResult !== undefined && quietResult.ok === 0 && quietResult.fail + quietResult.info > 0) {
    result.blocked = true;
    result.blockedReason = `did not recover after the faults healed: none of the ${quietResult.fail + quietResult.info} operations of the quiet phase succeeded`;
  } else if (mute !== undefined) {
    result.blocked = true;
    result.blockedReason = `no request got an answer while ${mute.f.description} (${span(mute.f)}): all ${mute.unanswered ?? 0} sent to live nodes timed out or stayed indeterminate`;
  } else if (stuck !== undefined) {
    const keys = stuck.blockedKeys;
    const tried = keys.reduce((n, k) => n + k.attempted, 0);
    result.blocked = true;
    result.blockedReason = `while ${stuck.description} (${span(stuck)}), key${keys.length > 1 ? 's' : ''} ${keys.map((k) => JSON.stringify(k.key)).join(', ')} stayed unusable at the live nodes: none of the ${tried} operations on ${keys.length > 1 ? 'them' : 'it'} succeeded once the fault had lasted ${seconds(options.faultGraceMs)}${heldBy(keys)}`;
  } else if (worst?.longestSilence !== undefined && worst.longestSilenceMs >= blockedAfterMs) {
    const silence = worst.longestSilence;
    const during = faults.filter((f) => f.startMs < silence.endMs && (f.stopMs ?? Infinity) > silence.startMs).map((f) => `${f.description} (${span({ startMs: f.startMs, endMs: f.stopMs ?? silence.endMs })})`);
    result.blocked = true;
    result.blockedReason = `no request got an answer for ${seconds(worst.longestSilenceMs)} (${span(silence)}) while requests were waiting`
      + (during.length > 0 ? `, during: ${during.join('; ')}` : '');
  }
  return result;
}

/** Counts, stall and silence of the operations invoked in one phase. */
function phaseAvailability(ops: readonly Operation[], phase: PhaseSpan): PhaseAvailability {
  const start = nsRound(phase.startMs);
  const end = phase.endMs === undefined ? Infinity : nsRound(phase.endMs);
  const counts: OutcomeCounts = { ok: 0, fail: 0, info: 0 };
  const points: Point[] = [];
  for (const o of ops) {
    const t = startMs(o);
    if (t < start || t >= end || (phase.name === 'final') !== (o.phase === 'final')) continue;
    counts[o.status]++;
    points.push({ t, kind: INVOKE });
    if (o.endTime !== undefined) points.push({ t: endMs(o), kind: o.status === 'ok' ? OK : o.status === 'fail' ? FAIL : INFO });
  }
  points.sort((a, b) => a.t - b.t || a.kind - b.kind);
  const stall = longestWindow(points, (k) => k === OK);
  const silence = longestWindow(points, (k) => k === OK || k === FAIL);
  const last = points.at(-1)?.t ?? start;
  return {
    phase: phase.name,
    startMs: round(start),
    endMs: round(end === Infinity ? last : end),
    ...counts,
    longestStallMs: stall === undefined ? 0 : round(stall.endMs - stall.startMs),
    ...(stall !== undefined ? { longestStall: stall } : {}),
    longestSilenceMs: silence === undefined ? 0 : round(silence.endMs - silence.startMs),
    ...(silence !== undefined ? { longestSilence: silence } : {}),
  };
}

const INVOKE = 0;
const OK = 1;
const FAIL = 2;
const INFO = 3;

interface Point {
  t: number;
  kind: typeof INVOKE | typeof OK | typeof FAIL | typeof INFO;
}

/**
 * The longest stretch in which requests were outstanding but no completion counted as progress.
 * A window opens when a request is invoked with no window open and closes at the next progress
 * (reopening if requests still wait); other completions do not close it. A window still open
 * at the end closes at the last point.
 */
function longestWindow(points: readonly Point[], progress: (kind: Point['kind']) => boolean): Window | undefined {
  let outstanding = 0;
  let open: number | undefined;
  let best: Window | undefined;
  const consider = (from: number, to: number): void => {
    if (to > from && (best === undefined || to - from > best.endMs - best.startMs)) best = { startMs: round(from), endMs: round(to) };
  };
  for (const p of points) {
    if (p.kind === INVOKE) {
      outstanding++;
      open ??= p.t;
      continue;
    }
    outstanding--;
    if (progress(p.kind)) {
      if (open !== undefined) consider(open, p.t);
      open = outstanding > 0 ? p.t : undefined;
    }
  }
  if (open !== undefined) consider(open, points.at(-1)!.t);
  return best;
}

/** The faults started with `fault`, in the same nemesis cycle. */
function alongside(faults: readonly FaultRecord[], fault: FaultRecord): FaultRecord[] {
  return faults.filter((g) => g !== fault && g.startMs === fault.startMs);
}

/**
 * How many requests sent to live nodes went unanswered while the fault lasted, when none got any
 * answer (and at least two were sent); otherwise undefined. Requests to crashed nodes are left
 * out: with every entry node down nobody alive is asked, which is loss, not blocking.
 */
function unansweredAtLive(ops: readonly Operation[], fault: FaultRecord, others: readonly FaultRecord[], stopMs: number): number | undefined {
  const reach = faultReach([fault, ...others]);
  const live = count(ops.filter((o) => o.phase !== 'final' && startMs(o) >= fault.startMs && startMs(o) < stopMs && reach(String(o.node), String(o.node))));
  return live.ok + live.fail === 0 && live.info >= MUTE_REQUESTS_MIN ? live.info : undefined;
}

/** Availability while `fault` lasted; `alongside`: the faults started with it, in the same cycle. */
function faultAvailability(ops: readonly Operation[], fault: FaultRecord, alongside: readonly FaultRecord[], phases: readonly PhaseSpan[], options: AvailabilityOptions): FaultAvailability {
  const graceMs = options.faultGraceMs;
  const stop = fault.stopMs ?? phases.at(-1)?.endMs ?? Infinity;
  const inWindow = ops.filter((o) => o.phase !== 'final' && startMs(o) >= fault.startMs && startMs(o) < stop);
  const result: FaultAvailability = {
    nemesis: fault.nemesis,
    description: fault.description,
    startMs: round(fault.startMs),
    endMs: round(stop),
    ...count(inWindow),
    blockedKeys: blockedKeys(inWindow, fault, stop, graceMs, {
      timeOf: (o) => ({ startMs: startMs(o), endMs: endMs(o) }),
      alongside,
      ...(options.keyOwners !== undefined ? { owners: options.keyOwners } : {}),
      ...(options.lockConflictOf !== undefined ? { lockConflictOf: options.lockConflictOf } : {}),
    }),
  };
  if (fault.family === 'partition') {
    const sides = fault.groups ?? Object.keys(fault.views ?? {}).sort().map((n) => [n]);
    const settledFrom = fault.startMs + graceMs;
    result.sides = sides.map((nodes) => {
      const side = inWindow.filter((o) => nodes.includes(String(o.node)));
      const settled = { ok: 0, fail: 0, unanswered: 0 };
      for (const o of side) {
        if (startMs(o) < settledFrom) continue;
        if (o.status === 'info' || endMs(o) >= stop) settled.unanswered++;
        else settled[o.status]++;
      }
      const attempted = settled.ok + settled.fail + settled.unanswered;
      return { nodes, ...count(side), settled, available: attempted === 0 ? null : settled.ok > 0 };
    });
  }
  return result;
}

/** Who held the blocked keys' locks, when the protocol names lock holders. */
function heldBy(keys: readonly BlockedKey[]): string {
  const holders = [...new Set(keys.flatMap((k) => (k.heldBy !== undefined ? [k.heldBy] : [])))];
  return holders.length === 0 ? '' : `, refused by the lock${holders.length > 1 ? 's' : ''} of ${holders.join(', ')} all along`;
}

function count(ops: readonly Operation[]): OutcomeCounts {
  const c: OutcomeCounts = { ok: 0, fail: 0, info: 0 };
  for (const o of ops) c[o.status]++;
  return c;
}

function startMs(o: Operation): number {
  return (o.time ?? 0) / NS_PER_MS;
}

function endMs(o: Operation): number {
  return (o.endTime ?? Infinity) / NS_PER_MS;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Phase bounds rounded as history times are (whole nanoseconds), so ops at a bound fall inside. */
function nsRound(ms: number): number {
  return Math.round(ms * NS_PER_MS) / NS_PER_MS;
}

function span(w: Window): string {
  return `${seconds(w.startMs)} to ${seconds(w.endMs)}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
