import type { PreparedPartition } from './prepare.js';
import type { PartitionResult, UnknownCause } from './result.js';
import { WglSearch } from './wgl-search.js';

export interface SchedulerLimits {
  /** Absolute deadline, `Date.now()` milliseconds; Infinity for none. */
  deadline: number;
  /** Bytes of memoisation the live searches may hold together. */
  memoryLimitBytes: number;
  /** Keep searching the other partitions after one is illegal. */
  allPartitions: boolean;
  signal?: AbortSignal | undefined;
}

/** Steps a search gets in its first slice; each slice doubles it up to the cap. */
export const FIRST_SLICE_STEPS = 4_096;
export const SLICE_STEPS_MAX = 262_144;
/** How long a search on the event loop's thread runs between yields to it. */
export const YIELD_EVERY_MS = 50;

interface Active {
  index: number;
  part: PreparedPartition;
  search?: WglSearch<any>;
  elapsedMs: number;
}

/**
 * Interleaves the searches of independent partitions, smallest first, round-robin with a step
 * budget that doubles each round, and stops at the first illegal one. A hard partition (Porcupine's
 * kv/c50-bad keys 0 and 9) therefore cannot starve the easy ones that prove the history illegal.
 * Time and cancellation are checked between slices. The live searches' memoisation counts
 * against the memory limit, and a search whose memo cannot grow within it stops at once.
 */
export class PartitionScheduler {
  readonly results: (PartitionResult | undefined)[];
  private active: Active[];
  private slice = FIRST_SLICE_STEPS;
  private stopped: UnknownCause | undefined;
  illegal: { part: PreparedPartition; search: WglSearch<any> } | undefined;
  peakCacheBytes = 0;
  private liveBytes = 0;
  /** A search stopped because its memo could not grow within the memory limit. */
  private cacheFull = false;
  totalSteps = 0;
  totalCacheEntries = 0;

  constructor(readonly partitions: readonly PreparedPartition[], private readonly limits: SchedulerLimits) {
    this.results = new Array<PartitionResult | undefined>(partitions.length);
    this.active = partitions
      .map((part, index) => ({ index, part, elapsedMs: 0 }))
      .sort((a, b) => a.part.operations.length - b.part.operations.length || a.index - b.index);
  }

  get done(): boolean {
    return this.active.length === 0 || this.stopped !== undefined || (this.illegal !== undefined && !this.limits.allPartitions);
  }

  get cause(): UnknownCause | undefined {
    return this.stopped;
  }

  get partitionsDone(): number {
    return this.results.filter((r) => r !== undefined).length;
  }

  /** One round over the live partitions. Returns true when the scheduler is done. */
  round(): boolean {
    if (this.done) return true;
    const still: Active[] = [];
    for (let a = 0; a < this.active.length; a++) {
      const entry = this.active[a]!;
      const cause = this.limitReached();
      if (cause !== undefined || (this.illegal !== undefined && !this.limits.allPartitions)) {
        if (cause !== undefined) this.stopped = cause;
        still.push(...this.active.slice(a));
        break;
      }
      entry.search ??= new WglSearch(entry.part.model, entry.part.operations, { sizeCacheForOperations: true });
      const started = performance.now();
      const before = entry.search.steps;
      const bytesBefore = entry.search.cacheBytes;
      // The memo may grow into what the other live searches leave; it stops rather than pass it.
      entry.search.cacheBytesMax = this.limits.memoryLimitBytes - (this.liveBytes - bytesBefore);
      const status = entry.search.run(this.slice);
      this.liveBytes += entry.search.cacheBytes - bytesBefore;
      if (entry.search.cacheFull) this.cacheFull = true;
      entry.elapsedMs += performance.now() - started;
      this.totalSteps += entry.search.steps - before;
      if (status === 'running') {
        still.push(entry);
        continue;
      }
      this.finish(entry, status);
      if (status === 'illegal' && this.illegal === undefined) this.illegal = { part: entry.part, search: entry.search };
    }
    this.active = still;
    this.slice = Math.min(SLICE_STEPS_MAX, this.slice * 2);
    if (this.done) this.closeUnfinished();
    return this.done;
  }

  /** Partitions not decided yet (searching or not started). */
  get undecided(): number {
    return this.active.length;
  }

  /**
   * Stops here and gives up the undecided partitions, in their original order, for another
   * thread to search from the start; their memos are dropped.
   */
  handOff(): PreparedPartition[] {
    const rest = [...this.active].sort((a, b) => a.index - b.index).map((a) => a.part);
    for (const a of this.active) if (a.search !== undefined) this.liveBytes -= a.search.cacheBytes;
    this.active = [];
    return rest;
  }

  /** Runs rounds until done. */
  runToEnd(): void {
    while (!this.round());
  }

  /** Marks the partitions left unsearched as unknown with the scheduler's cause. */
  closeUnfinished(cause: UnknownCause | undefined = this.stopped): void {
    for (const entry of this.active) {
      if (this.results[entry.index] !== undefined) continue;
      const result: PartitionResult = {
        key: entry.part.key,
        outcome: 'unknown',
        operations: entry.part.operations.length,
        steps: entry.search?.steps ?? 0,
        cacheEntries: entry.search?.cacheEntries ?? 0,
        elapsedMs: round1(entry.elapsedMs),
      };
      const why = cause ?? (this.illegal !== undefined ? undefined : 'cancelled');
      if (why !== undefined) result.cause = why;
      this.results[entry.index] = result;
    }
    this.active = [];
  }

  /** Stops the search from outside (a worker thread told to stop, a cancelled job). */
  stop(cause: UnknownCause): void {
    this.stopped = cause;
    this.closeUnfinished(cause);
  }

  private finish(entry: Active, status: 'ok' | 'illegal'): void {
    const search = entry.search!;
    this.totalCacheEntries += search.cacheEntries;
    this.results[entry.index] = {
      key: entry.part.key,
      outcome: status,
      operations: entry.part.operations.length,
      steps: search.steps,
      cacheEntries: search.cacheEntries,
      elapsedMs: round1(entry.elapsedMs),
    };
    // Drop the memo of a finished search; keep an illegal one for its counterexample.
    if (status === 'ok') {
      this.liveBytes -= search.cacheBytes;
      entry.search = undefined;
    }
  }

  private limitReached(): UnknownCause | undefined {
    if (this.limits.signal?.aborted === true) return 'cancelled';
    if (Date.now() > this.limits.deadline) return 'time-limit';
    if (this.liveBytes > this.peakCacheBytes) this.peakCacheBytes = this.liveBytes;
    if (this.liveBytes > this.limits.memoryLimitBytes || this.cacheFull) return 'memory-limit';
    return undefined;
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
