import { VerdictError } from '../errors.js';
import type { Operation, ProcessId } from '../history/op.js';
import { showValue } from '../models/values.js';
import { MOP_APPEND, MOP_DELETE, MOP_READ, MOP_SCAN, MOP_WRITE, mopKindOf, mopsOf, valueKey } from './micro-ops.js';
import { Arena } from './arena.js';
import { EdgeBuffer } from './graph.js';
import { SccWorkspace } from './scc.js';
import { ValueIndex } from './value-index.js';

export const ST_OK = 0;
export const ST_INFO = 1;
export const ST_FAIL = 2;

export const KEY_NONE = 0;
export const KEY_REGISTER = 1;
export const KEY_LIST = 2;

/** `mopValue` of a read that saw the initial state (nil, or the empty list). */
export const V_INIT = -1;
/** `mopValue` of a read whose value (or last element) no transaction wrote. */
export const V_UNKNOWN = -2;
/** `mopValue` of a read without a result (the transaction did not complete `ok`), and of every delete. */
export const V_NONE = -3;
/**
 * `mopValue` of a nil read of a deleted key whose deleter may have committed: the key either was
 * not inserted yet or was deleted already, and nothing in the read tells which.
 */
export const V_ABSENT = -5;

/** A predicate read `["scan", [lo, hi], [keys…]]`; `result` is null when it has none. */
export interface ScanRead {
  txn: number;
  /** Global micro-op index. */
  mop: number;
  lo: unknown;
  hi: unknown;
  result: readonly unknown[] | null;
}

/**
 * The transactions of a history as integers and typed arrays, so the analyses touch no
 * per-transaction objects in their loops. Transaction ids are positions in `operations`;
 * micro-ops of transaction t are `mopStart[t] .. mopStart[t+1]-1` (global micro-op indices);
 * every written value gets a global value id (vid).
 */
export interface TxnTable {
  n: number;
  operations: readonly Operation[];
  /** The micro-op lists, as `mopsOf` gives them. */
  mops: readonly (readonly unknown[])[];
  status: Uint8Array;
  final: Uint8Array;
  process: Int32Array;
  processNames: ProcessId[];
  mopStart: Int32Array;
  mopKind: Uint8Array;
  /** Key id; -1 for scans. */
  mopKey: Int32Array;
  /** Write/append: its vid. Read: the vid read (a list read: its last element), or V_*. Scan: index in `scans`. Delete: V_NONE. */
  mopValue: Int32Array;
  /** Length of a list read's result. */
  mopLen: Int32Array;
  keys: unknown[];
  keyKind: Uint8Array;
  vCount: number;
  vKey: Int32Array;
  vTxn: Int32Array;
  vMop: Int32Array;
  /** 1 when the writer wrote the same key again later in the same transaction. */
  vIntermediate: Uint8Array;
  /** The writer's previous write or append to the same key in the same transaction, or -1. */
  vPrevious: Int32Array;
  /** (key id, written value) → vid. */
  values: ValueIndex;
  /** Where the analysis's big typed arrays come from. */
  arena: Arena;
  scans: ScanRead[];
  /** Per key: the transaction that deletes it (a key is deleted at most once), or -1. */
  deleter: Int32Array;
  /** Per key: the global micro-op index of its delete, or -1. */
  deleteMop: Int32Array;
}

const STATUS: Record<Operation['status'], number> = { ok: ST_OK, info: ST_INFO, fail: ST_FAIL };

/** Validates the micro-ops and builds the table; rejects input that breaks Elle's assumptions. */
export function buildTxnTable(operations: readonly Operation[]): TxnTable {
  const n = operations.length;
  // Grown by push: `new Array(n)` past 100k elements is a slow dictionary-mode array in V8.
  const mops: (readonly unknown[])[] = [];
  const mopStart = new Int32Array(n + 1);
  let writes = 0;
  for (let t = 0; t < n; t++) {
    const op = operations[t]!;
    const list = mopsOf(op);
    if (op.f !== 'txn') throw new VerdictError('VRD_ERR_ISOLATION_NOT_TXN', `f is ${JSON.stringify(op.f)}, expected "txn"`, { opIndex: op.call, field: 'f' });
    if (!Array.isArray(list)) throw new VerdictError('VRD_ERR_ISOLATION_MICRO_OP', `a ${op.status} txn needs a list of micro-ops, got ${showValue(list)}`, { opIndex: op.completionIndex ?? op.call, field: 'value' });
    for (const m of list) {
      const kind = checkShape(m, op);
      if (kind === MOP_APPEND || kind === MOP_WRITE) writes++;
    }
    mops.push(list);
    mopStart[t + 1] = mopStart[t]! + list.length;
  }
  const total = mopStart[n];
  // Everything is sized from these counts up front: big typed arrays allocated once, not grown.
  const arena = new Arena(arenaBytes(n, total, writes));
  const table: TxnTable = {
    n, operations, mops, mopStart,
    status: arena.uint8(n), final: arena.uint8(n), process: arena.int32(n), processNames: [],
    mopKind: arena.uint8(total), mopKey: arena.int32(total), mopValue: arena.int32(total, V_NONE), mopLen: arena.int32(total),
    keys: [], keyKind: new Uint8Array(16), vCount: 0,
    vKey: arena.int32(writes), vTxn: arena.int32(writes), vMop: arena.int32(writes), vIntermediate: arena.uint8(writes), vPrevious: arena.int32(writes, -1),
    values: new ValueIndex(writes, arena), arena, scans: [], deleter: new Int32Array(0), deleteMop: new Int32Array(0),
  };
  const keyIds = new Map<unknown, number>();
  const processIds = new Map<ProcessId, number>();
  // The vid each key last got from the current transaction (stamped with t + 1).
  let lastWriteVid = new Int32Array(1024);
  let lastWriteTxn = new Int32Array(1024);
  for (let t = 0; t < n; t++) {
    const op = operations[t]!;
    table.status[t] = STATUS[op.status];
    table.final[t] = op.phase === 'final' ? 1 : 0;
    let p = processIds.get(op.process);
    if (p === undefined) { p = table.processNames.length; processIds.set(op.process, p); table.processNames.push(op.process); }
    table.process[t] = p;
    const list = mops[t]!;
    for (let i = 0; i < list.length; i++) {
      const m = list[i] as unknown[];
      const g = mopStart[t]! + i;
      const kind = mopKindOf(m[0]);
      table.mopKind[g] = kind;
      if (kind === MOP_SCAN) {
        table.mopKey[g] = -1;
        table.mopValue[g] = table.scans.length;
        const range = m[1] as unknown[];
        const result = op.status === 'ok' && Array.isArray(m[2]) ? (m[2] as unknown[]) : null;
        table.scans.push({ txn: t, mop: g, lo: range[0] ?? null, hi: range[1] ?? null, result });
        continue;
      }
      const k = internKey(table, keyIds, m[1]);
      table.mopKey[g] = k;
      if (k >= lastWriteTxn.length) {
        const grownVid = new Int32Array(lastWriteTxn.length * 2); grownVid.set(lastWriteVid); lastWriteVid = grownVid;
        const grownTxn = new Int32Array(lastWriteTxn.length * 2); grownTxn.set(lastWriteTxn); lastWriteTxn = grownTxn;
      }
      if (kind === MOP_READ) continue;
      if (kind === MOP_DELETE) {
        if (table.keyKind[k] === KEY_LIST) throw new VerdictError('VRD_ERR_ISOLATION_MIXED_KEY', `key ${showValue(m[1])} is appended to and deleted; delete applies to register keys`, { opIndex: op.call, field: 'value' });
        table.keyKind[k] = KEY_REGISTER;
        continue;
      }
      const want = kind === MOP_APPEND ? KEY_LIST : KEY_REGISTER;
      if (table.keyKind[k] !== KEY_NONE && table.keyKind[k] !== want) {
        throw new VerdictError('VRD_ERR_ISOLATION_MIXED_KEY', `key ${showValue(m[1])}`, { opIndex: op.call, field: 'value' });
      }
      table.keyKind[k] = want;
      if (m[2] === null || m[2] === undefined) throw new VerdictError('VRD_ERR_ISOLATION_MICRO_OP', `${String(m[0])} of nil to key ${showValue(m[1])}`, { opIndex: op.call, field: 'value' });
      const vid = internWrite(table, k, m[2], t, g, op);
      table.mopValue[g] = vid;
      if (lastWriteTxn[k] === t + 1) { table.vIntermediate[lastWriteVid[k]] = 1; table.vPrevious[vid] = lastWriteVid[k]; }
      lastWriteTxn[k] = t + 1;
      lastWriteVid[k] = vid;
    }
  }
  indexDeletes(table);
  for (let t = 0; t < n; t++) if (table.status[t] === ST_OK) resolveReads(table, t);
  return table;
}

/**
 * What the whole analysis will take from the arena: the tables (per micro-op, per write, the
 * value index), the version orders, the edge buffer, the real-time sweep and Tarjan's arrays.
 */
function arenaBytes(n: number, mops: number, writes: number): number {
  const perMop = 13 + 1;
  const perWrite = 13 + 4 + 1 + 4 + 4 + 4;
  const index = ValueIndex.slotsFor(writes) * 12;
  const edges = EdgeBuffer.capacityFor(n, mops) * (13 + 9);
  const perTxn = 6 + 16 + 9 + 8 + SccWorkspace.bytesPer * 2 + 4 * 4;
  return mops * perMop + writes * perWrite + index + edges + n * perTxn;
}

/** Elle's micro-op shapes: `[f key value]`, and a read or delete without its value, `[r key]` (nil), `[delete key]`. */
function checkShape(m: unknown, op: Operation): number {
  if (!Array.isArray(m) || !(m.length === 3 || (m.length === 2 && (m[0] === 'r' || m[0] === 'delete')))) return badMop(op, `expected [f key value] (or [r key], [delete key]), got ${showValue(m)}`);
  const kind = mopKindOf(m[0]);
  if (kind < 0) return badMop(op, `unknown micro-op ${showValue(m[0])} (expected r, w, append, scan or delete)`);
  if (kind === MOP_DELETE && m[2] !== null && m[2] !== undefined) return badMop(op, `a delete carries no value, got ${showValue(m)}`);
  if (kind === MOP_SCAN) {
    if (!Array.isArray(m[1]) || m[1].length !== 2) return badMop(op, `scan needs a range [lo hi], got ${showValue(m[1])}`);
    if (op.status === 'ok' && !Array.isArray(m[2])) return badMop(op, `a completed scan needs a list of keys, got ${showValue(m[2])}`);
  } else if (m[1] === null || m[1] === undefined) {
    return badMop(op, `${String(m[0])} without a key`);
  }
  return kind;
}

function badMop(op: Operation, reason: string): never {
  throw new VerdictError('VRD_ERR_ISOLATION_MICRO_OP', reason, { opIndex: op.completionIndex ?? op.call, field: 'value' });
}

function internKey(table: TxnTable, keyIds: Map<unknown, number>, key: unknown): number {
  const norm = valueKey(key);
  let k = keyIds.get(norm);
  if (k === undefined) {
    k = table.keys.length;
    keyIds.set(norm, k);
    table.keys.push(key);
    if (k >= table.keyKind.length) {
      const grown = new Uint8Array(table.keyKind.length * 2);
      grown.set(table.keyKind);
      table.keyKind = grown;
    }
  }
  return k;
}

function internWrite(table: TxnTable, k: number, value: unknown, t: number, g: number, op: Operation): number {
  const seen = table.values.get(k, value);
  if (seen >= 0) {
    const other = table.operations[table.vTxn[seen]];
    throw new VerdictError('VRD_ERR_ISOLATION_DUPLICATE_WRITE',
      `${showValue(value)} is written to key ${showValue(table.keys[k])} twice (operations ${other.call} and ${op.call})`, { opIndex: op.call, field: 'value' });
  }
  const vid = table.vCount++;
  table.values.set(k, value, vid);
  table.vKey[vid] = k;
  table.vTxn[vid] = t;
  table.vMop[vid] = g;
  return vid;
}

/** The value a vid stands for, as written. */
export function writtenValue(table: TxnTable, vid: number): unknown {
  const t = table.vTxn[vid];
  return (table.mops[t][table.vMop[vid] - table.mopStart[t]] as unknown[])[2];
}

/**
 * Who deletes each key. A key's existence must have one order, absent → present → absent: so a key
 * is deleted at most once, and a deleted key is written (inserted) by at most one other transaction.
 */
function indexDeletes(table: TxnTable): void {
  const keyCount = table.keys.length;
  table.deleter = new Int32Array(keyCount).fill(-1);
  table.deleteMop = new Int32Array(keyCount).fill(-1);
  let any = false;
  for (let t = 0; t < table.n; t++) {
    for (let g = table.mopStart[t]; g < table.mopStart[t + 1]; g++) {
      if (table.mopKind[g] !== MOP_DELETE) continue;
      const k = table.mopKey[g];
      if (table.deleter[k] >= 0) {
        throw new VerdictError('VRD_ERR_ISOLATION_DUPLICATE_WRITE',
          `key ${showValue(table.keys[k])} is deleted twice (operations ${table.operations[table.deleter[k]].call} and ${table.operations[t].call}); each key is deleted at most once`, { opIndex: table.operations[t].call, field: 'value' });
      }
      table.deleter[k] = t;
      table.deleteMop[k] = g;
      any = true;
    }
  }
  if (!any) return;
  const writer = new Int32Array(keyCount).fill(-1);
  for (let v = 0; v < table.vCount; v++) {
    const k = table.vKey[v];
    const w = table.vTxn[v];
    const d = table.deleter[k];
    if (d < 0) continue;
    const op = table.operations[w];
    if (w === d) throw new VerdictError('VRD_ERR_ISOLATION_MICRO_OP', `key ${showValue(table.keys[k])} is both written and deleted by one transaction; a deleted key is inserted by another`, { opIndex: op.call, field: 'value' });
    if (writer[k] >= 0 && writer[k] !== w) {
      throw new VerdictError('VRD_ERR_ISOLATION_MICRO_OP',
        `deleted key ${showValue(table.keys[k])} is written by two transactions (operations ${table.operations[writer[k]].call} and ${op.call}); a deleted key is inserted once and never updated`, { opIndex: op.call, field: 'value' });
    }
    writer[k] = w;
  }
}

function resolveReads(table: TxnTable, t: number): void {
  const list = table.mops[t]!;
  const start = table.mopStart[t]!;
  for (let i = 0; i < list.length; i++) {
    const g = start + i;
    if (table.mopKind[g] !== MOP_READ) continue;
    const k = table.mopKey[g]!;
    const v = (list[i] as unknown[])[2];
    let kind = table.keyKind[k]!;
    if (kind === KEY_NONE) kind = table.keyKind[k] = Array.isArray(v) ? KEY_LIST : KEY_REGISTER;
    if (kind === KEY_REGISTER) {
      const d = table.deleter[k];
      const absent = d >= 0 && table.status[d] !== ST_FAIL ? V_ABSENT : V_INIT;
      table.mopValue[g] = v === null || v === undefined ? absent : known(table.values.get(k, v));
      continue;
    }
    if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) {
      table.mopValue[g] = V_INIT;
      continue;
    }
    if (!Array.isArray(v)) {
      const op = table.operations[t]!;
      throw new VerdictError('VRD_ERR_ISOLATION_MICRO_OP', `read of list key ${showValue(table.keys[k])} returned ${showValue(v)}, not a list`, { opIndex: op.completionIndex ?? op.call, field: 'value' });
    }
    table.mopLen[g] = v.length;
    table.mopValue[g] = known(table.values.get(k, v[v.length - 1]));
  }
}

function known(vid: number): number {
  return vid >= 0 ? vid : V_UNKNOWN;
}
