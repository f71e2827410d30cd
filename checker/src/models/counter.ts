import { inconsistent, type Model } from './model.js';
import { showValue } from './values.js';

/** A counter: `add`/`increment` by the value (1 when absent), `read` → the total. */
export function counterModel(init: unknown = 0): Model<number> {
  if (typeof init !== 'number') throw new TypeError('counter init must be a number');
  return {
    name: 'counter',
    init: () => init,
    step(total, op) {
      if (op.f === 'read') {
        if (op.status !== 'ok' || op.output === null || op.output === undefined) return total;
        return op.output === total ? total : inconsistent(() => `read ${showValue(op.output)} but the counter is ${total}`);
      }
      if (op.status === 'fail') return total;
      return total + (typeof op.input === 'number' ? op.input : 1);
    },
    equal: (a, b) => a === b,
    validate: (op) => {
      if (op.f === 'read') return undefined;
      if (op.f !== 'add' && op.f !== 'increment' && op.f !== 'incr') return `f ${JSON.stringify(op.f)} is not add, increment or read`;
      return op.input === null || op.input === undefined || typeof op.input === 'number' ? undefined : `add value must be a number, got ${showValue(op.input)}`;
    },
    isReadOnly: (op) => op.f === 'read',
    describeOperation: (op) => (op.f === 'read' ? `read → ${showValue(op.output)}` : `add ${showValue(op.input ?? 1)}`),
    describeState: (s) => String(s),
  };
}
