import { VerdictError } from '../errors.js';
import { operationsOf, type History, type Operation } from '../history/op.js';
import { completeModel } from '../models/complete-model.js';
import type { CompleteModel, Model } from '../models/model.js';

/** One independent part of the history, ready to search. */
export interface PreparedPartition {
  key: string;
  model: CompleteModel<any>;
  operations: Operation[];
}

/**
 * Drops the operations that cannot matter to the search, validates the rest against the model,
 * and splits them into the model's independent parts.
 * - a `fail` never happened (unless the model observes failures, Porcupine's etcd reading, where
 *   it stays: a failed cas saw another value);
 * - a read-only operation whose result is unknown constrains nothing.
 */
export function prepareOperations(model: Model<any>, history: History | readonly Operation[]): { model: CompleteModel<any>; partitions: PreparedPartition[]; checked: number } {
  const complete = completeModel(model);
  const kept: Operation[] = [];
  const operations = operationsOf(history);
  // Indexed loops in the passes over every operation: they run once, mostly unoptimised, where a
  // for-of steps an iterator.
  for (let k = 0; k < operations.length; k++) {
    const op = operations[k]!;
    const reason = complete.validate(op);
    if (reason !== undefined) {
      throw new VerdictError('VRD_ERR_MODEL_OPERATION', `${complete.name}: ${reason}`, { opIndex: op.call });
    }
    if (op.status === 'fail' && complete.failed === 'drop') continue;
    if (op.status === 'info' && complete.isReadOnly(op)) continue;
    kept.push(op);
  }
  const parts = complete.partition?.(kept) ?? [{ key: '', operations: kept }];
  const partitions = parts.map((p) => ({ key: p.key, model: p.model !== undefined ? completeModel(p.model) : complete, operations: p.operations }));
  return { model: complete, partitions, checked: kept.length };
}
