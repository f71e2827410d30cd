import { inconsistent, type Model } from './model.js';
import { showValue, stableStringify } from './values.js';

/** A sorted array of the canonical strings of the elements: immutable, cheap to compare. */
type SetState = readonly string[];

/** A grow-only set: `add` x, `read` → all elements (Knossos's set). */
export function setModel(init: unknown = []): Model<SetState> {
  const initial = canonicalSet(Array.isArray(init) ? init : []);
  return {
    name: 'set',
    init: () => initial,
    step(state, op) {
      if (op.f === 'add') {
        if (op.status === 'fail') return state;
        const k = stableStringify(op.input);
        const at = lowerBound(state, k);
        if (state[at] === k) return state;
        return [...state.slice(0, at), k, ...state.slice(at)];
      }
      if (op.status !== 'ok' || !Array.isArray(op.output)) return state;
      const seen = canonicalSet(op.output);
      if (seen.length === state.length && seen.every((x, i) => x === state[i])) return state;
      return inconsistent(() => `read {${seen.join(' ')}} but the set holds {${state.join(' ')}}`);
    },
    equal: (a, b) => a.length === b.length && a.every((x, i) => x === b[i]),
    validate: (op) => (op.f === 'add' || op.f === 'read' ? undefined : `f ${JSON.stringify(op.f)} is not add or read`),
    isReadOnly: (op) => op.f === 'read',
    stepsByValue: true,
    describeOperation: (op) => (op.f === 'add' ? `add ${showValue(op.input)}` : `read ${showValue(op.output)}`),
    describeState: (s) => `{${s.join(' ')}}`,
  };
}

function canonicalSet(xs: readonly unknown[]): SetState {
  return [...new Set(xs.map((x) => stableStringify(x)))].sort();
}

function lowerBound(xs: readonly string[], k: string): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
