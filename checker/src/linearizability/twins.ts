import type { Operation } from '../history/op.js';
import { stableStringify } from '../models/values.js';

/** How many ops called just before a completed operation it looks through for its twins. */
const TWIN_SCAN_MAX = 48;

/**
 * Twins: for a model whose step reads only f, input, output and status, two operations with the
 * same f, input, output and status step alike from every state. If one, B, is taken at a point
 * where another, A, could be taken too (nothing that must precede A is pending) and A returns
 * first (an indeterminate op never returns), then any order taking B there becomes one taking A
 * there and B where A was, by swapping them: what must follow A followed B's later place, what
 * must follow B followed A, and every state after is the same. Each swap puts an earlier return
 * first, so swaps end, and the search may pass over such a B and stay complete. Two cases are
 * cheap to see:
 *
 * - `before`: A was called before B (so it can be taken wherever B can) and returns first. The
 *   search takes B only after A. A counter's timed-out increments are all such twins: without
 *   this, the search tried every subset and order of them.
 * - `kind` and `crowded`: A was called after B and returns before it. The search passes over B
 *   when such an A of its kind could be taken there too (its call is ahead of every pending
 *   return). On a counter 30 clients raised together the search went through the orders of
 *   overlapping increments without this (62 operations: 166 million steps, 60 s, undecided).
 *
 * None (-1, 0) when the model does not step by value. Reads are left out: the search takes them
 * otherwise. Only ops that overlap are looked at: of two that do not, the first precedes the
 * other anyway. `ops` are sorted by call.
 */
export interface Twins {
  before: Int32Array;
  /** A completed op's kind (ops of one kind step alike; ops that overlap none of theirs have one each), or -1: a read or an indeterminate op. */
  kind: Int32Array;
  /** 1 for a completed op that an op of its kind, called later, overlaps. */
  crowded: Uint8Array;
}

export function findTwins(ops: readonly Operation[], required: Uint8Array, readOnly: Uint8Array, byValue: boolean): Twins {
  const before = new Int32Array(ops.length).fill(-1);
  const kind = new Int32Array(ops.length).fill(-1);
  const crowded = new Uint8Array(ops.length);
  if (!byValue) return { before, kind, crowded };
  const lastIndeterminate = new Map<string, number>();
  let kinds = 0;
  for (let i = 0; i < ops.length; i++) {
    if (readOnly[i] === 1) continue;
    const op = ops[i]!;
    if (required[i] === 0) {
      const key = `${op.f}\u0000${stableStringify(op.input)}`;
      const twin = lastIndeterminate.get(key);
      if (twin !== undefined) before[i] = twin;
      lastIndeterminate.set(key, i);
      continue;
    }
    // Completed twins that overlap (one that returned before i's call precedes it anyway): among
    // the ops called just before i, those still running when it was called.
    for (let j = i - 1; j >= 0 && j >= i - TWIN_SCAN_MAX; j--) {
      const other = ops[j]!;
      if (required[j] === 0 || readOnly[j] === 1 || other.ret < op.call || !sameKind(other, op)) continue;
      if (kind[i] === -1) kind[i] = kind[j]!;
      if (other.ret < op.ret && before[i] === -1) before[i] = j;
      crowded[j] = 1;
    }
    if (kind[i] === -1) kind[i] = kinds++;
  }
  return { before, kind, crowded };
}

/** How many values two ops' input and output may hold for their comparison; beyond it they are not twins. */
const COMPARE_ITEMS_MAX = 16;

/**
 * Same f, status, input and output: the two step alike (the model steps by value). Each op is
 * compared with up to TWIN_SCAN_MAX others, so the comparison is bounded: values larger than
 * COMPARE_ITEMS_MAX items, or objects other than arrays (unless the same one), are taken as
 * different. Never unsound: ops not taken for twins are only searched in more orders.
 */
function sameKind(a: Operation, b: Operation): boolean {
  if (a.f !== b.f || a.status !== b.status) return false;
  budget = COMPARE_ITEMS_MAX;
  return sameValue(a.input, b.input) && sameValue(a.output, b.output);
}

let budget = 0;

function sameValue(a: unknown, b: unknown): boolean {
  if (--budget < 0) return false;
  if (a === b) return true;
  // Primitives are equal only when identical (a bigint and a number are not twins).
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (!sameValue(a[k], b[k])) return false;
  return true;
}
