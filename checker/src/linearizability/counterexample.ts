import type { Operation } from '../history/op.js';
import type { CompleteModel } from '../models/model.js';
import type { Counterexample } from './result.js';
import { shrinkIllegal } from './shrink.js';
import { counterexampleView, operationView } from './views.js';
import { WglSearch } from './wgl-search.js';

const SHRINK_STEPS_MIN = 100_000;
const SHRINK_STEPS_PER_PROOF_STEP = 10;

/**
 * The counterexample for an illegal partition: the longest prefix and final paths of the full
 * search, plus a witness shrunk within `shrinkTimeMs` (each candidate's memo within what the
 * search's own leaves of `memoryLimitBytes`), explained by its own search.
 */
export function buildCounterexample<S>(key: string, model: CompleteModel<S>, operations: readonly Operation[], search: WglSearch<S>, shrinkTimeMs: number, memoryLimitBytes: number): Counterexample | undefined {
  const raw = search.counterexample();
  if (raw === undefined) return undefined;
  // Each candidate gets twice the steps the proof took (an honest one needs no more; one that
  // weakening made explode is dropped), and all of them together SHRINK_STEPS_PER_PROOF_STEP
  // times: shrinking costs in proportion to the search, and gives the same witness on any machine.
  const stepsPerCheck = Math.min(2_000_000, Math.max(5_000, search.steps * 2));
  const stepsTotal = Math.max(SHRINK_STEPS_MIN, search.steps * SHRINK_STEPS_PER_PROOF_STEP);
  const cacheBytesMax = memoryLimitBytes - search.cacheBytes;
  const shrunk = shrinkIllegal(model, operations, shrinkTimeMs, stepsPerCheck, cacheBytesMax, stepsTotal);
  const witnessSearch = new WglSearch(model, shrunk.operations, { finalPathsMax: 1, cacheBytesMax });
  witnessSearch.run(Number.MAX_SAFE_INTEGER);
  const witnessRaw = witnessSearch.counterexample();
  const explanation = witnessRaw === undefined
    ? `no order of these ${shrunk.operations.length} operations is legal for ${model.name}`
    : explainBlocked(model, witnessRaw.blocked, witnessRaw.finalPaths[0]?.attempts ?? [], witnessRaw.prefix.length);
  return counterexampleView(raw, model, key, {
    operations: shrunk.operations.map((o) => operationView(o, model)),
    minimal: shrunk.minimal,
    explanation,
  });
}

function explainBlocked<S>(model: CompleteModel<S>, blocked: Operation, attempts: readonly { op: Operation; reason: string }[], depth: number): string {
  const own = attempts.find((a) => a.op === blocked);
  const why = own !== undefined ? `: ${own.reason}` : '';
  return `after the ${depth} operation(s) that can be ordered, ${model.describeOperation(blocked)} by process ${String(blocked.process)} cannot take effect at any point between its invocation and its completion${why}`;
}
