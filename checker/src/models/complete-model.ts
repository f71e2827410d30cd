import type { CompleteModel, Model } from './model.js';
import { hashValue, showValue, valueEquals } from './values.js';

/**
 * Fills a model's optional behaviour with the defaults, in one place. The complete model is one
 * object literal with every field of the interface in one order, so every complete model has the
 * same hidden class: a spread of the model gave objects of many (41 for the 50 partitions of a kv
 * log), and the search's optimised code, which reads `model.step` for every partition and file,
 * was thrown away and recompiled as each new one came.
 */
export function completeModel<S>(model: Model<S>): CompleteModel<S> {
  if (isComplete(model)) return model;
  const complete: CompleteModel<S> = {
    name: model.name,
    spec: model.spec,
    init: model.init,
    step: model.step,
    equal: model.equal ?? valueEquals,
    hash: model.hash ?? hashValue,
    judges: model.judges,
    partition: model.partition,
    failed: model.failed ?? 'drop',
    validate: model.validate ?? (() => undefined),
    isReadOnly: model.isReadOnly ?? (() => false),
    stepsByValue: model.stepsByValue ?? false,
    describeOperation: model.describeOperation ?? ((op) => `${op.f} ${showValue(op.status === 'ok' ? op.output : op.input)}`),
    describeState: model.describeState ?? showValue,
    footprint: model.footprint,
  };
  // Anything else a model carries (a user's own model may), as a spread would have copied it.
  for (const key of Object.keys(model)) {
    if (!(key in complete)) (complete as unknown as Record<string, unknown>)[key] = (model as unknown as Record<string, unknown>)[key];
  }
  return markComplete(complete);
}

const COMPLETE = new WeakSet<object>();

function isComplete<S>(model: Model<S>): model is CompleteModel<S> {
  return COMPLETE.has(model);
}

/** Marks a model built by completeModel, so completing it again is free. */
function markComplete<S>(model: CompleteModel<S>): CompleteModel<S> {
  COMPLETE.add(model);
  return model;
}
