import type { Operation } from '../history/op.js';
import { stableStringify } from '../models/values.js';

/**
 * Indeterminate twins: for a model whose step reads only f, input, output and status, two
 * indeterminate operations with the same f and input step alike, and neither must return. An
 * order that takes the later while the earlier is pending becomes one taking the earlier (called
 * no later) by swapping them, so the search may take twins in call order only and stay complete.
 * A counter's timed-out increments are all twins: without this, the search tried every subset
 * and order of them.
 *
 * Returns each indeterminate op's previous twin by call (same f and input), when the model steps
 * by value; else -1. `ops` are sorted by call.
 */
export function twinsBefore(ops: readonly Operation[], required: Uint8Array, readOnly: Uint8Array, byValue: boolean): Int32Array {
  const twins = new Int32Array(ops.length).fill(-1);
  if (!byValue) return twins;
  const last = new Map<string, number>();
  for (let i = 0; i < ops.length; i++) {
    if (required[i] === 1 || readOnly[i] === 1) continue;
    const op = ops[i]!;
    const key = `${op.f}\u0000${stableStringify(op.input)}`;
    const before = last.get(key);
    if (before !== undefined) twins[i] = before;
    last.set(key, i);
  }
  return twins;
}
