import type { Operation } from '../history/op.js';
import { isInconsistent, type CompleteModel } from '../models/model.js';
import { firstRequired, linkEntries, markReadOnly, markRequired, numberInfos } from './search-layout.js';
import { findTwins } from './twins.js';
import { VisitedCache, type LinearizedWindow } from './visited-cache.js';
import { zobristKeys } from './zobrist.js';

export type SearchStatus = 'ok' | 'illegal' | 'running';

/** An operation that could not be linearized at the deepest point, and why. */
export interface BlockedAttempt {
  op: Operation;
  reason: string;
}

/** One way the search got stuck at its deepest point: the last steps, then what could not follow. */
export interface RawFinalPath {
  steps: { op: Operation; state: unknown }[];
  /** The operation whose completion the search could not get past. */
  blocked: Operation;
  /** Every pending operation tried at that point and why it could not go next. */
  attempts: BlockedAttempt[];
}

export interface RawCounterexample {
  /** The longest linearizable prefix found, in order, with the state after each step. */
  prefix: { op: Operation; state: unknown }[];
  initialState: unknown;
  /** The operation that cannot follow the longest prefix. */
  blocked: Operation;
  finalPaths: RawFinalPath[];
}

export interface WglSearchOptions {
  /** Record the longest prefix and final paths (cheap, amortised). Default true. */
  trackCounterexample?: boolean;
  /** How many distinct final paths to keep. Default 8. */
  finalPathsMax?: number;
  /** Steps of each final path to keep, counted back from the blocked point. Default 10. */
  finalPathSteps?: number;
  /** Bytes the memo may hold; past them `run` stops early and `cacheFull` is set. Default: no limit. */
  cacheBytesMax?: number;
  /**
   * Size the memo at first for about one entry an operation (up to 65,536), as an easy
   * history's search of the whole history needs, rather than 256 entries grown by rehashing.
   * Not for the many small searches of shrinking, most of which end after a few entries.
   */
  sizeCacheForOperations?: boolean;
}

const NONE = -1;

/**
 * Wing & Gong's linearizability search with Lowe's memoisation, after Porcupine and Knossos's wgl:
 * call and return entries in a doubly linked list ordered by time; an operation is linearized
 * "just in time" by lifting its call and return out of the list; reaching a return whose call is
 * still in the list means the current order cannot be extended, so the search backtracks.
 * `info` operations have no return entry: they may take effect at any point after their call, or
 * never. The search is resumable: `run(budget)` stops after `budget` steps and continues later,
 * so many partitions can be interleaved and limits enforced between slices.
 */
export class WglSearch<S> {
  readonly size: number;
  private readonly ops: readonly Operation[];
  private readonly model: CompleteModel<S>;
  private readonly required: Uint8Array;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly head: number;
  private readonly bits: Uint32Array;
  /** Each info op's position in `infoBits`, -1 for the others. */
  private readonly infoPos: Int32Array;
  private readonly infoBits: Uint32Array;
  /** The first completed op not linearized (`size` when none): the memo stores the set from here. */
  private low = 0;
  /** The highest op index linearized at each depth of the stack. */
  private readonly highAt: Int32Array;
  private readonly window: LinearizedWindow;
  private readonly k1: Int32Array;
  private readonly k2: Int32Array;
  private h1 = 0;
  private h2 = 0;
  private readonly cache: VisitedCache<S>;
  private readonly stack: Int32Array;
  /** 1 where the op at that depth is a read taken without alternatives (see `run`). */
  private readonly forced: Uint8Array;
  private readonly readOnly: Uint8Array;
  /**
   * For an op of a model that steps by value: an earlier op of its kind (same f, input, output and
   * status) that returns no later, or -1. It must be linearized first (see `run`, and twins.ts).
   */
  private readonly twinBefore: Int32Array;
  /** Completed ops' kinds, which ops overlap a later twin, and when each returns (see `run`). */
  private readonly twinKind: Int32Array;
  private readonly crowded: Uint8Array;
  private readonly rets: Float64Array;
  private readonly stackStates: S[];
  private depth = 0;
  /** The search stands at a point not yet scanned for a read to force (see `run`). */
  private fresh = true;
  private state: S;
  private cursor: number;
  private remaining: number;
  private status: SearchStatus = 'running';
  private stepCount = 0;

  // Counterexample tracking.
  private readonly track: boolean;
  private readonly finalPathsMax: number;
  private readonly finalPathSteps: number;
  private readonly best: Int32Array;
  private readonly bestStates: S[] = [];
  private bestLen = -1;
  private stableDepth = 0;
  private bestBlocked = NONE;
  private finalPaths: RawFinalPath[] = [];
  private readonly finalPathKeys = new Set<string>();
  /** The first final path at the best depth, whose key is made when a second one comes. */
  private unkeyed: { entries: Int32Array; blocked: number } | undefined;

  constructor(model: CompleteModel<S>, operations: readonly Operation[], options: WglSearchOptions = {}) {
    const ops = sortedByCall(operations);
    const n = ops.length;
    this.ops = ops;
    this.size = n;
    this.model = model;
    this.track = options.trackCounterexample ?? true;
    this.finalPathsMax = options.finalPathsMax ?? 8;
    this.finalPathSteps = options.finalPathSteps ?? 10;
    // The passes over the operations live in search-layout.ts, not as loops here (it says why).
    this.required = new Uint8Array(n);
    this.remaining = markRequired(ops, this.required);

    // Entry 2i is op i's call, 2i+1 its return; `head` is the sentinel.
    this.head = 2 * n;
    this.next = new Int32Array(2 * n + 1).fill(NONE);
    this.prev = new Int32Array(2 * n + 1).fill(NONE);
    linkEntries(ops, this.required, this.next, this.prev, this.head);

    const words = Math.max(1, Math.ceil(n / 32));
    this.bits = new Uint32Array(words);
    this.infoPos = new Int32Array(n).fill(-1);
    const infos = numberInfos(this.required, this.infoPos);
    this.infoBits = new Uint32Array(Math.ceil(infos / 32));
    this.low = firstRequired(this.required);
    this.highAt = new Int32Array(n);
    this.window = { bits: this.bits, lowWord: 0, highWord: 0, infoBits: this.infoBits };
    ({ k1: this.k1, k2: this.k2 } = zobristKeys(n));
    this.cache = new VisitedCache<S>(this.infoBits.length, model.equal, options.sizeCacheForOperations === true ? cacheCapacityFor(n) : undefined);
    this.cache.bytesMax = options.cacheBytesMax ?? Infinity;
    this.stack = new Int32Array(n);
    this.forced = new Uint8Array(n);
    this.readOnly = new Uint8Array(n);
    markReadOnly(ops, model, this.readOnly);
    ({ before: this.twinBefore, kind: this.twinKind, crowded: this.crowded } = findTwins(ops, this.required, this.readOnly, model.stepsByValue));
    this.rets = Float64Array.from(ops, (op) => op.ret);
    this.stackStates = new Array<S>(n);
    this.best = new Int32Array(this.track ? n : 0);
    this.state = model.init();
    this.cursor = this.next[this.head]!;
    if (this.remaining === 0) this.status = 'ok';
  }

  get steps(): number {
    return this.stepCount;
  }

  get cacheBytes(): number {
    return this.cache.bytes;
  }

  get cacheEntries(): number {
    return this.cache.size;
  }

  /** Bytes the memo may grow to; the scheduler moves it as other searches take or free memory. */
  set cacheBytesMax(bytes: number) {
    this.cache.bytesMax = bytes;
  }

  /**
   * The memo could not grow within `cacheBytesMax`: `run` stopped (at a clean point, `running`)
   * and will make no progress until it may grow. The caller must not read this as a verdict.
   */
  get cacheFull(): boolean {
    return this.cache.full;
  }

  get result(): SearchStatus {
    return this.status;
  }

  /** Runs at most `budget` steps; returns `running` when the budget ran out first (or the memo filled up: `cacheFull`). */
  run(budget: number): SearchStatus {
    if (this.status !== 'running') return this.status;
    this.cache.full = false;
    const { next, prev, ops, model, required, bits, k1, k2, stack, stackStates, head, infoPos, infoBits, highAt, window, size, forced, readOnly, twinBefore, twinKind, crowded, rets } = this;
    let e = this.cursor;
    let low = this.low;
    let state = this.state;
    let depth = this.depth;
    let steps = 0;
    let status: SearchStatus = 'running';
    let fresh = this.fresh;
    let read = false;
    search: while (steps < budget) {
      steps++;
      if (e === NONE) {
        // Only info calls remain, and none must happen.
        status = 'ok';
        break;
      }
      if (fresh) {
        // A new point: first look for a read the state explains. It needs no alternative: its
        // call is before every pending return and it changes nothing, so any order from here
        // can take it first. Only it is tried, and when it leads nowhere (now or, memoised,
        // before) neither does this point. Without one, the scan below skips reads: none fits
        // here, and the point keeps that scan until it is undone.
        fresh = false;
        for (let r = next[head]!; r !== NONE && (r & 1) === 0; r = next[r]!) {
          if (readOnly[r >> 1] !== 1) continue;
          steps++;
          const s = model.step(state, ops[r >> 1]!);
          if (!isInconsistent(s) && (s === state || model.equal(s as S, state))) {
            e = r;
            read = true;
            break;
          }
        }
      }
      if ((e & 1) === 0) {
        const i = e >> 1;
        // The entry after this call, for every way of passing it over (the list is unchanged until
        // it is taken). Read once here, every path that passes it over has been run from the first
        // step: a path the optimised code has never seen (the memo's first refusal) makes it bail
        // out and be compiled again, on-stack as well.
        const following = next[e]!;
        if (readOnly[i] === 1 && !read) {
          e = following;
          continue;
        }
        // A twin goes after the earlier one of its kind (twins.ts says why that is complete).
        const twin = twinBefore[i]!;
        if (twin >= 0 && (bits[twin >>> 5]! & (1 << (twin & 31))) === 0) {
          e = following;
          continue;
        }
        // So does one with a twin called later that returns first and could be taken here instead:
        // its call lies ahead, before any return. A short look ahead; beyond it, the op is tried.
        if (crowded[i] === 1 && twinAhead(next, following, twinKind, rets, twinKind[i]!, rets[i]!)) {
          e = following;
          continue;
        }
        const after = model.step(state, ops[i]!);
        if (!isInconsistent(after)) {
          const w = i >>> 5;
          const mask = 1 << (i & 31);
          bits[w]! |= mask;
          const info = infoPos[i]!;
          if (info >= 0) infoBits[info >>> 5]! |= 1 << (info & 31);
          // The set with op i in it, in the memo's compact form (visited-cache.ts).
          let nextLow = low;
          if (i === low) {
            do nextLow++;
            while (nextLow < size && (required[nextLow] === 0 || (bits[nextLow >>> 5]! & (1 << (nextLow & 31))) !== 0));
          }
          const high = depth > 0 && highAt[depth - 1]! > i ? highAt[depth - 1]! : i;
          window.lowWord = nextLow >>> 5;
          window.highWord = Math.max(window.lowWord, high >>> 5);
          const n1 = this.h1 ^ k1[i]!;
          const n2 = this.h2 ^ k2[i]!;
          const added = this.cache.add(window, n1, n2, after as S, model.hash(after as S));
          const full = this.cache.full;
          // Out again whether the memo took the set or not (and back in when it did), for the same reason.
          bits[w]! &= ~mask;
          if (info >= 0) infoBits[info >>> 5]! &= ~(1 << (info & 31));
          if (added) {
            bits[w]! |= mask;
            if (info >= 0) infoBits[info >>> 5]! |= 1 << (info & 31);
            this.h1 = n1;
            this.h2 = n2;
            low = nextLow;
            highAt[depth] = high;
            stack[depth] = e;
            forced[depth] = read ? 1 : 0;
            read = false;
            fresh = true;
            stackStates[depth] = state;
            depth++;
            state = after as S;
            // Lift the call and its return out of the list.
            next[prev[e]!] = next[e]!;
            if (next[e] !== NONE) prev[next[e]!] = prev[e]!;
            if (required[i] === 1) {
              const m = e + 1;
              next[prev[m]!] = next[m]!;
              if (next[m] !== NONE) prev[next[m]!] = prev[m]!;
              if (--this.remaining === 0) {
                status = 'ok';
                break;
              }
            }
            e = next[head]!;
            continue;
          }
          // Out of memory: stop before this call, as if the budget had run out.
          if (full) {
            fresh ||= read;
            break;
          }
          if (!read) {
            e = following;
            continue;
          }
          // The read was explored from here before and led nowhere: so does this point.
          read = false;
        } else {
          e = following;
          continue;
        }
      } else if (this.track) {
        // A return whose call is still pending: this order cannot be extended.
        this.noteBlocked(e >> 1, depth, state);
      }
      // Backtrack: undo the last op, and go on undoing while it was a forced read (the point
      // before one has no alternative to it, so it failed too).
      let undone: number;
      do {
        if (depth === 0) {
          status = 'illegal';
          break search;
        }
        depth--;
        undone = forced[depth]!;
        if (depth < this.stableDepth) this.stableDepth = depth;
        const c = stack[depth]!;
        const i = c >> 1;
        state = stackStates[depth]!;
        stackStates[depth] = undefined as S;
        bits[i >>> 5]! &= ~(1 << (i & 31));
        const info = infoPos[i]!;
        if (info >= 0) infoBits[info >>> 5]! &= ~(1 << (info & 31));
        else if (i < low) low = i;
        this.h1 ^= k1[i]!;
        this.h2 ^= k2[i]!;
        // Put the return back first, then the call: the reverse of lifting.
        if (required[i] === 1) {
          const m = c + 1;
          if (next[m] !== NONE) prev[next[m]!] = m;
          next[prev[m]!] = m;
          this.remaining++;
        }
        if (next[c] !== NONE) prev[next[c]!] = c;
        next[prev[c]!] = c;
        e = next[c]!;
      } while (undone === 1);
    }
    this.stepCount += steps;
    this.fresh = fresh;
    this.cursor = e;
    this.low = low;
    this.state = state;
    this.depth = depth;
    this.status = status;
    return status;
  }

  private finalPathKey(entries: Int32Array, blocked: number): string {
    let key = '';
    for (const e of entries) key += `${this.ops[e >> 1]!.id},`;
    return `${key}|${blocked}`;
  }

  /** The longest prefix and final paths, once the search proved the history illegal. */
  counterexample(): RawCounterexample | undefined {
    if (this.status !== 'illegal' || !this.track || this.bestBlocked === NONE) return undefined;
    const prefix: { op: Operation; state: unknown }[] = [];
    for (let d = 0; d < this.bestLen; d++) prefix.push({ op: this.ops[this.best[d]! >> 1]!, state: this.bestStates[d] });
    return { prefix, initialState: this.model.init(), blocked: this.ops[this.bestBlocked]!, finalPaths: this.finalPaths };
  }

  private noteBlocked(blocked: number, depth: number, state: S): void {
    if (depth > this.bestLen) {
      // Copy only what changed since the last record: amortised O(1) per step.
      const { stack, stackStates, best, bestStates } = this;
      for (let d = this.stableDepth; d < depth; d++) {
        best[d] = stack[d]!;
        bestStates[d] = d + 1 < depth ? stackStates[d + 1]! : state;
      }
      this.bestLen = depth;
      this.stableDepth = depth;
      this.bestBlocked = blocked;
      this.finalPaths = [];
      this.finalPathKeys.clear();
      this.addFinalPath(blocked, depth, state);
    } else if (depth === this.bestLen && this.finalPaths.length < this.finalPathsMax) {
      this.addFinalPath(blocked, depth, state);
    }
  }

  private addFinalPath(blocked: number, depth: number, state: S): void {
    const from = Math.max(0, depth - this.finalPathSteps);
    // The path's last steps as the stack holds them (op entries, and the state after each), made
    // into objects only if the path is read.
    const entries = this.stack.slice(from, depth);
    const after = new Array<S>(depth - from);
    for (let d = from; d < depth; d++) after[d - from] = d + 1 < depth ? this.stackStates[d + 1]! : state;
    const ops = this.ops;
    // A path is compared with the others at its depth by its key; the first at a depth has none
    // to meet (most paths are the first, on a legal history all), so its key waits for a second.
    if (this.finalPaths.length > 0) {
      if (this.finalPathKeys.size === 0) this.finalPathKeys.add(this.finalPathKey(this.unkeyed!.entries, this.unkeyed!.blocked));
      const key = this.finalPathKey(entries, blocked);
      if (this.finalPathKeys.has(key)) return;
      this.finalPathKeys.add(key);
    } else {
      this.unkeyed = { entries, blocked };
    }
    // The calls pending here, in list order up to the blocked return. Each is stepped (to say why
    // it could not go next) only if the path is read: a deeper one replaces most paths, and on
    // a legal history every one (the search records a path at each new depth). The steps are
    // pure, so stepping later gives the same answers.
    const pending: Operation[] = [];
    for (let e = this.next[this.head]!; e !== NONE; e = this.next[e]!) {
      if ((e & 1) === 1) {
        if (e >> 1 === blocked) break;
        continue;
      }
      pending.push(this.ops[e >> 1]!);
    }
    this.finalPaths.push(new LazyFinalPath(this.model, ops, entries, after, this.ops[blocked]!, state, pending));
  }
}

/**
 * A final path as recorded: its steps and attempts are made when first read (a class, so the
 * getters are its prototype's, not closures and accessors made for every path recorded).
 */
class LazyFinalPath<S> implements RawFinalPath {
  private madeSteps: { op: Operation; state: unknown }[] | undefined;
  private madeAttempts: BlockedAttempt[] | undefined;

  constructor(
    private readonly model: CompleteModel<S>,
    private readonly ops: readonly Operation[],
    /** The stack's entries of the last steps (op index × 2), and the state after each. */
    private readonly entries: Int32Array,
    private readonly after: S[],
    readonly blocked: Operation,
    /** The state at the blocked point, and the calls pending there. */
    private readonly state: S,
    private readonly pending: Operation[],
  ) {}

  get steps(): { op: Operation; state: unknown }[] {
    return (this.madeSteps ??= Array.from(this.entries, (e, k) => ({ op: this.ops[e >> 1]!, state: this.after[k] })));
  }

  get attempts(): BlockedAttempt[] {
    return (this.madeAttempts ??= this.pending.map((op) => {
      const after = this.model.step(this.state, op);
      // The reason is worded only if a report shows it.
      const failed = isInconsistent(after) ? after : undefined;
      return { op, get reason() { return failed?.reason ?? 'explored already from this state (memoised): no order continues from it'; } };
    }));
  }
}

/** A power of two from 256 to 65,536 entries, at least `operations` below the cap (a hard search outgrows any guess). */
function cacheCapacityFor(operations: number): number {
  let capacity = 256;
  while (capacity < operations && capacity < 65_536) capacity *= 2;
  return capacity;
}

/** The operations by invocation (a copy: the caller's array is left alone); a sorted input is only copied. */
function sortedByCall(operations: readonly Operation[]): Operation[] {
  const ops = operations.slice();
  for (let i = 1; i < ops.length; i++) if (ops[i - 1]!.call > ops[i]!.call) return ops.sort((a, b) => a.call - b.call);
  return ops;
}

/** How many entries `twinAhead` looks at. */
const AHEAD_MAX = 32;

/** Among the calls from `from` on, before any return entry (and within AHEAD_MAX): one of this kind that returns before `ret`? */
function twinAhead(next: Int32Array, from: number, kinds: Int32Array, rets: Float64Array, kind: number, ret: number): boolean {
  let r = from;
  for (let k = 0; k < AHEAD_MAX && r !== NONE && (r & 1) === 0; k++) {
    const j = r >> 1;
    if (kinds[j] === kind && rets[j]! < ret) return true;
    r = next[r]!;
  }
  return false;
}
