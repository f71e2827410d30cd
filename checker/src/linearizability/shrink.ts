import type { Operation } from '../history/op.js';
import type { CompleteModel } from '../models/model.js';
import { asInfo, deltaDebug } from './delta-debug.js';
import { WglSearch } from './wgl-search.js';

const CHECK_SLICE_STEPS = 16_384;

export interface ShrinkResult {
  operations: Operation[];
  /** False when the budget (time, or steps) ran out before the witness was 1-minimal. */
  minimal: boolean;
}

/**
 * Shrinks an illegal history to a small one that is still illegal, using only moves that keep the
 * witness honest (if the shrunk history is illegal, so is the original): first the earliest cut
 * in time that stays illegal (later invocations dropped, ops still running then made `info`:
 * each could have taken effect after the cut, or never), then delta debugging with the moves of
 * delta-debug.ts (drop reads, drop writes nobody could observe, weaken to `info`).
 * `stepsTotal` bounds the search steps of all candidates together: with it the witness is the
 * same on a busy machine as on an idle one (the time budget is a backstop).
 */
export function shrinkIllegal<S>(model: CompleteModel<S>, operations: readonly Operation[], timeBudgetMs: number, stepsPerCheck = 2_000_000, cacheBytesMax = Infinity, stepsTotal = Infinity): ShrinkResult {
  const deadline = performance.now() + timeBudgetMs;
  let complete = true;
  let stepsLeft = stepsTotal;
  // A candidate counts only when proved illegal within its step and memory caps: weakening ops
  // to `info` can make a search explode, and such a candidate is simply not taken.
  const illegal = (ops: readonly Operation[]): boolean => {
    const cap = Math.min(stepsPerCheck, stepsLeft);
    if (cap <= 0) {
      complete = false;
      return false;
    }
    const search = new WglSearch(model, ops, { trackCounterexample: false, cacheBytesMax });
    for (let spent = 0; spent < cap; spent += CHECK_SLICE_STEPS) {
      const status = search.run(Math.min(CHECK_SLICE_STEPS, cap - spent));
      if (status !== 'running') {
        stepsLeft -= search.steps;
        return status === 'illegal';
      }
      if (search.cacheFull || performance.now() > deadline) break;
    }
    stepsLeft -= search.steps;
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

  // 2. ddmin over the moves that only relax the history.
  const shrunk = deltaDebug(model, ops, illegal, deadline);
  return { operations: shrunk.operations, minimal: complete && shrunk.complete };
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
