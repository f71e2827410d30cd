/**
 * Each node's own clock over virtual time: an offset (skew) and a rate (drift). A node's `now()`
 * and its timers run on this clock, never on virtual time, so lease and timeout logic meets the
 * clocks it would meet in production. The clock is piecewise linear: every change re-anchors it
 * at the current virtual time, so a drift change never makes it jump.
 */

/** A node clock as reports show it. */
export interface ClockReading {
  /** Local time minus virtual time, in ms, at the moment of reading. */
  offsetMs: number;
  /** Rate error in parts per million: +1000 ppm runs 0.1 % fast. */
  driftPpm: number;
}

/** Drift rates at or beyond ±1e6 ppm would stop or reverse a clock. */
const DRIFT_PPM_LIMIT = 900_000;

export class ClockSet {
  private readonly anchorVirtualMs: Float64Array;
  private readonly anchorLocalMs: Float64Array;
  private readonly rates: Float64Array;
  private readonly driftsPpm: Float64Array;

  /** `offsetsMs[i]` is node i's initial skew: its local time at virtual time 0. */
  constructor(offsetsMs: readonly number[]) {
    const n = offsetsMs.length;
    this.anchorVirtualMs = new Float64Array(n);
    this.anchorLocalMs = Float64Array.from(offsetsMs);
    this.rates = new Float64Array(n).fill(1);
    this.driftsPpm = new Float64Array(n);
  }

  get size(): number {
    return this.rates.length;
  }

  /** Node `i`'s local time at virtual time `virtualMs`. */
  localMs(i: number, virtualMs: number): number {
    return this.anchorLocalMs[i]! + (virtualMs - this.anchorVirtualMs[i]!) * this.rates[i]!;
  }

  /** The virtual time at which node `i`'s clock reads `localMs` (under its current rate). */
  virtualMsAt(i: number, localMs: number): number {
    return this.anchorVirtualMs[i]! + (localMs - this.anchorLocalMs[i]!) / this.rates[i]!;
  }

  /** Changes node `i`'s drift from `virtualMs` on; its clock stays continuous. */
  setDrift(i: number, virtualMs: number, driftPpm: number): void {
    if (!(Math.abs(driftPpm) < DRIFT_PPM_LIMIT)) throw new RangeError(`drift ${driftPpm} ppm is beyond ±${DRIFT_PPM_LIMIT} ppm`);
    this.reanchor(i, virtualMs);
    this.rates[i] = 1 + driftPpm / 1e6;
    this.driftsPpm[i] = driftPpm;
  }

  /** Steps node `i`'s clock by `deltaMs` (NTP stepping; may go backwards) at `virtualMs`. */
  jump(i: number, virtualMs: number, deltaMs: number): void {
    this.reanchor(i, virtualMs);
    this.anchorLocalMs[i] = this.anchorLocalMs[i]! + deltaMs;
  }

  read(i: number, virtualMs: number): ClockReading {
    return { offsetMs: round3(this.localMs(i, virtualMs) - virtualMs), driftPpm: this.driftsPpm[i]! };
  }

  private reanchor(i: number, virtualMs: number): void {
    this.anchorLocalMs[i] = this.localMs(i, virtualMs);
    this.anchorVirtualMs[i] = virtualMs;
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
