import type { History, Operation } from '../history/op.js';
import { limitsOf, unknownMessage } from '../linearizability/check.js';
import { prepareOperations } from '../linearizability/prepare.js';
import type { CheckOutcome, Counterexample, UnknownCause } from '../linearizability/result.js';
import { FIRST_SLICE_STEPS, SLICE_STEPS_MAX, YIELD_EVERY_MS, type SchedulerLimits } from '../linearizability/scheduler.js';
import type { Model } from '../models/model.js';
import { operationUnit, programOrder, processUnit, scopeLevelOf, sessionUnit, type UnitOf } from './program-order.js';
import { VersionGuard } from './version-guard.js';
import { searchModelFor } from './search-model.js';
import { sequentialComponents } from './sequential-components.js';
import { sequentialCounterexample } from './sequential-counterexample.js';
import { multiSiblingRead, siblingCounterexample } from './sibling-reads.js';
import { SequentialSearch } from './sequential-search.js';

export interface SequentialOptions {
  /** Stop with `unknown` (cause `time-limit`) after this many milliseconds. Default: no limit. */
  timeLimitMs?: number;
  /** Stop with `unknown` (cause `memory-limit`) when the search memo passes this. Default 1.5 GiB. */
  memoryLimitBytes?: number;
  /**
   * Program order per session (default: the `session` field, else the process), per process, or
   * `none`: every operation on its own, so any total order will do (serializability).
   */
  order?: 'session' | 'process' | 'none';
  /** Build the counterexample when the history is not sequentially consistent (default true). */
  counterexample?: boolean;
  /** Time for shrinking the counterexample's witness. Default 1,000 ms. */
  shrinkTimeMs?: number;
  signal?: AbortSignal;
}

export interface SequentialResult {
  outcome: CheckOutcome;
  model: string;
  /** Operations searched after the same drops as linearizability (failed, unknown reads). */
  operations: number;
  /** Program-order units: sessions, or processes. */
  units: number;
  /** Independent parts searched one by one (see `sequentialComponents`). */
  components: number;
  cause?: { kind: UnknownCause; message: string };
  counterexample?: Counterexample;
  stats: { steps: number; elapsedMs: number; cacheEntries: number; peakCacheBytes: number };
}

/** Sequential consistency, yielding to the event loop between slices. */
export async function checkSequential(model: Model<any>, history: History | readonly Operation[], options: SequentialOptions = {}): Promise<SequentialResult> {
  const run = new SequentialRun(model, history, options);
  let lastYield = performance.now();
  while (!run.slice()) {
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
  }
  return run.finish();
}

/**
 * Is there one total order of all operations that keeps each session's (or process's) program
 * order and is legal for the model? `ok`, `illegal` with a counterexample, or `unknown` with its
 * cause (a limit or a cancellation; never a guess). Real time between units is ignored.
 */
export function checkSequentialSync(model: Model<any>, history: History | readonly Operation[], options: SequentialOptions = {}): SequentialResult {
  const run = new SequentialRun(model, history, options);
  while (!run.slice());
  return run.finish();
}

/** One check: components searched smallest first, in slices, limits checked between slices. */
class SequentialRun {
  private readonly started = performance.now();
  private readonly limits: SchedulerLimits;
  private readonly prepared: ReturnType<typeof prepareOperations>;
  private readonly unitOf: UnitOf;
  private readonly components: Operation[][];
  private readonly units: number;
  private next = 0;
  private search: SequentialSearch<any> | undefined;
  private budget = FIRST_SLICE_STEPS;
  private illegal: { ops: Operation[]; search: SequentialSearch<any> } | undefined;
  /** An operation no order admits (a read of two siblings): the check is decided before any search. */
  private readonly impossible: Operation | undefined;
  private cause: UnknownCause | undefined;
  private steps = 0;
  private cacheEntries = 0;
  private peakCacheBytes = 0;

  constructor(model: Model<any>, history: History | readonly Operation[], private readonly options: SequentialOptions) {
    this.limits = limitsOf(options);
    this.prepared = prepareOperations(model, history);
    this.unitOf = options.order === 'process' ? processUnit : options.order === 'none' ? operationUnit : sessionUnit;
    const kept = this.prepared.partitions.flatMap((p) => p.operations).sort((a, b) => a.call - b.call);
    this.components = sequentialComponents(this.prepared.model, kept, this.unitOf).sort((a, b) => a.length - b.length);
    this.units = new Set(kept.map(this.unitOf)).size;
    this.impossible = multiSiblingRead(this.prepared.model, kept);
  }

  /** Runs one slice; true when the check is decided or stopped. */
  slice(): boolean {
    if (this.illegal !== undefined || this.cause !== undefined || this.impossible !== undefined) return true;
    if (this.search === undefined) {
      if (this.next >= this.components.length) return true;
      const ops = this.components[this.next]!;
      this.search = new SequentialSearch(programOrder(ops, this.unitOf), searchModelFor(this.prepared.model, ops), { guard: VersionGuard.for(this.prepared.model, ops, scopeLevelOf(this.unitOf)) });
      this.budget = FIRST_SLICE_STEPS;
    }
    const cause = this.limitReached();
    if (cause !== undefined) {
      this.cause = cause;
      return true;
    }
    const search = this.search;
    const before = search.steps;
    const status = search.run(this.budget);
    this.steps += search.steps - before;
    this.peakCacheBytes = Math.max(this.peakCacheBytes, search.cacheBytes);
    this.budget = Math.min(SLICE_STEPS_MAX, this.budget * 2);
    if (status === 'running') return false;
    this.cacheEntries += search.cacheEntries;
    if (status === 'illegal') {
      this.illegal = { ops: this.components[this.next]!, search };
      return true;
    }
    this.search = undefined;
    this.next++;
    return this.next >= this.components.length;
  }

  private limitReached(): UnknownCause | undefined {
    if (this.limits.signal?.aborted === true) return 'cancelled';
    if (Date.now() > this.limits.deadline) return 'time-limit';
    if ((this.search?.cacheBytes ?? 0) > this.limits.memoryLimitBytes) return 'memory-limit';
    return undefined;
  }

  finish(): SequentialResult {
    const outcome: CheckOutcome = this.illegal !== undefined || this.impossible !== undefined ? 'illegal' : this.cause !== undefined ? 'unknown' : 'ok';
    const result: SequentialResult = {
      outcome,
      model: this.prepared.model.name,
      operations: this.prepared.checked,
      units: this.units,
      components: this.components.length,
      stats: { steps: this.steps, elapsedMs: 0, cacheEntries: this.cacheEntries, peakCacheBytes: this.peakCacheBytes },
    };
    if (outcome === 'unknown') {
      result.cause = { kind: this.cause!, message: unknownMessage(this.cause!, this.components.length - this.next, this.components.length, 'component') };
    }
    if (this.impossible !== undefined && this.options.counterexample !== false) result.counterexample = siblingCounterexample(this.prepared.model, this.impossible);
    if (this.illegal !== undefined && this.options.counterexample !== false) {
      const label = this.components.length > 1 ? `component ${this.next + 1} of ${this.components.length}` : '';
      const ce = sequentialCounterexample(this.prepared.model, this.illegal.ops, this.illegal.search, this.unitOf, label, this.options.shrinkTimeMs ?? 1_000);
      if (ce !== undefined) result.counterexample = ce;
    }
    result.stats.elapsedMs = Math.round((performance.now() - this.started) * 10) / 10;
    return result;
  }
}
