import type { Model } from './model.js';

/**
 * A double barrier of `size` participants per round: `enter` returns `{round}` once every
 * participant of its round has entered, `leave` returns `{round}`. Nothing here is linearizable
 * state (an enter's answer depends on enters invoked after it), so every history is accepted by
 * the model and judged by the barrier invariant (invariants/barrier-invariant.ts).
 */
export function barrierModel(size: unknown = 2): Model<null> {
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1) throw new TypeError('barrier init must be the barrier size, an integer ≥ 1');
  return {
    name: 'barrier',
    init: () => null,
    step: (state) => state,
    equal: () => true,
    hash: () => 0,
    validate: (op) => (op.f === 'enter' || op.f === 'leave' ? undefined : `f ${JSON.stringify(op.f)} is not enter or leave`),
    describeOperation: (op) => op.f,
    describeState: () => `barrier of ${size}`,
  };
}
