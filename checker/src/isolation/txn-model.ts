import type { Operation } from '../history/op.js';
import { inconsistent, type Model, type Partition } from '../models/model.js';
import { showValue } from '../models/values.js';
import { showEdn } from './explain.js';
import { inRange, mopKindOf, MOP_APPEND, MOP_DELETE, MOP_READ, MOP_SCAN, MOP_WRITE, mopsOf, valueKey } from './micro-ops.js';

/** A store's state: each key's value as an interned id (0: nil, or the empty list), and its hash. */
export interface TxnState {
  readonly vals: Int32Array;
  readonly hash: number;
}

/**
 * Elle's transactions as single steps of one sequential object: a store of registers (`r`, `w`)
 * and lists (`append`, `r`), where a transaction applies its micro-ops atomically, in order, and
 * every read of a committed transaction must return what the store holds (nil, or the empty
 * list, before any write), and every scan the keys in its range that exist (hold a value). A
 * delete sets its key back to nil, and a committed one needs the key to exist. An indeterminate
 * transaction's reads are unknown and its writes may apply. A history is serializable iff some order of its committed transactions (and of any of
 * its indeterminate ones) is legal for this model; strictly so iff that order is a
 * linearization. Keys are interned up front; values are interned as they are seen, lists as a
 * trie (a list's id is its prefix's id and its last element), so equal states are equal arrays.
 */
export function txnStoreModel(ops: readonly Operation[]): Model<TxnState> {
  const keyIds = new Map<unknown, number>();
  const keyNames: unknown[] = [];
  for (const op of ops) for (const key of keysNamed(op)) {
    const norm = valueKey(key);
    if (!keyIds.has(norm)) { keyIds.set(norm, keyNames.length); keyNames.push(key); }
  }
  const ranges = new Map<string, number[]>();
  const keysIn = (lo: unknown, hi: unknown): number[] => {
    const tag = `${String(valueKey(lo))}\u0000${String(valueKey(hi))}`;
    let ids = ranges.get(tag);
    if (ids === undefined) ranges.set(tag, ids = keyNames.flatMap((k, i) => (inRange(k, lo, hi) ? [i] : [])));
    return ids;
  };
  const k1 = keyNames.map((_, k) => mix(k * 2 + 1));
  // Value ids per key: registers by value, lists by (prefix id, element).
  const valueIds = new Map<string, number>();
  const shown: unknown[] = [null];
  const idOf = (k: number, parent: number, v: unknown, list: boolean): number => {
    const tag = `${k}\u0000${list ? parent : 'r'}\u0000${typeof v}\u0000${String(valueKey(v))}`;
    let id = valueIds.get(tag);
    if (id === undefined) {
      id = shown.length;
      valueIds.set(tag, id);
      shown.push(list ? [...asList(shown[parent]), v] : v);
    }
    return id;
  };
  const readId = (k: number, v: unknown): number => {
    if (v === null || v === undefined) return 0;
    if (!Array.isArray(v)) return idOf(k, 0, v, false);
    let id = 0;
    for (const e of v) id = idOf(k, id, e, true);
    return id;
  };
  const init: TxnState = { vals: new Int32Array(keyNames.length), hash: 0 };
  const describeTxn = (op: Operation): string => `txn ${asMops(mopsOf(op)).map((m) => `[${String(m[0])} ${showEdn(m[1])}${m.length > 2 ? ` ${showEdn(m[2])}` : ''}]`).join(' ')}`;
  const model: Model<TxnState> = {
    name: 'txn-store',
    init: () => init,
    step(state, op) {
      const ok = op.status === 'ok';
      let vals: Int32Array | undefined;
      let hash = state.hash;
      for (const m of asMops(mopsOf(op))) {
        const kind = mopKindOf(m[0]);
        if (kind === MOP_SCAN) {
          if (!ok) continue;
          const missing = scanMismatch(m, vals ?? state.vals, keysIn, keyIds);
          if (missing !== undefined) return inconsistent(() => `its scan of ${showEdn(m[1])} returned ${showEdn(m[2])} but ${missing}`);
          continue;
        }
        const k = keyIds.get(valueKey(m[1]))!;
        const current = (vals ?? state.vals)[k];
        if (kind === MOP_DELETE && ok && current === 0) return inconsistent(() => `it deleted ${showEdn(m[1])}, which does not exist`);
        if (kind === MOP_READ) {
          if (!ok) continue;
          const want = readId(k, m[2]);
          if (want !== current) return inconsistent(() => `it read ${showEdn(m[1])}=${showEdn(m[2] ?? null)} but ${showEdn(m[1])} holds ${showEdn(shown[current] ?? null)}`);
          continue;
        }
        const next = kind === MOP_WRITE ? readId(k, m[2]) : kind === MOP_APPEND ? idOf(k, current, m[2], true) : kind === MOP_DELETE ? 0 : current;
        if (next === current) continue;
        vals ??= state.vals.slice();
        vals[k] = next;
        hash ^= part(k1[k], current) ^ part(k1[k], next);
      }
      return vals === undefined ? state : { vals, hash };
    },
    equal(a, b) {
      if (a === b) return true;
      if (a.hash !== b.hash) return false;
      for (let i = 0; i < a.vals.length; i++) if (a.vals[i] !== b.vals[i]) return false;
      return true;
    },
    hash: (s) => s.hash,
    validate: (op) => (Array.isArray(mopsOf(op)) ? undefined : `a txn needs a list of micro-ops, got ${showValue(mopsOf(op))}`),
    isReadOnly: (op) => asMops(mopsOf(op)).every((m) => { const kind = mopKindOf(m[0]); return kind === MOP_READ || kind === MOP_SCAN; }),
    describeOperation: describeTxn,
    describeState(state) {
      const parts: string[] = [];
      for (let k = 0; k < state.vals.length; k++) if (state.vals[k] !== 0) parts.push(`${showEdn(keyNames[k])}=${showEdn(shown[state.vals[k]])}`);
      const all = `{${parts.join(', ')}}`;
      return all.length > 160 ? `${all.slice(0, 157)}...}` : all;
    },
    partition: keyComponents,
  };
  return model;
}

/** Why a scan's result is not what the state shows, or undefined when it is. */
function scanMismatch(m: unknown[], vals: Int32Array, keysIn: (lo: unknown, hi: unknown) => number[], keyIds: Map<unknown, number>): string | undefined {
  const range = Array.isArray(m[1]) ? m[1] : [];
  const shown = new Set<number>();
  for (const key of asList(m[2])) {
    if (!inRange(key, range[0], range[1])) return `${showEdn(key)} is outside that range`;
    const k = keyIds.get(valueKey(key))!;
    if (vals[k] === 0) return `${showEdn(key)} does not exist yet`;
    shown.add(k);
  }
  for (const k of keysIn(range[0], range[1])) if (vals[k] !== 0 && !shown.has(k)) return 'it misses a key that exists';
  return undefined;
}

/** The keys an operation names: those of its micro-ops, and those its scans returned. */
function keysNamed(op: Operation): unknown[] {
  const out: unknown[] = [];
  for (const m of asMops(mopsOf(op))) {
    if (mopKindOf(m[0]) !== MOP_SCAN) out.push(m[1]);
    else out.push(...asList(m[2]));
  }
  return out;
}

/**
 * Transactions split into groups that share no key (a scan shares every key in its range): each
 * group is its own object, and serializability (and linearizability) of the whole holds iff it
 * holds for every group.
 */
function keyComponents(operations: readonly Operation[]): Partition[] {
  const parent: number[] = [];
  const find = (x: number): number => { while (parent[x] !== x) x = parent[x] = parent[parent[x]]; return x; };
  const keyNode = new Map<unknown, number>();
  const keyOf: unknown[] = [];
  const nodeOf = (key: unknown): number => {
    const norm = valueKey(key);
    let node = keyNode.get(norm);
    if (node === undefined) { node = parent.length; parent.push(node); keyNode.set(norm, node); keyOf.push(key); }
    return node;
  };
  for (const op of operations) for (const key of keysNamed(op)) nodeOf(key);
  const first = new Int32Array(operations.length).fill(-1);
  const link = (i: number, node: number): void => {
    if (first[i] < 0) { first[i] = node; return; }
    const a = find(first[i]);
    const b = find(node);
    if (a !== b) parent[a] = b;
  };
  operations.forEach((op, i) => {
    for (const key of keysNamed(op)) link(i, nodeOf(key));
    for (const m of asMops(mopsOf(op))) {
      if (mopKindOf(m[0]) !== MOP_SCAN) continue;
      const range = Array.isArray(m[1]) ? m[1] : [];
      keyOf.forEach((key, node) => { if (inRange(key, range[0], range[1])) link(i, node); });
    }
  });
  const groups = new Map<number, Operation[]>();
  operations.forEach((op, i) => {
    const root = first[i] < 0 ? -1 : find(first[i]);
    let g = groups.get(root);
    if (g === undefined) groups.set(root, g = []);
    g.push(op);
  });
  if (groups.size <= 1) return [{ key: '', operations: [...operations] }];
  return [...groups.values()].map((group, i) => ({ key: `group ${i + 1}`, operations: group, model: txnStoreModel(group) }));
}

function asMops(v: unknown): unknown[][] {
  return Array.isArray(v) ? (v as unknown[][]) : [];
}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Key k's share of a state's hash when it holds value id v. */
function part(keyWord: number, v: number): number {
  return mix(keyWord ^ Math.imul(v + 1, 0x9e3779b1));
}

function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) | 1;
}
