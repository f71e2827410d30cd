import type { Operation } from '../history/op.js';
import type { Counterexample } from '../linearizability/result.js';
import { operationView } from '../linearizability/views.js';
import { siblingsOf } from '../models/kv-siblings.js';
import type { CompleteModel } from '../models/model.js';

/**
 * The first read that returned two or more siblings, in a history of the `kv-siblings` model:
 * no order of the operations admits it (a sequential store holds one value per key), so it is a
 * whole counterexample by itself. Found before any search, which would otherwise explore every
 * order of the rest to learn that nothing lets it through.
 */
export function multiSiblingRead(model: CompleteModel<any>, ops: readonly Operation[]): Operation | undefined {
  if (model.spec?.name !== 'kv-siblings' && model.name !== 'kv-siblings') return undefined;
  return ops.find((op) => (siblingsOf(op)?.length ?? 0) > 1);
}

/** That read as a counterexample: a prefix of nothing, and a witness of one operation. */
export function siblingCounterexample(model: CompleteModel<any>, op: Operation): Counterexample {
  const view = operationView(op, model);
  const reason = `${siblingsOf(op)!.length} siblings returned at once: no sequential store holds two values of a key`;
  return {
    partition: '',
    initialState: model.describeState(model.init()),
    prefix: [],
    prefixLength: 0,
    blocked: view,
    finalPaths: [{ steps: [], blocked: view, attempts: [{ op: view, reason }] }],
    witness: { operations: [view], minimal: true, explanation: `${model.describeOperation(op)} by process ${String(op.process)}: ${reason}` },
  };
}
