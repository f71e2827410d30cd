import { inconsistent, type Model } from './model.js';
import { addValues, showValue } from './values.js';

type Total = number | bigint;

const isAmount = (v: unknown): v is Total => typeof v === 'number' || typeof v === 'bigint';

/** A counter: `add`/`increment` by the value (1 when absent), `read` → the total, exactly beyond 2^53 too. */
export function counterModel(init: unknown = 0): Model<Total> {
  if (!isAmount(init)) throw new TypeError('counter init must be a number');
  return {
    name: 'counter',
    init: () => init,
    step(total, op) {
      if (op.f === 'read') {
        if (op.status !== 'ok' || op.output === null || op.output === undefined) return total;
        return op.output === total ? total : inconsistent(() => `read ${showValue(op.output)} but the counter is ${showValue(total)}`);
      }
      if (op.status === 'fail') return total;
      return addValues(total, isAmount(op.input) ? op.input : 1);
    },
    equal: (a, b) => a === b,
    validate: (op) => {
      if (op.f === 'read') return undefined;
      if (op.f !== 'add' && op.f !== 'increment' && op.f !== 'incr') return `f ${JSON.stringify(op.f)} is not add, increment or read`;
      return op.input === null || op.input === undefined || isAmount(op.input) ? undefined : `add value must be a number, got ${showValue(op.input)}`;
    },
    isReadOnly: (op) => op.f === 'read',
    stepsByValue: true,
    describeOperation: (op) => (op.f === 'read' ? `read → ${showValue(op.output)}` : `add ${showValue(op.input ?? 1)}`),
    describeState: (s) => showValue(s),
  };
}
