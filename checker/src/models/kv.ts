import type { Operation } from '../history/op.js';
import { inconsistent, isInconsistent, refused, type Footprint, type Inconsistent, type Model, type Partition } from './model.js';
import { ValueInterner } from './value-interner.js';
import { hashString, showValue, stableStringify, valueEquals } from './values.js';

export interface KvOptions {
  /** Initial value of every key (a scalar), or per key (an object); unnamed keys start at nil. */
  init?: unknown;
  /** Check each key on its own (P-compositionality, default) or the whole map at once. */
  partition?: boolean;
}

const KV_FS = new Set(['read', 'get', 'write', 'put', 'append', 'cas']);

/**
 * A key-value store of independent registers. Ops carry `[key, value]` (Jepsen's independent
 * form): `read`/`get` → `[k, v]`, `write`/`put` `[k, v]`, `append` `[k, s]` (string
 * concatenation, Porcupine's kv), `cas` `[k, [expected, new]]`.
 */
export function kvModel(options: KvOptions = {}): Model<any> {
  const initFor = initialValueFor(options.init);
  const whole = kvMapModel(initFor);
  if (options.partition === false) return whole;
  // Stepped directly (a search that cannot split, such as sequential consistency), the model is
  // the whole store; linearizability splits it per key (P-compositionality).
  return {
    ...whole,
    name: 'kv',
    partition: (ops: readonly Operation[]) => partitionByKey(ops, (key) => kvKeyModel(initFor(key))),
  };
}

/**
 * One key of the store. Its state is the id of the key's value in an interner, so the search
 * compares and hashes states in O(1) however long appends make them.
 */
function kvKeyModel(init: unknown): Model<number> {
  const values = new ValueInterner();
  const initId = values.id(init);
  const seenIds = new Map<Operation, number>();
  return {
    name: 'kv',
    init: () => initId,
    step: (state, op) => stepInterned(values, state, op, seenIds),
    equal: (a, b) => a === b,
    hash: (id) => id,
    validate: validateKvOp,
    isReadOnly: (op) => op.f === 'read' || op.f === 'get',
    stepsByValue: true,
    footprint: KV_FOOTPRINT,
    describeOperation: describeKvOp,
    describeState: (id) => showValue(values.value(id)),
  };
}

/**
 * One key's step on interned values: `state` and the result are value ids. `seenIds` remembers
 * the id of the value each read saw, once some state has held it (an id never changes): the
 * search repeats a read's step many times, and the value can be a long string after appends.
 */
function stepInterned(values: ValueInterner, state: number, op: Operation, seenIds?: Map<Operation, number>): number | Inconsistent {
  const input = (op.input as unknown[])[1];
  switch (op.f) {
    case 'get':
    case 'read': {
      if (op.status !== 'ok') return state;
      const out = op.output as unknown[] | null | undefined;
      const seen = out === null || out === undefined ? input : out[1];
      if (seen === undefined) return state;
      let seenId = seenIds?.get(op);
      if (seenId === undefined) {
        // A string of another length is not the state's value: no need to look the string up.
        seenId = typeof seen === 'string' && values.stringLength(state) !== seen.length ? -1 : values.lookup(seen);
        if (seenId !== -1) seenIds?.set(op, seenId);
      }
      return seenId === state ? state : readRefused(values, state, op, seen);
    }
    case 'put':
    case 'write':
      return op.status === 'fail' ? state : values.id(input);
    case 'append':
      return op.status === 'fail' ? state : values.append(state, String(input));
    case 'cas': {
      // Indexed, not destructured (see register.ts).
      const expected = (input as unknown[])[0];
      const next = (input as unknown[])[1];
      const matches = values.lookup(expected) === state;
      if (op.status === 'ok') {
        return matches ? values.id(next) : casRefused(values, state, expected, next);
      }
      return matches ? values.id(next) : state; // info: took effect only if it could
    }
    default:
      return inconsistent(`unknown kv operation ${op.f}`);
  }
}

// Refusals are worded from their parts by functions of module scope (see `refused`): a closure
// in stepInterned would make every step allocate a context for what it captures, refused or not.
function readRefused(values: ValueInterner, state: number, op: Operation, seen: unknown): Inconsistent {
  return refused(wordReadRefused, values, state, op, seen);
}

function wordReadRefused(values: ValueInterner, state: number, op: Operation, seen: unknown): string {
  return `read ${showValue(seen)} at key ${showValue((op.input as unknown[])[0])} but it holds ${showValue(values.value(state))}`;
}

function casRefused(values: ValueInterner, state: number, expected: unknown, next: unknown): Inconsistent {
  return refused(wordCasRefused, values, state, expected, next);
}

function wordCasRefused(values: ValueInterner, state: number, expected: unknown, next: unknown): string {
  return `cas ${showValue(expected)}→${showValue(next)} succeeded but the key holds ${showValue(values.value(state))}`;
}

/** The whole store as one state: value ids per key, with a hash kept up to date per write. */
interface KvMapState {
  readonly ids: Readonly<Record<string, number>>;
  readonly hash: number;
}

/**
 * The whole map as one state: Porcupine's kv-nopartition model, for cross-checking the per-key
 * split. Keys absent from `ids` hold their initial value.
 */
function kvMapModel(initFor: (key: string | undefined) => unknown): Model<KvMapState> {
  const interners = new Map<string, { values: ValueInterner; initId: number }>();
  const forKey = (key: string): { values: ValueInterner; initId: number } => {
    let entry = interners.get(key);
    if (entry === undefined) {
      const values = new ValueInterner();
      interners.set(key, (entry = { values, initId: values.id(initFor(key)) }));
    }
    return entry;
  };
  const seenIds = new Map<Operation, number>();
  const entryHash = (key: string, id: number): number => Math.imul(hashString(key) ^ Math.imul(id + 1, 0x9e3779b1), 0x85ebca6b);
  return {
    name: 'kv (unpartitioned)',
    init: () => ({ ids: {}, hash: 0 }),
    step: (state, op) => {
      const key = keyOf(op);
      const { values, initId } = forKey(key);
      const current = state.ids[key] ?? initId;
      const next = stepInterned(values, current, op, seenIds);
      if (isInconsistent(next)) return next;
      if (next === current) return state;
      const hash = (state.ids[key] === undefined ? state.hash : state.hash ^ entryHash(key, current)) ^ entryHash(key, next);
      return { ids: { ...state.ids, [key]: next }, hash };
    },
    equal: (a, b) => a.hash === b.hash && sameIds(a.ids, b.ids),
    hash: (s) => s.hash,
    validate: validateKvOp,
    isReadOnly: (op) => op.f === 'read' || op.f === 'get',
    stepsByValue: true,
    footprint: KV_FOOTPRINT,
    describeOperation: describeKvOp,
    describeState: (s) => stableStringify(Object.fromEntries(Object.entries(s.ids).map(([k, id]) => [k, forKey(k).values.value(id)]))),
  };
}

function sameIds(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k]) return false;
  return true;
}

/**
 * What a kv op writes and observes, for sound shrinking (see Model.footprint). An append's text
 * stays in every later value of its key until a put replaces it, so a read observes an append or
 * a put exactly when its value contains the written text.
 */
const KV_FOOTPRINT: Footprint = {
  written: (op) => {
    if (op.status === 'fail' || op.f === 'read' || op.f === 'get') return undefined;
    const v = (op.input as unknown[])[1];
    return { key: keyOf(op), value: op.f === 'cas' ? (v as unknown[])[1] : op.f === 'append' ? String(v) : v };
  },
  observes: (op, written) => {
    const w = written as { key: string; value: unknown };
    if (keyOf(op) !== w.key) return false;
    if (op.f === 'read' || op.f === 'get') {
      if (op.status !== 'ok') return false;
      const out = op.output as unknown[] | null | undefined;
      const seen = out === null || out === undefined ? (op.input as unknown[])[1] : out[1];
      return seen !== undefined && contains(seen, w.value);
    }
    if (op.f === 'cas') return op.status !== 'fail' && contains(((op.input as unknown[])[1] as unknown[])[0], w.value);
    return false;
  },
};

function contains(seen: unknown, written: unknown): boolean {
  if (typeof seen === 'string') return seen.includes(String(written));
  return valueEquals(seen, written);
}

function initialValueFor(init: unknown): (key: string | undefined) => unknown {
  if (init !== null && typeof init === 'object' && !Array.isArray(init)) {
    const table = init as Record<string, unknown>;
    return (key) => (key !== undefined && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : null);
  }
  const scalar = init === undefined ? null : init;
  return () => scalar;
}

export function keyOf(op: Operation): string {
  const k = (op.input as unknown[])[0];
  return typeof k === 'string' ? k : stableStringify(k);
}

function validateKvOp(op: Operation): string | undefined {
  if (!KV_FS.has(op.f)) return `f ${JSON.stringify(op.f)} is not read, get, write, put, append or cas`;
  if (!Array.isArray(op.input) || op.input.length !== 2) return `kv value must be [key, value], got ${showValue(op.input)}`;
  if (op.status === 'ok' && (op.f === 'read' || op.f === 'get') && op.output !== undefined && op.output !== null
    && (!Array.isArray(op.output) || op.output.length !== 2)) return `kv read result must be [key, value], got ${showValue(op.output)}`;
  if (op.f === 'cas' && (!Array.isArray(op.input[1]) || op.input[1].length !== 2)) return `kv cas value must be [key, [expected, new]], got ${showValue(op.input)}`;
  return undefined;
}

function describeKvOp(op: Operation): string {
  const [k, v] = op.input as [unknown, unknown];
  const key = showValue(k);
  if (op.f === 'get' || op.f === 'read') {
    const out = op.status === 'ok' && Array.isArray(op.output) ? op.output[1] : undefined;
    return `${op.f} ${key} → ${showValue(out)}`;
  }
  if (op.f === 'cas' && Array.isArray(v)) return `cas ${key} ${showValue(v[0])}→${showValue(v[1])}`;
  return `${op.f} ${key} ${showValue(v)}`;
}

/** Groups operations by key; parts are ordered by key for deterministic output. */
function partitionByKey(ops: readonly Operation[], modelFor: (key: string) => Model<unknown>): Partition[] {
  const groups = new Map<string, Operation[]>();
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const key = keyOf(op);
    let list = groups.get(key);
    if (list === undefined) groups.set(key, (list = []));
    list.push(op);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => compareKeys(a, b))
    .map(([key, operations]) => ({ key, operations, model: modelFor(key) }));
}

function compareKeys(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}
