import type { Operation } from '../history/op.js';
import { kvModel, keyOf } from './kv.js';
import { inconsistent, isInconsistent, type Footprint, type Inconsistent, type Model } from './model.js';
import { showValue, valueEquals } from './values.js';

/**
 * A key-value store whose reads return siblings, as Dynamo and Riak do: `read [k, nil]` completes
 * `[k, [v…]]`, the values of the key's concurrent versions (`[]` before any write). Writes are
 * the kv model's `write [k, v]`; every key starts empty (nil).
 *
 * As a sequential specification it is the kv store whose reads see exactly the current value: a
 * read of one sibling reads that value, of none the initial nil, and a read of two or more
 * siblings fits no sequential order — no register holds two values at once. The session and
 * eventual checks read a list of siblings as one version of its own (see VersionTable.members).
 */
export function kvSiblingsModel(init: unknown = null): Model<any> {
  if (init !== null) throw new Error(`every key of a store with siblings starts empty (nil), got ${showValue(init)}`);
  const kv = kvModel({ init: null });
  return {
    ...wrap(kv),
    name: 'kv-siblings',
    partition: (ops: readonly Operation[]) => kv.partition!(ops).map((part) => ({ ...part, model: wrap(part.model ?? kv) })),
  };
}

/** The sibling list an ok read returned, or undefined (not an ok read, or no output). */
export function siblingsOf(op: Operation): unknown[] | undefined {
  if ((op.f !== 'read' && op.f !== 'get') || op.status !== 'ok' || !Array.isArray(op.output)) return undefined;
  const list = (op.output as unknown[])[1];
  return Array.isArray(list) ? list : undefined;
}

/** A kv model (or one key of it) reading sibling lists. */
function wrap(inner: Model<any>): Model<any> {
  const plain = new WeakMap<Operation, Operation>();
  /** The op as the kv model reads it: a read of at most one sibling reads its value (or nil). */
  const asKv = (op: Operation): Operation | Inconsistent => {
    const list = siblingsOf(op);
    if (list === undefined) return op;
    if (list.length > 1) {
      return inconsistent(() => `read ${list.length} siblings ${showValue(list)} at key ${showValue((op.input as unknown[])[0])}: no sequential store holds two values at once`);
    }
    let known = plain.get(op);
    if (known === undefined) plain.set(op, (known = { ...op, output: [(op.output as unknown[])[0], list.length === 0 ? null : list[0]] }));
    return known;
  };
  return {
    ...inner,
    step: (state, op) => {
      const kv = asKv(op);
      return isInconsistent(kv) ? kv : inner.step(state, kv);
    },
    validate: (op) => {
      if (op.f === 'cas' || op.f === 'append') return `f ${JSON.stringify(op.f)}: a store with siblings reads and writes (read, get, write, put)`;
      const reason = inner.validate?.(op);
      if (reason !== undefined) return reason;
      if ((op.f === 'read' || op.f === 'get') && op.status === 'ok' && op.output !== undefined && op.output !== null && !Array.isArray((op.output as unknown[])[1])) {
        return `a read of a store with siblings completes [key, [values…]], got ${showValue(op.output)}`;
      }
      return undefined;
    },
    footprint: SIBLINGS_FOOTPRINT,
  };
}

/** What an op writes and observes, for sound shrinking: a read observes a write when its siblings hold the value. */
const SIBLINGS_FOOTPRINT: Footprint = {
  written: (op) => {
    if (op.status === 'fail' || (op.f !== 'write' && op.f !== 'put')) return undefined;
    return { key: keyOf(op), value: (op.input as unknown[])[1] };
  },
  observes: (op, written) => {
    const w = written as { key: string; value: unknown };
    if (keyOf(op) !== w.key) return false;
    const list = siblingsOf(op);
    return list !== undefined && list.some((v) => valueEquals(v, w.value));
  },
};
