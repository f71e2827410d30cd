import { inconsistent, type Model } from './model.js';
import { showValue, stableStringify } from './values.js';

/** Stands in an unordered queue's contents for an element a dequeue with unknown result took. */
const CLAIM = '\u0000claim';

/**
 * An unordered queue's contents: canonical element strings in the order they were enqueued, and
 * a CLAIM where an `info` dequeue took effect. Such a dequeue took some element enqueued before
 * it, which one is left open: the claims need only be matchable to distinct earlier elements
 * (every prefix holds at least as many elements as claims). Elements between claims are sorted,
 * and a prefix whose claims use up all its elements is dropped, so equal contents are equal arrays.
 */
type Bag = readonly string[];

/** An unordered queue: `enqueue` x, `dequeue` → some x that is present (Knossos's unordered-queue). */
export function unorderedQueueModel(): Model<Bag> {
  return {
    name: 'unordered-queue',
    init: () => [],
    step(state, op) {
      if (op.f === 'enqueue') return op.status === 'fail' ? state : enqueue(state, stableStringify(op.input));
      if (op.status === 'fail') return state;
      if (op.status === 'info') {
        // It took an element if one was left unclaimed; else it found the queue empty.
        return unclaimed(state) > 0 ? settle([...state, CLAIM])! : state;
      }
      if (op.output === null || op.output === undefined) {
        return state.length === 0 ? state : inconsistent(() => `dequeue found the queue empty but it holds ${unclaimed(state)} element(s)`);
      }
      const k = stableStringify(op.output);
      const at = state.lastIndexOf(k);
      if (at === -1) return inconsistent(() => `dequeued ${showValue(op.output)}, which is not in the queue`);
      const next = settle([...state.slice(0, at), ...state.slice(at + 1)]);
      return next ?? inconsistent(() => `dequeued ${showValue(op.output)}, which a dequeue with unknown result must have taken`);
    },
    equal: (a, b) => a.length === b.length && a.every((x, i) => x === b[i]),
    validate: (op) => (op.f === 'enqueue' || op.f === 'dequeue' ? undefined : `f ${JSON.stringify(op.f)} is not enqueue or dequeue`),
    describeOperation: (op) => (op.f === 'enqueue' ? `enqueue ${showValue(op.input)}` : `dequeue → ${showValue(op.output)}`),
    describeState: (s) => `[${s.map((x) => (x === CLAIM ? '(one taken)' : x)).join(' ')}]`,
  };
}

/** Adds k among the elements enqueued since the last claim, in sorted place. */
function enqueue(state: Bag, k: string): Bag {
  let at = state.length;
  while (at > 0 && state[at - 1] !== CLAIM && state[at - 1]! > k) at--;
  return [...state.slice(0, at), k, ...state.slice(at)];
}

/** Elements no claim needs. */
function unclaimed(state: Bag): number {
  let n = 0;
  for (const x of state) n += x === CLAIM ? -1 : 1;
  return n;
}

/** Drops the longest prefix whose claims use up its elements; undefined when a claim has none left. */
function settle(items: string[]): Bag | undefined {
  let balance = 0;
  let cut = 0;
  for (let i = 0; i < items.length; i++) {
    balance += items[i] === CLAIM ? -1 : 1;
    if (balance < 0) return undefined;
    if (balance === 0) cut = i + 1;
  }
  return cut === 0 ? items : items.slice(cut);
}

/** A FIFO queue: `enqueue` x, `dequeue` → the oldest element (Knossos's fifo-queue). */
export function fifoQueueModel(): Model<readonly unknown[]> {
  return {
    name: 'fifo-queue',
    init: () => [],
    step(state, op) {
      if (op.f === 'enqueue') return op.status === 'fail' ? state : [...state, op.input];
      if (op.status === 'fail') return state;
      // An indeterminate dequeue that took effect took the head (or found the queue empty).
      if (op.status === 'info') return state.length === 0 ? state : state.slice(1);
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
