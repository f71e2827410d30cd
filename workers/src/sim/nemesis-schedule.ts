import type { SeededRng } from './rng.js';

/** The faults the nemesis can inject, one per named schedule. */
export const FAULT_KINDS = [
  'partition-halves',
  'partition-majority-ring',
  'isolate-leader',
  'bridge',
  'crash-one',
  'crash-minority',
  'crash-leader',
  'crash-coordinator',
  'clock-skew',
  'session-expiry',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * Kinds that are one protocol family's own pressure rather than a general fault: `session-expiry`
 * (ZooKeeper's sessions) cuts one server off, with the clients that reach the ensemble through it,
 * for longer than a session timeout. `mixed`, the default matrix and the swarm's general promises
 * leave them out, so adding one changes no other protocol's runs.
 */
const PROTOCOL_KINDS: readonly FaultKind[] = ['session-expiry'];

/** The kinds `mixed` draws from. */
const MIXED_KINDS: readonly FaultKind[] = FAULT_KINDS.filter((k) => !PROTOCOL_KINDS.includes(k));

/**
 * Named schedules that start several faults together each cycle. `isolate-skewed-leader` is the
 * Chubby lease hazard in one fault: the leader's clock runs slow (clock-skew makes it the slowest
 * the bound allows) while it is cut off, so the majority's leases expire before the leader thinks
 * its own has; without a drift margin it serves stale reads while a new leader takes writes.
 */
export const COMBINED_FAULTS = {
  'isolate-skewed-leader': ['clock-skew', 'isolate-leader'],
} as const satisfies Record<string, readonly FaultKind[]>;

/** Every nemesis a run can name: no faults, one fault kind (or a combination) over and over, or a generated mix. */
export const NEMESIS_NAMES = ['none', ...FAULT_KINDS, ...(Object.keys(COMBINED_FAULTS) as (keyof typeof COMBINED_FAULTS)[]), 'mixed'] as const;

export type NemesisName = (typeof NEMESIS_NAMES)[number];

/** Every nemesis but the protocol families' own (see PROTOCOL_KINDS): what applies to any protocol. */
export const GENERAL_NEMESIS_NAMES: readonly NemesisName[] = NEMESIS_NAMES.filter((n) => !(PROTOCOL_KINDS as readonly string[]).includes(n));

export function isNemesisName(s: string): s is NemesisName {
  return (NEMESIS_NAMES as readonly string[]).includes(s);
}

/** Faulty-phase rhythm: a quiet gap, then a fault held for a while, then the next cycle. */
export interface NemesisTiming {
  gapMsMin: number;
  gapMsMax: number;
  faultMsMin: number;
  faultMsMax: number;
  /** In `mixed`, the chance that clock skew joins a cycle's other fault. */
  mixedClockSkewProbability: number;
}

export const NEMESIS_TIMING_DEFAULTS: Readonly<NemesisTiming> = {
  gapMsMin: 1_000,
  gapMsMax: 2_000,
  faultMsMin: 2_000,
  faultMsMax: 4_000,
  mixedClockSkewProbability: 0.5,
};

/** One cycle: wait `gapMs`, start `faults` together, hold them `durationMs`, stop them together. */
export interface PlannedCycle {
  faults: FaultKind[];
  gapMs: number;
  durationMs: number;
}

/**
 * The cycles of a named or generated schedule, drawn lazily because the faulty phase lasts as
 * long as the clients take. `none` plans nothing; `mixed` draws a fault kind per cycle and, now
 * and then, clock skew on top (so lease bugs meet a leader change under skewed clocks).
 */
export class NemesisSchedule {
  private cycles = 0;

  constructor(
    readonly name: NemesisName,
    private readonly rng: SeededRng,
    private readonly timing: Readonly<NemesisTiming>,
    /** Bound on cycles, so a faulty phase that never ends still plans finitely. */
    private readonly cyclesMax = 10_000,
  ) {}

  next(): PlannedCycle | undefined {
    if (this.name === 'none' || this.cycles >= this.cyclesMax) return undefined;
    this.cycles++;
    const t = this.timing;
    const gapMs = this.rng.uniform(t.gapMsMin, t.gapMsMax);
    const durationMs = this.rng.uniform(t.faultMsMin, t.faultMsMax);
    if (this.name in COMBINED_FAULTS) return { faults: [...COMBINED_FAULTS[this.name as keyof typeof COMBINED_FAULTS]], gapMs, durationMs };
    if (this.name !== 'mixed') return { faults: [this.name as FaultKind], gapMs, durationMs };
    const primary = this.rng.pick(MIXED_KINDS);
    const faults: FaultKind[] = [primary];
    if (primary !== 'clock-skew' && this.rng.chance(t.mixedClockSkewProbability)) faults.push('clock-skew');
    return { faults, gapMs, durationMs };
  }
}
