import type { Operation } from '../history/op.js';
import type { CompleteModel } from '../models/model.js';
import { programOrder, scopeLevelOf, type UnitOf } from './program-order.js';
import type { SearchModel } from './search-model.js';
import { VersionGuard } from './version-guard.js';
import { SequentialSearch } from './sequential-search.js';

/** Builds the search model for a list of ops (the caller knows how parts map). */
export type SearchModelFor = (ops: readonly Operation[]) => SearchModel<any>;

export interface SequentialShrinkResult {
  operations: Operation[];
  /** False when the time budget ran out before the witness was 1-minimal. */
  minimal: boolean;
}

/**
 * Shrinks a history that is not sequentially consistent to a few operations that still are not,
 * by delta debugging with moves that only relax the history, so a shrunk witness that cannot be
 * ordered proves the original cannot either:
 * - drop a read-only operation (an order of the rest, with the read put back where it was, still fits);
 * - weaken a completed operation to `info` (it may then happen anywhere after its predecessors, or never).
 * Writes are never dropped: dropping one could invent the violation.
 */
export function shrinkSequential(
  model: CompleteModel<any>,
  operations: readonly Operation[],
  unitOf: UnitOf,
  modelFor: SearchModelFor,
  timeBudgetMs: number,
  stepsPerCheck = 200_000,
): SequentialShrinkResult {
  const deadline = performance.now() + timeBudgetMs;
  const illegal = (ops: readonly Operation[]): boolean => {
    const search = new SequentialSearch(programOrder(ops, unitOf), modelFor(ops), { trackCounterexample: false, guard: VersionGuard.for(model, ops, scopeLevelOf(unitOf)) });
    return search.run(stepsPerCheck) === 'illegal';
  };
  let ops = [...operations].sort((a, b) => a.call - b.call);
  if (!illegal(ops)) return { operations: ops, minimal: false };
  let complete = true;
  let chunks = 2;
  while (ops.length > 1) {
    if (performance.now() > deadline) { complete = false; break; }
    const candidates = ops.filter((o) => model.isReadOnly(o) || o.status !== 'info');
    if (candidates.length === 0) break;
    chunks = Math.min(chunks, candidates.length);
    const size = Math.ceil(candidates.length / chunks);
    let reduced = false;
    for (let c = 0; c < chunks && !reduced; c++) {
      if (performance.now() > deadline) break;
      const chunk = new Set(candidates.slice(c * size, (c + 1) * size));
      const next = relax(ops, chunk, model);
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

function relax(ops: readonly Operation[], chunk: ReadonlySet<Operation>, model: CompleteModel<any>): Operation[] {
  const out: Operation[] = [];
  for (const o of ops) {
    if (!chunk.has(o)) out.push(o);
    else if (!model.isReadOnly(o)) out.push({ ...o, status: 'info', output: undefined, ret: Infinity });
  }
  return out;
}
