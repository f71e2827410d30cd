import { operationsOf, type History, type Operation } from '../history/op.js';
import { stableStringify } from '../models/values.js';

/** Micro-op kinds, as small integers for typed arrays. */
export const MOP_READ = 0;
export const MOP_WRITE = 1;
export const MOP_APPEND = 2;
export const MOP_SCAN = 3;
/** `["delete", k, nil]`: the key existed and the transaction removed it (see docs/histories.md). */
export const MOP_DELETE = 4;

const KINDS: Readonly<Record<string, number>> = { r: MOP_READ, w: MOP_WRITE, append: MOP_APPEND, scan: MOP_SCAN, delete: MOP_DELETE };

/** The micro-op kind of `f` (`"r"`, `"w"`, `"append"`, `"scan"`, `"delete"`), or -1. */
export function mopKindOf(f: unknown): number {
  return typeof f === 'string' ? (KINDS[f] ?? -1) : -1;
}

/**
 * The micro-ops that describe what a transaction did: the completion's for `ok` (reads carry
 * their results), the invocation's for `fail` and `info` (what it tried to write).
 */
export function mopsOf(op: Operation): unknown {
  return op.status === 'ok' ? op.output : op.input;
}

/** Knossos's multi-register micro-op names: such a history needs `--model multi-register`. */
const KNOSSOS_MOPS = new Set(['read', 'write']);

/**
 * True when the history is in Elle's transaction form: it has client operations and every one is
 * `f: "txn"` with a list of micro-ops, and they are not all Knossos's multi-register ones
 * (`read`, `write`). A micro-op that is not one of ours (`r`, `w`, `append`, `scan`, `delete`) is then an error
 * the isolation checker names, rather than a reason to ask for a model.
 */
export function isTransactionalHistory(history: History | readonly Operation[]): boolean {
  const operations = operationsOf(history);
  if (operations.length === 0) return false;
  let knossos = true;
  for (const o of operations) {
    if (o.f !== 'txn' || !Array.isArray(o.input)) return false;
    for (const m of o.input as unknown[]) if (!(Array.isArray(m) && KNOSSOS_MOPS.has(m[0] as string))) knossos = false;
  }
  return !knossos;
}

/**
 * A value as a Map key: primitives stand for themselves; lists and maps by their stable JSON
 * (prefixed so they never collide with a string of the same text).
 */
export function valueKey(v: unknown): unknown {
  return v !== null && typeof v === 'object' ? `\u0000${stableStringify(v)}` : v;
}

/** Keys sort numbers first (numerically), then strings, then anything else by its JSON. */
export function compareKeys(a: unknown, b: unknown): number {
  const ra = keyRank(a);
  const rb = keyRank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0; // numbers and bigints compare exactly
  const sa = ra === 1 ? (a as string) : stableStringify(a);
  const sb = rb === 1 ? (b as string) : stableStringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function keyRank(k: unknown): number {
  return typeof k === 'number' || typeof k === 'bigint' ? 0 : typeof k === 'string' ? 1 : 2;
}

/** Whether key k lies in the scan range [lo, hi] (both ends included; nil: unbounded). */
export function inRange(k: unknown, lo: unknown, hi: unknown): boolean {
  return (lo === null || lo === undefined || compareKeys(lo, k) <= 0) && (hi === null || hi === undefined || compareKeys(k, hi) <= 0);
}
