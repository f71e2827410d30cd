import type { CompleteModel, Model } from './model.js';
import { hashValue, showValue, valueEquals } from './values.js';

/** Fills a model's optional behaviour with the defaults, in one place. */
export function completeModel<S>(model: Model<S>): CompleteModel<S> {
  if (isComplete(model)) return model;
  return markComplete({
    ...model,
    equal: model.equal ?? valueEquals,
    hash: model.hash ?? hashValue,
    failed: model.failed ?? 'drop',
    isReadOnly: model.isReadOnly ?? (() => false),
    stepsByValue: model.stepsByValue ?? false,
    validate: model.validate ?? (() => undefined),
    describeOperation: model.describeOperation ?? ((op) => `${op.f} ${showValue(op.status === 'ok' ? op.output : op.input)}`),
    describeState: model.describeState ?? showValue,
  } as CompleteModel<S>);
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
