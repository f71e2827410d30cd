import type { Operation } from '../history/op.js';
import { deltaDebug } from '../linearizability/delta-debug.js';
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
 * with linearizability's delta debugging (see delta-debug.ts): every move only relaxes the
 * history (drop a read, drop a write nobody could observe, weaken to `info`), so a shrunk witness
 * that cannot be ordered proves the original cannot either. No cut in time: sequential
 * consistency ignores real time, so a later write may explain an earlier read.
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
  let complete = true;
  // A candidate counts only when proved illegal within the step cap; one that is not proved in
  // time is not taken, and the witness may then not be 1-minimal.
  const illegal = (ops: readonly Operation[]): boolean => {
    const search = new SequentialSearch(programOrder(ops, unitOf), modelFor(ops), { trackCounterexample: false, guard: VersionGuard.for(model, ops, scopeLevelOf(unitOf)) });
    const status = search.run(stepsPerCheck);
    if (status === 'running') complete = false;
    return status === 'illegal';
  };
  const ops = [...operations].sort((a, b) => a.call - b.call);
  if (!illegal(ops)) return { operations: ops, minimal: false };
  const shrunk = deltaDebug(model, ops, illegal, deadline);
  return { operations: shrunk.operations, minimal: complete && shrunk.complete };
}
