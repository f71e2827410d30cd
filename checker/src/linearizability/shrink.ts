import type { Operation } from '../history/op.js';
import type { CompleteModel } from '../models/model.js';
import { WglSearch } from './wgl-search.js';

const CHECK_SLICE_STEPS = 16_384;

export interface ShrinkResult {
  operations: Operation[];
  /** False when the time budget ran out before the witness was 1-minimal. */
  minimal: boolean;
}

/**
 * Shrinks an illegal history to a small one that is still illegal, using only moves that keep the
 * witness honest (if the shrunk history is illegal, so is the original):
 * - cut the history at a point in time: drop every op invoked later and treat ops still running
 *   then as `info` (each could have taken effect after the cut, or never);
 * - drop read-only operations (they change no state, so no order needed them);
 * - drop a write no remaining operation could have observed (the model's `footprint` says what
 *   an op writes and observes): removing it changes no observation, so it cannot invent a violation;
 * - weaken any other completed operation to `info` (any order that fits it still fits).
 * An observed write is never dropped: that could turn "stale read" into "read of a value nobody
 * wrote". Delta debugging (ddmin) applies the moves to chunks while the history stays illegal.
 */
export function shrinkIllegal<S>(model: CompleteModel<S>, operations: readonly Operation[], timeBudgetMs: number, stepsPerCheck = 2_000_000): ShrinkResult {
  const deadline = performance.now() + timeBudgetMs;
  let complete = true;
  // A candidate counts only when proved illegal within its step cap: weakening ops to `info`
  // can make a search explode, and such a candidate is simply not taken.
  const illegal = (ops: readonly Operation[]): boolean => {
    const search = new WglSearch(model, ops, { trackCounterexample: false });
    for (let spent = 0; spent < stepsPerCheck; spent += CHECK_SLICE_STEPS) {
      const status = search.run(Math.min(CHECK_SLICE_STEPS, stepsPerCheck - spent));
      if (status !== 'running') return status === 'illegal';
      if (performance.now() > deadline) break;
    }
    complete = false;
    return false;
  };
  // The caller proved `operations` illegal.
  let ops = [...operations].sort((a, b) => a.call - b.call);

  // 1. The earliest cut that is still illegal (illegality only grows as the cut moves later).
  const times = [...new Set(ops.flatMap((o) => (o.ret === Infinity ? [o.call] : [o.call, o.ret])))].sort((a, b) => a - b);
  let lo = 0;
  let hi = times.length - 1;
  while (lo < hi && performance.now() < deadline) {
    const mid = (lo + hi) >>> 1;
    if (illegal(cutAt(ops, times[mid]!, model))) hi = mid;
    else lo = mid + 1;
  }
  const cut = cutAt(ops, times[hi]!, model);
  if (illegal(cut)) ops = cut;

  // 2. ddmin, deletions first (each makes later searches smaller), then weakening as well.
  for (const weakening of [false, true]) {
    let chunks = 2;
    while (ops.length > 1) {
      if (performance.now() > deadline) {
        complete = false;
        break;
      }
      const current = ops;
      const candidates = current.filter((o) => (weakening && o.status !== 'info') || model.isReadOnly(o) || unobservedWrite(model, o, current, new Set()));
      if (candidates.length === 0) break;
      chunks = Math.min(chunks, candidates.length);
      const size = Math.ceil(candidates.length / chunks);
      let reduced = false;
      for (let c = 0; c < chunks && !reduced; c++) {
        if (performance.now() > deadline) break;
        const next = applyMoves(current, new Set(candidates.slice(c * size, (c + 1) * size)), model, weakening);
        if (next !== undefined && illegal(next)) {
          ops = next;
          chunks = Math.max(2, chunks - 1);
          reduced = true;
        }
      }
      if (!reduced) {
        if (chunks >= candidates.length) break;
        chunks = Math.min(candidates.length, chunks * 2);
      }
    }
  }
  return { operations: ops, minimal: complete && performance.now() <= deadline };
}

/** The history as it stood at `time`: later invocations dropped, running ones open. */
function cutAt<S>(ops: readonly Operation[], time: number, model: CompleteModel<S>): Operation[] {
  const out: Operation[] = [];
  for (const o of ops) {
    if (o.call > time) continue;
    if (o.ret <= time || o.ret === Infinity) out.push(o);
    else if (!model.isReadOnly(o)) out.push(asInfo(o));
  }
  return out;
}

/** Drops the chunk's read-only and unobserved ops, weakens the rest when asked; undefined when nothing changes. */
function applyMoves<S>(ops: readonly Operation[], chunk: ReadonlySet<Operation>, model: CompleteModel<S>, weakening: boolean): Operation[] | undefined {
  const dropped = new Set<Operation>();
  for (const o of chunk) if (model.isReadOnly(o)) dropped.add(o);
  // Drop writers in the chunk nobody left can observe; dropping one may free another.
  for (let again = true; again;) {
    again = false;
    for (const o of chunk) {
      if (!dropped.has(o) && unobservedWrite(model, o, ops, dropped)) {
        dropped.add(o);
        again = true;
      }
    }
  }
  const out: Operation[] = [];
  let changed = dropped.size > 0;
  for (const o of ops) {
    if (dropped.has(o)) continue;
    if (weakening && chunk.has(o) && o.status !== 'info') {
      out.push(asInfo(o));
      changed = true;
    } else out.push(o);
  }
  return changed ? out : undefined;
}

/** True when `op` writes and no op of `ops` outside `dropped` could observe that write. */
function unobservedWrite<S>(model: CompleteModel<S>, op: Operation, ops: readonly Operation[], dropped: ReadonlySet<Operation>): boolean {
  const footprint = model.footprint;
  if (footprint === undefined) return false;
  const written = footprint.written(op);
  if (written === undefined) return false;
  for (const other of ops) {
    if (other !== op && !dropped.has(other) && footprint.observes(other, written)) return false;
  }
  return true;
}

function asInfo(o: Operation): Operation {
  return { ...o, status: 'info', output: undefined, ret: Infinity };
}
