import type { Operation } from '../history/op.js';
import { inconsistent, type Model } from './model.js';
import { showValue, stableStringify, valueEquals } from './values.js';

type Registers = Readonly<Record<string, unknown>>;

/**
 * Knossos's multi-register: each operation is `f: "txn"` with micro-ops
 * `[read|r, key, value]` and `[write|w, key, value]` applied atomically, in order.
 * A read of nil observes nothing (Knossos's reading).
 */
export function multiRegisterModel(init: unknown = {}): Model<Registers> {
  if (init === null || typeof init !== 'object' || Array.isArray(init)) {
    throw new TypeError('multi-register init must be an object of register names to values');
  }
  const initial = { ...(init as Record<string, unknown>) };
  return {
    name: 'multi-register',
    init: () => initial,
    step(state, op) {
      const micro = (op.status === 'ok' && Array.isArray(op.output) ? op.output : op.input) as unknown[][];
      let next: Record<string, unknown> | undefined;
      for (const [f, k, v] of micro) {
        const key = String(k);
        const current = next !== undefined ? next[key] : state[key];
        if (f === 'read' || f === 'r') {
          if (op.status !== 'ok' || v === null || v === undefined) continue;
          if (!valueEquals(v, current ?? null)) return inconsistent(() => `read ${key}=${showValue(v)} but ${key} holds ${showValue(current ?? null)}`);
        } else {
          next ??= { ...state };
          next[key] = v;
        }
      }
      return next ?? state;
    },
    equal: (a, b) => valueEquals(a, b),
    validate: (op: Operation) => {
      if (op.f !== 'txn') return `f ${JSON.stringify(op.f)} is not txn`;
      if (!Array.isArray(op.input)) return `txn value must be a list of [f, key, value], got ${showValue(op.input)}`;
      for (const m of op.input) {
        if (!Array.isArray(m) || m.length !== 3 || !['read', 'r', 'write', 'w'].includes(m[0] as string)) {
          return `micro-op must be [read|write, key, value], got ${showValue(m)}`;
        }
      }
      return undefined;
    },
    isReadOnly: (op) => Array.isArray(op.input) && (op.input as unknown[][]).every((m) => m[0] === 'read' || m[0] === 'r'),
    stepsByValue: true,
    describeOperation: (op) => {
      const micro = (op.status === 'ok' && Array.isArray(op.output) ? op.output : op.input) as unknown[][];
      return `txn ${micro.map(([f, k, v]) => `${String(f)} ${String(k)} ${showValue(v)}`).join(', ')}`;
    },
    describeState: (s) => stableStringify(s),
  };
}
