import { zobristKeys } from '../linearizability/zobrist.js';
import { isInconsistent } from '../models/model.js';
import { ChainHeads } from './chain-heads.js';
import type { VersionGuard } from './version-guard.js';
import { FrontierMemo } from './frontier-memo.js';
import type { ProgramOrder } from './program-order.js';
import type { SearchModel } from './search-model.js';

export type SequentialStatus = 'ok' | 'illegal' | 'running';

/** The deepest point the search reached: the longest legal prefix and what could not follow it. */
export interface RawSequentialCounterexample<S> {
  prefix: { op: number; state: S }[];
  /** Every operation that could go next by program order, and why the model refused it. */
  attempts: { op: number; reason: string }[];
}

/**
 * Is there one order of all completed operations, keeping program order, legal for the model?
 * Depth-first over the frontier of each chain (how many of its ops are done) plus which floating
 * `info` ops happened, with Lowe-style memoisation of (frontier, model state): a pair explored
 * once is never explored again. Candidates are tried in invocation order, so a history that is
 * nearly linearizable is ordered with little backtracking. Two reductions keep it small without
 * changing the answer:
 * - once a read-only op the state explains is taken, no alternative is tried in its place: it
 *   changes no state, so any order from here can be rearranged to take it first;
 * - floating ops are optional, so the search ends as soon as every chain is done.
 * Resumable: `run(budget)` does at most `budget` steps, so limits are checked between slices.
 */
export class SequentialSearch<S> {
  private readonly chains: Int32Array[];
  /** Per chain its position (ops done), then a bit per floating op that happened. */
  private readonly words: Uint32Array;
  /** Bits per chain: finished, started; and the buffer the memo key is built in. */
  private readonly finished: Uint32Array;
  private readonly started: Uint32Array;
  private readonly key: Uint32Array;
  private readonly units: number;
  private readonly k1: Int32Array;
  private readonly k2: Int32Array;
  private h1 = 0;
  private h2 = 0;
  private readonly cache: FrontierMemo<S>;
  private readonly stackOp: Int32Array;
  /** Per depth: the invocation index of the candidate taken there (alternatives resume after it). */
  private readonly stackResume: Float64Array;
  private readonly calls: Float64Array;
  /** More than any invocation index: cursors past it stand among the deferred candidates. */
  private readonly callShift: number;
  /** Chains by the invocation of their next op. */
  private readonly heads: ChainHeads;
  /** Chains with ops left, as a swap-remove list, and each chain's place in it (-1: done). */
  private readonly active: Int32Array;
  private readonly activeAt: Int32Array;
  private activeCount = 0;
  /** Floating ops (by floating index) in invocation order, and their invocation indices. */
  private readonly floatsByCall: Int32Array;
  private readonly floatCalls: Float64Array;
  private readonly stackState: S[];
  private depth = 0;
  /** Candidates at the current node are tried in invocation order; this is the last one tried. */
  private cursor = -Infinity;
  private state: S;
  private remaining = 0;
  private status: SequentialStatus = 'running';
  private stepCount = 0;
  private readonly candidates: number;
  // Counterexample tracking: the deepest dead end.
  private readonly track: boolean;
  private readonly best: Int32Array;
  private readonly bestStates: S[] = [];
  private bestLen = -1;
  private stableDepth = 0;
  private bestWords: Uint32Array | undefined;
  private bestState: S | undefined;

  private readonly guard: VersionGuard | undefined;

  constructor(private readonly order: ProgramOrder, readonly model: SearchModel<S>, options: { trackCounterexample?: boolean; guard?: VersionGuard | undefined } = {}) {
    this.guard = options.guard;
    const n = order.ops.length;
    this.chains = order.chains;
    this.units = order.chains.length;
    const floatWords = Math.ceil(order.floating.length / 32);
    this.words = new Uint32Array(Math.max(1, this.units + floatWords));
    ({ k1: this.k1, k2: this.k2 } = zobristKeys(n));
    const chainWords = Math.ceil(this.units / 32);
    this.finished = new Uint32Array(chainWords);
    this.started = new Uint32Array(chainWords);
    this.key = new Uint32Array(2 * chainWords + 2 * this.units + floatWords + 1);
    for (let u = 0; u < this.units; u++) if (this.chains[u]!.length === 0) this.finished[u >>> 5]! |= 1 << (u & 31);
    this.cache = new FrontierMemo<S>(model.equal);
    this.stackOp = new Int32Array(n);
    this.stackResume = new Float64Array(n);
    this.calls = Float64Array.from(order.ops, (o) => o.call);
    this.callShift = this.calls.reduce((m, c) => Math.max(m, c), 0) + 1;
    this.heads = new ChainHeads(this.units);
    for (let u = 0; u < this.units; u++) if (this.chains[u]!.length > 0) this.heads.set(u, this.calls[this.chains[u]![0]!]!);
    this.active = new Int32Array(this.units);
    this.activeAt = new Int32Array(this.units).fill(-1);
    for (let u = 0; u < this.units; u++) if (this.chains[u]!.length > 0) this.activate(u);
    this.floatsByCall = Int32Array.from(order.floating.keys()).sort((a, b) => this.calls[order.floating[a]!]! - this.calls[order.floating[b]!]!);
    this.floatCalls = Float64Array.from(this.floatsByCall, (f) => this.calls[order.floating[f]!]!);
    this.stackState = new Array<S>(n);
    this.state = model.init;
    for (const c of this.chains) this.remaining += c.length;
    this.candidates = this.units + order.floating.length;
    this.track = options.trackCounterexample ?? true;
    this.best = new Int32Array(this.track ? n : 0);
    if (this.remaining === 0) this.status = 'ok';
  }

  get steps(): number { return this.stepCount; }
  get cacheBytes(): number { return this.cache.bytes; }
  get cacheEntries(): number { return this.cache.size; }
  get result(): SequentialStatus { return this.status; }

  /** The op candidate `c` stands for when it may go next, or -1. */
  private candidate(c: number): number {
    const { words, units, order } = this;
    let i: number;
    if (c < units) {
      const chain = this.chains[c]!;
      const pos = words[c]!;
      if (pos >= chain.length) return -1;
      i = chain[pos]!;
    } else {
      const f = c - units;
      if ((words[units + (f >>> 5)]! & (1 << (f & 31))) !== 0) return -1;
      i = order.floating[f]!;
    }
    const req = order.requires[i];
    if (req !== undefined) for (let k = 0; k < req.length; k += 2) if (words[req[k]!]! <= req[k + 1]!) return -1;
    return i;
  }

  /** Marks op i done (or undone), keeping the frontier words and their hash. */
  private toggle(i: number, done: boolean): void {
    const chain = this.order.chainOf[i]!;
    if (chain >= 0) {
      const pos = (this.words[chain]! += done ? 1 : -1);
      this.remaining += done ? -1 : 1;
      const length = this.chains[chain]!.length;
      const bit = 1 << (chain & 31);
      if (done && pos === length) { this.deactivate(chain); this.finished[chain >>> 5]! |= bit; }
      else if (!done && pos === length - 1) { this.activate(chain); this.finished[chain >>> 5]! &= ~bit; }
      if (done && pos === 1) this.started[chain >>> 5]! |= bit;
      else if (!done && pos === 0) this.started[chain >>> 5]! &= ~bit;
      this.heads.set(chain, pos < length ? this.calls[this.chains[chain]![pos]!]! : Infinity);
    } else {
      const f = this.order.floatIndex[i]!;
      this.words[this.units + (f >>> 5)]! ^= 1 << (f & 31);
    }
    this.h1 ^= this.k1[i]!;
    this.h2 ^= this.k2[i]!;
  }

  private activate(u: number): void {
    this.activeAt[u] = this.activeCount;
    this.active[this.activeCount++] = u;
  }

  private deactivate(u: number): void {
    const at = this.activeAt[u]!;
    const last = this.active[--this.activeCount]!;
    this.active[at] = last;
    this.activeAt[last] = at;
    this.activeAt[u] = -1;
  }

  /**
   * The enabled candidate invoked first after `after`: trying candidates in real-time order
   * finds the order of a nearly linearizable history with little backtracking.
   */
  private nextCandidate(after: number): number {
    // Preferred candidates first (by invocation), then those the guard defers (by invocation):
    // the cursor runs over [0, calls) for the first pass and [calls + 1, ...) for the second.
    const shift = this.callShift;
    if (after < shift) {
      const i = this.bestAfter(after, false);
      if (i >= 0) return i;
      after = shift - 1;
    }
    const i = this.bestAfter(after - shift, true);
    return i;
  }

  /** The enabled candidate invoked first after `after`, among the deferred ones or the others. */
  private bestAfter(after: number, deferred: boolean): number {
    let best = -1;
    let bestCall = Infinity;
    const { active, calls, chains, words, guard } = this;
    const wanted = (i: number): boolean => (guard === undefined ? !deferred : guard.defers(i) === deferred);
    // First try at a node: the earliest head, when it may go (the common case, in O(1)).
    const top = after === -Infinity && !deferred ? this.heads.top() : -1;
    if (top !== -1 && this.enabled(chains[top]![words[top]!]!) && wanted(chains[top]![words[top]!]!)) {
      best = chains[top]![words[top]!]!;
      bestCall = calls[best]!;
    } else for (let k = 0; k < this.activeCount; k++) {
      const u = active[k]!;
      const i = chains[u]![words[u]!]!;
      const call = calls[i]!;
      if (call > after && call < bestCall && this.enabled(i) && wanted(i)) {
        best = i;
        bestCall = call;
      }
    }
    // Floating ops in invocation order: the first enabled one after `after` is their best.
    if (deferred) return best;
    const { floatsByCall, floatCalls, units, order } = this;
    let lo = 0;
    let hi = floatCalls.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (floatCalls[mid]! <= after) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < floatCalls.length && floatCalls[k]! < bestCall; k++) {
      const f = floatsByCall[k]!;
      if ((words[units + (f >>> 5)]! & (1 << (f & 31))) !== 0) continue;
      const i = order.floating[f]!;
      if (this.enabled(i)) return i;
    }
    return best;
  }

  /** Where the cursor stands after trying op i: its invocation, shifted past all others if deferred. */
  private cursorAfter(i: number): number {
    return this.guard?.defers(i) === true ? this.callShift + this.calls[i]! : this.calls[i]!;
  }

  private enabled(i: number): boolean {
    const req = this.order.requires[i];
    if (req !== undefined) for (let k = 0; k < req.length; k += 2) if (this.words[req[k]!]! <= req[k + 1]!) return false;
    return true;
  }

  run(budget: number): SequentialStatus {
    if (this.status !== 'running') return this.status;
    const { model, stackOp, stackResume, stackState } = this;
    let steps = 0;
    let status: SequentialStatus = 'running';
    outer: while (steps < budget) {
      if (this.cursor === -Infinity && this.remaining === 0) { status = 'ok'; break; }
      for (;;) {
        const i = this.cursor === Infinity ? -1 : this.nextCandidate(this.cursor);
        if (i < 0) break;
        this.cursor = this.cursorAfter(i);
        steps++;
        const after = model.step(this.state, i);
        if (isInconsistent(after)) continue;
        if (this.guard?.refuses(i) !== undefined) continue;
        // A read the state explains needs no alternative: any order from here can take it first.
        if (model.readOnly(i)) this.cursor = Infinity;
        if (this.push(i, after as S, this.cursor)) continue outer;
      }
      // Nothing can go next here.
      if (this.track) this.noteDeadEnd();
      if (this.depth === 0) { status = 'illegal'; break; }
      const d = --this.depth;
      if (d < this.stableDepth) this.stableDepth = d;
      this.toggle(stackOp[d]!, false);
      this.guard?.undo(stackOp[d]!);
      this.state = stackState[d]!;
      stackState[d] = undefined as S;
      this.cursor = stackResume[d]!;
    }
    this.stepCount += steps;
    this.status = status;
    return status;
  }

  /** Takes op i into state `after` unless that (frontier, state) was explored; true when taken. */
  private push(i: number, after: S, resume: number): boolean {
    this.toggle(i, true);
    if (!this.cache.add(this.key, this.frontierKey(), this.h1, this.h2, after, this.model.hash(after))) {
      this.toggle(i, false);
      return false;
    }
    this.guard?.apply(i);
    const d = this.depth++;
    this.stackOp[d] = i;
    this.stackResume[d] = resume;
    this.stackState[d] = this.state;
    this.state = after;
    this.cursor = -Infinity;
    return true;
  }

  /** The frontier's memo key, in `this.key`: finished and started bits, positions in between, floating bits. */
  private frontierKey(): number {
    const { finished, started, key, words, units } = this;
    let n = 0;
    for (let w = 0; w < finished.length; w++) key[n++] = finished[w]!;
    for (let w = 0; w < started.length; w++) {
      key[n++] = started[w]!;
      let between = started[w]! & ~finished[w]!;
      while (between !== 0) {
        const low = between & -between;
        const u = (w << 5) + (31 - Math.clz32(low));
        key[n++] = u;
        key[n++] = words[u]!;
        between ^= low;
      }
    }
    for (let f = units; f < words.length; f++) key[n++] = words[f]!;
    return n;
  }

  private noteDeadEnd(): void {
    const depth = this.depth;
    if (depth <= this.bestLen) return;
    for (let d = this.stableDepth; d < depth; d++) {
      this.best[d] = this.stackOp[d]!;
      this.bestStates[d] = d + 1 < depth ? this.stackState[d + 1]! : this.state;
    }
    this.bestLen = depth;
    this.stableDepth = depth;
    this.bestWords = this.words.slice();
    this.bestState = this.state;
  }

  /** The longest legal prefix and what could not follow it, once the search proved it illegal. */
  counterexample(): RawSequentialCounterexample<S> | undefined {
    if (this.status !== 'illegal' || !this.track || this.bestWords === undefined) return undefined;
    const prefix: { op: number; state: S }[] = [];
    for (let d = 0; d < this.bestLen; d++) prefix.push({ op: this.best[d]!, state: this.bestStates[d]! });
    // Re-enumerate the candidates at the deepest point, with the model's (and the guard's) reasons.
    const saved = this.words.slice();
    this.words.set(this.bestWords);
    this.guard?.reset();
    for (const step of prefix) this.guard?.apply(step.op);
    const attempts: { op: number; reason: string }[] = [];
    for (let c = 0; c < this.candidates; c++) {
      const i = this.candidate(c);
      if (i < 0) continue;
      const after = this.model.step(this.bestState as S, i);
      const refused = isInconsistent(after) ? after.reason : this.guard?.refuses(i);
      attempts.push({ op: i, reason: refused ?? 'explored already from this state: no order continues from it' });
    }
    this.words.set(saved);
    return { prefix, attempts };
  }
}
