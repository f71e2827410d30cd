import type { Operation } from '../history/op.js';
import type { CompleteModel } from '../models/model.js';

/*
 * The passes that lay out a search's arrays from its operations, once per partition. They are
 * functions of their own, not loops in WglSearch's constructor: a constructor run for every
 * partition gets its loops compiled on-stack while its class's instances are still changing
 * shape, and that code then bails out at every later construction.
 */

/** Marks the operations that must return (all but `info`); returns how many. */
export function markRequired(ops: readonly Operation[], required: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < ops.length; i++) {
    if (ops[i]!.ret !== Infinity) {
      required[i] = 1;
      count++;
    }
  }
  return count;
}

/** Links the calls and returns (entry 2i is op i's call, 2i+1 its return) in time order after `head`. */
export function linkEntries(ops: readonly Operation[], required: Uint8Array, next: Int32Array, prev: Int32Array, head: number): void {
  const n = ops.length;
  const returns: number[] = [];
  for (let i = 0; i < n; i++) if (required[i] === 1) returns.push(i);
  let inOrder = true;
  for (let k = 1; k < returns.length && inOrder; k++) inOrder = ops[returns[k - 1]!]!.ret <= ops[returns[k]!]!.ret;
  if (!inOrder) returns.sort((a, b) => ops[a]!.ret - ops[b]!.ret);
  let last = head;
  let r = 0;
  for (let i = 0; i < n; i++) {
    const call = ops[i]!.call;
    while (r < returns.length && ops[returns[r]!]!.ret < call) {
      const e = 2 * returns[r++]! + 1;
      next[last] = e;
      prev[e] = last;
      last = e;
    }
    next[last] = 2 * i;
    prev[2 * i] = last;
    last = 2 * i;
  }
  while (r < returns.length) {
    const e = 2 * returns[r++]! + 1;
    next[last] = e;
    prev[e] = last;
    last = e;
  }
}

/** Numbers the `info` operations (those not required) in `infoPos`; returns how many. */
export function numberInfos(required: Uint8Array, infoPos: Int32Array): number {
  let infos = 0;
  for (let i = 0; i < required.length; i++) if (required[i] === 0) infoPos[i] = infos++;
  return infos;
}

/** The first required operation (`required.length` when none). */
export function firstRequired(required: Uint8Array): number {
  let low = 0;
  while (low < required.length && required[low] === 0) low++;
  return low;
}

export function markReadOnly<S>(ops: readonly Operation[], model: CompleteModel<S>, readOnly: Uint8Array): void {
  for (let i = 0; i < ops.length; i++) if (model.isReadOnly(ops[i]!)) readOnly[i] = 1;
}
