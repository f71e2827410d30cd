import type { Operation } from '../history/op.js';
import type { CompleteModel } from '../models/model.js';
import { WglSearch } from './wgl-search.js';

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
 * - weaken a completed operation to `info` (any order that fits it still fits).
 * Removing a write could instead invent the violation, so writes are never dropped, only weakened.
 * Delta debugging (ddmin) applies the last two moves to chunks while the history stays illegal.
 */
export function shrinkIllegal<S>(model: CompleteModel<S>, operations: readonly Operation[], timeBudgetMs: number, stepsPerCheck = 2_000_000): ShrinkResult {
  const deadline = performance.now() + timeBudgetMs;
  const illegal = (ops: readonly Operation[]): boolean => {
    const search = new WglSearch(model, ops, { trackCounterexample: false });
    return search.run(stepsPerCheck) === 'illegal';
  };
  let ops = [...operations].sort((a, b) => a.call - b.call);
  if (!illegal(ops)) return { operations: ops, minimal: false };

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

  // 2. ddmin: drop reads, weaken the rest to info.
  let complete = true;
  let chunks = 2;
  while (ops.length > 1) {
    if (performance.now() > deadline) {
      complete = false;
      break;
    }
    const candidates = ops.filter((o) => model.isReadOnly(o) || o.status !== 'info');
    if (candidates.length === 0) break;
    chunks = Math.min(chunks, candidates.length);
    const size = Math.ceil(candidates.length / chunks);
    let reduced = false;
    for (let c = 0; c < chunks && !reduced; c++) {
      if (performance.now() > deadline) break;
      const chunk = new Set(candidates.slice(c * size, (c + 1) * size));
      const next = weaken(ops, chunk, model);
      if (illegal(next)) {
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

function weaken<S>(ops: readonly Operation[], chunk: ReadonlySet<Operation>, model: CompleteModel<S>): Operation[] {
  const out: Operation[] = [];
  for (const o of ops) {
    if (!chunk.has(o)) out.push(o);
    else if (!model.isReadOnly(o)) out.push(asInfo(o));
  }
  return out;
}

function asInfo(o: Operation): Operation {
  return { ...o, status: 'info', output: undefined, ret: Infinity };
}
