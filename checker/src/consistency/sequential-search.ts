import { VisitedCache } from '../linearizability/visited-cache.js';
import { zobristKeys } from '../linearizability/zobrist.js';
import { isInconsistent } from '../models/model.js';
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
 * once is never explored again. Two reductions keep it small without changing the answer:
 * - a read-only op the state already explains is taken at once, without trying alternatives:
 *   it changes no state, so any order from here can be rearranged to take it first;
 * - floating ops are optional, so the search ends as soon as every chain is done.
 * Resumable: `run(budget)` does at most `budget` steps, so limits are checked between slices.
 */
export class SequentialSearch<S> {
  private readonly chains: Int32Array[];
  private readonly words: Uint32Array;
  private readonly units: number;
  private readonly k1: Int32Array;
  private readonly k2: Int32Array;
  private h1 = 0;
  private h2 = 0;
  private readonly cache: VisitedCache<S>;
  private readonly stackOp: Int32Array;
  private readonly stackResume: Int32Array;
  private readonly stackState: S[];
  private depth = 0;
  private cursor = 0;
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

  constructor(private readonly order: ProgramOrder, readonly model: SearchModel<S>, options: { trackCounterexample?: boolean } = {}) {
    const n = order.ops.length;
    this.chains = order.chains;
    this.units = order.chains.length;
    const floatWords = Math.ceil(order.floating.length / 32);
    this.words = new Uint32Array(Math.max(1, this.units + floatWords));
    ({ k1: this.k1, k2: this.k2 } = zobristKeys(n));
    this.cache = new VisitedCache<S>(this.words.length, model.equal);
    this.stackOp = new Int32Array(n);
    this.stackResume = new Int32Array(n);
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
      this.words[chain]! += done ? 1 : -1;
      this.remaining += done ? -1 : 1;
    } else {
      const f = this.order.floatIndex[i]!;
      this.words[this.units + (f >>> 5)]! ^= 1 << (f & 31);
    }
    this.h1 ^= this.k1[i]!;
    this.h2 ^= this.k2[i]!;
  }

  run(budget: number): SequentialStatus {
    if (this.status !== 'running') return this.status;
    const { model, stackOp, stackResume, stackState } = this;
    const end = this.candidates;
    let steps = 0;
    let status: SequentialStatus = 'running';
    outer: while (steps < budget) {
      if (this.cursor === 0) {
        if (this.remaining === 0) { status = 'ok'; break; }
        // A read the state explains goes first, with no alternative to try.
        for (let u = 0; u < this.units; u++) {
          const i = this.candidate(u);
          if (i < 0 || !model.readOnly(i)) continue;
          steps++;
          const after = model.step(this.state, i);
          if (isInconsistent(after)) continue;
          this.cursor = end;
          if (this.push(i, after as S, end)) continue outer;
          break;
        }
      }
      for (let c = this.cursor; c < end; c++) {
        const i = this.candidate(c);
        if (i < 0) continue;
        steps++;
        const after = model.step(this.state, i);
        if (isInconsistent(after)) continue;
        if (this.push(i, after as S, c + 1)) continue outer;
      }
      // Nothing can go next here.
      if (this.track) this.noteDeadEnd();
      if (this.depth === 0) { status = 'illegal'; break; }
      const d = --this.depth;
      if (d < this.stableDepth) this.stableDepth = d;
      this.toggle(stackOp[d]!, false);
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
    if (!this.cache.add(this.words, this.h1, this.h2, after, this.model.hash(after))) {
      this.toggle(i, false);
      return false;
    }
    const d = this.depth++;
    this.stackOp[d] = i;
    this.stackResume[d] = resume;
    this.stackState[d] = this.state;
    this.state = after;
    this.cursor = 0;
    return true;
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
    // Re-enumerate the candidates at the deepest point, with the model's reasons.
    const saved = this.words.slice();
    this.words.set(this.bestWords);
    const attempts: { op: number; reason: string }[] = [];
    for (let c = 0; c < this.candidates; c++) {
      const i = this.candidate(c);
      if (i < 0) continue;
      const after = this.model.step(this.bestState as S, i);
      attempts.push({ op: i, reason: isInconsistent(after) ? after.reason : 'explored already from this state: no order continues from it' });
    }
    this.words.set(saved);
    return { prefix, attempts };
  }
}
