import type { Op, Operation } from '../history/op.js';

/** Which reads are final: taken after the last fault healed and writes stopped. */
export interface FinalReadsOptions {
  /** The `phase` that marks final reads. Default `"final"`. */
  phase?: string;
  /** Names the final reads instead of the phase (for histories that do not mark them). */
  select?: (op: Operation) => boolean;
  /**
   * Nemesis `f`s that end a fault. Default: any f that starts with or contains `stop`, `heal`,
   * `resume`, `recover` or `restart` (Jepsen's `stop`, `stop-partition`; the simulator's `stop-*`).
   */
  healFs?: readonly string[];
}

const HEAL_PATTERN = /stop|heal|resume|recover|restart/i;

export function isFinalRead(op: Operation, options: FinalReadsOptions): boolean {
  if (options.select !== undefined) return options.select(op);
  return op.phase === (options.phase ?? 'final');
}

/** The time the last fault healed, from the nemesis events; undefined when none healed or times are absent. */
export function lastHealTime(events: readonly Op[], options: FinalReadsOptions): number | undefined {
  let last: number | undefined;
  for (const e of events) {
    const heals = options.healFs !== undefined ? options.healFs.includes(e.f) : HEAL_PATTERN.test(e.f);
    if (heals && e.time !== undefined && (last === undefined || e.time > last)) last = e.time;
  }
  return last;
}

/** A duration in nanoseconds, as a person reads it. */
export function showDurationNs(ns: number): string {
  if (ns < 1e3) return `${ns} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(1)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(1)} ms`;
  return `${(ns / 1e9).toFixed(2)} s`;
}
