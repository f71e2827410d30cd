import type { Operation } from '../history/op.js';
import type { Counterexample, OperationView, StepView } from '../linearizability/result.js';
import { operationView, PREFIX_SHOWN_MAX } from '../linearizability/views.js';
import type { CompleteModel } from '../models/model.js';
import { programOrder, scopeLevelOf, type UnitOf } from './program-order.js';
import { VersionGuard } from './version-guard.js';
import { searchModelFor } from './search-model.js';
import { SequentialSearch, type RawSequentialCounterexample } from './sequential-search.js';
import { shrinkSequential } from './sequential-shrink.js';

/** Steps of the final path shown before the point nothing can follow. */
const FINAL_PATH_STEPS = 10;
/** Steps the witness's unguarded search may take, and the guarded one after it. */
const WITNESS_STEPS_MAX = 2_000_000;
/**
 * Steps the unguarded search may take on a witness the shrinker could not make minimal: such a
 * witness is often the whole history (a search that proves one long history illegal can cost more
 * than the shrink budget allows), where the unguarded search would spend its whole allowance —
 * seconds — before the guarded one answers in a few steps.
 */
const WITNESS_STEPS_UNSHRUNK_MAX = 50_000;
/** Refusals a witness sentence spells out. */
const REASONS_SHOWN_MAX = 3;

/**
 * The counterexample of a history that is not sequentially consistent, in linearizability's
 * shape so reports render both alike: the deepest prefix the search kept, what cannot follow it
 * and why (the model's reason, or the version guard's: the move would overwrite a value a later
 * read needs), and a witness shrunk within `shrinkTimeMs`, explained by its own search.
 */
export function sequentialCounterexample(
  model: CompleteModel<any>,
  ops: readonly Operation[],
  search: SequentialSearch<any>,
  unitOf: UnitOf,
  label: string,
  shrinkTimeMs: number,
): Counterexample | undefined {
  const raw = search.counterexample();
  if (raw === undefined) return undefined;
  const sm = search.model;
  const view = (i: number): OperationView => operationView(ops[i]!, model);
  const steps: StepView[] = raw.prefix.map((s) => ({ op: view(s.op), state: sm.describeState(s.state, s.op) }));
  const blocked = raw.attempts.find((a) => !a.reason.startsWith('explored')) ?? raw.attempts[0];
  const shrunk = shrinkSequential(model, ops, unitOf, (o) => searchModelFor(model, o), shrinkTimeMs);
  // The witness is explained by a search without the version guard, so its prefix is the longest
  // legal one (the guard stops earlier, at moves that cannot be completed); the guard again if
  // that search is too long.
  const unshrunk = !shrunk.minimal && shrunk.operations.length === ops.length && shrunk.operations.every((o, i) => o === ops[i]);
  const witnessRaw = unshrunk ? raw : witnessCounterexample(model, shrunk, unitOf);
  return {
    partition: label,
    initialState: sm.describeState(sm.init),
    prefix: steps.slice(Math.max(0, steps.length - PREFIX_SHOWN_MAX)),
    prefixLength: steps.length,
    blocked: blocked !== undefined ? view(blocked.op) : view(raw.prefix[raw.prefix.length - 1]!.op),
    finalPaths: [{
      steps: steps.slice(Math.max(0, steps.length - FINAL_PATH_STEPS)),
      blocked: blocked !== undefined ? view(blocked.op) : view(raw.prefix[raw.prefix.length - 1]!.op),
      attempts: raw.attempts.map((a) => ({ op: view(a.op), reason: a.reason })),
    }],
    witness: {
      operations: shrunk.operations.map((o) => operationView(o, model)),
      minimal: shrunk.minimal,
      explanation: witnessRaw === undefined
        ? `no order of these ${shrunk.operations.length} operations keeps each ${unitWord(unitOf, shrunk.operations)}'s order and is legal for ${model.name}`
        : explain(model, shrunk.operations, witnessRaw, unitOf),
    },
  };
}

/**
 * The witness explained by its own search. When the shrinker ran out of time before removing
 * anything, the witness is the history itself: the check's own search explains it then, since
 * searching it again would cost as much as the check did.
 */
function witnessCounterexample(model: CompleteModel<any>, shrunk: { operations: Operation[]; minimal: boolean }, unitOf: UnitOf): RawSequentialCounterexample<unknown> | undefined {
  const order = programOrder(shrunk.operations, unitOf);
  let witnessSearch = new SequentialSearch(order, searchModelFor(model, shrunk.operations));
  if (witnessSearch.run(shrunk.minimal ? WITNESS_STEPS_MAX : WITNESS_STEPS_UNSHRUNK_MAX) === 'running') {
    witnessSearch = new SequentialSearch(order, searchModelFor(model, shrunk.operations), { guard: VersionGuard.for(model, shrunk.operations, scopeLevelOf(unitOf)) });
    // Bounded too: past it the explanation says only that no order exists, which the check proved.
    witnessSearch.run(WITNESS_STEPS_MAX);
  }
  return witnessSearch.counterexample();
}

function explain(model: CompleteModel<any>, ops: readonly Operation[], raw: RawSequentialCounterexample<unknown>, unitOf: UnitOf): string {
  const refusals = raw.attempts
    .filter((a) => !a.reason.startsWith('explored'))
    .slice(0, REASONS_SHOWN_MAX)
    .map((a) => `${model.describeOperation(ops[a.op]!)} by ${unitOf(ops[a.op]!)} (${a.reason})`);
  const what = refusals.length > 0 ? refusals.join('; ') : 'every next operation was explored already';
  return `after the ${raw.prefix.length} operation(s) that can be put in one order keeping each ${unitWord(unitOf, ops)}'s order, none of the next can follow: ${what}`;
}

function unitWord(unitOf: UnitOf, ops: readonly Operation[]): string {
  return ops.some((o) => unitOf(o).startsWith('session')) ? 'session' : 'process';
}
