import { inconsistent, type Model } from './model.js';
import { lowerBound } from './set.js';
import { showValue, stableStringify } from './values.js';

/** Multiset of canonical element strings, sorted: an unordered queue's contents. */
type Bag = readonly string[];

/** An unordered queue: `enqueue` x, `dequeue` → some x that is present (Knossos's unordered-queue). */
export function unorderedQueueModel(): Model<Bag> {
  return {
    name: 'unordered-queue',
    init: () => [],
    step(state, op) {
      if (op.f === 'enqueue') {
        if (op.status === 'fail') return state;
        const k = stableStringify(op.input);
        const at = lowerBound(state, k);
        return [...state.slice(0, at), k, ...state.slice(at)];
      }
      if (op.status !== 'ok') return state; // an indeterminate dequeue may have taken nothing
      if (op.output === null || op.output === undefined) {
        return state.length === 0 ? state : inconsistent(() => `dequeue found the queue empty but it holds ${state.length} element(s)`);
      }
      const k = stableStringify(op.output);
      const at = lowerBound(state, k);
      if (state[at] !== k) return inconsistent(() => `dequeued ${showValue(op.output)}, which is not in the queue`);
      return [...state.slice(0, at), ...state.slice(at + 1)];
    },
    equal: (a, b) => a.length === b.length && a.every((x, i) => x === b[i]),
    validate: (op) => (op.f === 'enqueue' || op.f === 'dequeue' ? undefined : `f ${JSON.stringify(op.f)} is not enqueue or dequeue`),
    describeOperation: (op) => (op.f === 'enqueue' ? `enqueue ${showValue(op.input)}` : `dequeue → ${showValue(op.output)}`),
    describeState: (s) => `[${s.join(' ')}]`,
  };
}

/** A FIFO queue: `enqueue` x, `dequeue` → the oldest element (Knossos's fifo-queue). */
export function fifoQueueModel(): Model<readonly unknown[]> {
  return {
    name: 'fifo-queue',
    init: () => [],
    step(state, op) {
      if (op.f === 'enqueue') return op.status === 'fail' ? state : [...state, op.input];
      if (op.status !== 'ok') return state;
      if (op.output === null || op.output === undefined) {
        return state.length === 0 ? state : inconsistent(() => `dequeue found the queue empty but ${showValue(state[0])} is at its head`);
      }
      if (state.length === 0) return inconsistent(() => `dequeued ${showValue(op.output)} from an empty queue`);
      if (stableStringify(state[0]) !== stableStringify(op.output)) {
        return inconsistent(() => `dequeued ${showValue(op.output)} but ${showValue(state[0])} is at the head`);
      }
      return state.slice(1);
    },
    validate: (op) => (op.f === 'enqueue' || op.f === 'dequeue' ? undefined : `f ${JSON.stringify(op.f)} is not enqueue or dequeue`),
    describeOperation: (op) => (op.f === 'enqueue' ? `enqueue ${showValue(op.input)}` : `dequeue → ${showValue(op.output)}`),
    describeState: (s) => `[${s.map(showValue).join(' ')}]`,
  };
}
