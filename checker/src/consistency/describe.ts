import type { Operation } from '../history/op.js';
import type { OperationView } from '../linearizability/result.js';
import { operationView } from '../linearizability/views.js';
import type { CompleteModel } from '../models/model.js';
import { showValue } from '../models/values.js';

/** Witnesses show a handful of operations, not a history. */
export const WITNESS_OPERATIONS_MAX = 8;

/** Witnesses kept per guarantee or kind of violation, unless the caller says otherwise. */
export const VIOLATIONS_MAX_DEFAULT = 5;

/** A key as a sentence names it: `x`, or `key 3` for keys that are not plain names. */
export function keyName(key: unknown): string {
  if (typeof key === 'string' && /^[A-Za-z_][\w.-]*$/.test(key)) return key;
  return `key ${showValue(key)}`;
}

/** `x=5` for a kv key, `5` for the register. */
export function valueAt(key: unknown, value: unknown, kind: 'register' | 'kv'): string {
  return kind === 'register' ? showValue(value) : `${keyName(key)}=${showValue(value)}`;
}

/** The operations as reports show them: distinct, in invocation order, at most a handful. */
export function views(ops: readonly (Operation | undefined)[], model: CompleteModel<any>, max = WITNESS_OPERATIONS_MAX): OperationView[] {
  const seen = new Set<Operation>();
  const kept: Operation[] = [];
  for (const op of ops) {
    if (op === undefined || seen.has(op)) continue;
    seen.add(op);
    if (kept.length < max) kept.push(op);
  }
  return kept.sort((a, b) => a.call - b.call).map((op) => operationView(op, model));
}

/** "3 operations", "1 operation". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
