import { VerdictError } from '../errors.js';
import type { Operation } from '../history/op.js';
import { completeModel } from '../models/complete-model.js';
import { keyOf } from '../models/kv.js';
import type { CompleteModel, Model } from '../models/model.js';
import { stableStringify } from '../models/values.js';

/** The data models whose versions the session and eventual checks can read. */
export type DataModelKind = 'register' | 'kv';

/**
 * What a register or kv history says about versions. Written values are unique per key, so each
 * value names one version (one write); the initial value is a version of its own, older than
 * every write. For each operation (by position in `ops`):
 * - `readOf`: the version an `ok` operation observed (a read's value, a successful cas's expected
 *   value), or -1 (nothing named: an unknown outcome, a Knossos nil read, a value nobody wrote);
 * - `writeOf`: the version an `ok` or `info` write or cas installs (if it happened), or -1;
 * - `casFrom`: for a cas (`ok` or `info`), the version it replaced, or -1.
 * Failed operations never happened: they name nothing (their values are kept to tell a read of a
 * failed write from an invented value).
 */
export interface VersionTable {
  kind: DataModelKind;
  model: CompleteModel<any>;
  ops: readonly Operation[];
  /** Per op: history index of its invocation, and of its completion (Infinity when open or info). */
  calls: Float64Array;
  rets: Float64Array;
  /** Per op: 0 ok, 1 info, 2 fail. */
  status: Uint8Array;
  keyOfOp: Int32Array;
  readOf: Int32Array;
  writeOf: Int32Array;
  casFrom: Int32Array;
  /** Per key id: the key as written in the history (undefined for a register). */
  keys: unknown[];
  /** Per version: its key id, its value, the op position that wrote it (-1 for the initial value). */
  versionKey: Int32Array;
  versionValue: unknown[];
  versionWriter: Int32Array;
  /** Per version: written more than once (or the initial value written again). */
  versionDup: Uint8Array;
  /** Per key id: its initial version. */
  initVersion: number[];
  /**
   * Reads return siblings (the `kv-siblings` model): a read of `[v]` names v's version, of `[]` the
   * initial one, and of two or more values a version of its own standing for the set — the state a
   * replica held — newer than each member (`versionWriter` -2, its member versions in `members`).
   */
  siblings: boolean;
  /** Per version standing for a set of siblings: its members' versions, ascending; undefined otherwise. */
  members: (readonly number[] | undefined)[];
  /** Positions of `ok` reads whose value names no version: read from a failed write, or invented. */
  unnamedReads: { op: number; value: unknown; failedWrite: boolean }[];
  /** How many writes repeated a value already written to their key (or its initial value). */
  duplicates: number;
  /** The first operation the version reading cannot follow (a kv append), if any. */
  unsupported: Operation | undefined;
}

export interface VersionTableOptions {
  /** How to read the operations; default from the model's name (register, cas-register, etcd-register, kv). */
  dataModel?: DataModelKind;
  /** Initial value of every key, or per key (an object); default from the model. */
  initialValue?: unknown;
}

const REGISTER_NAMES = new Set(['register', 'cas-register', 'etcd-register', 'cas-register (etcd reading)']);
const KV_NAMES = new Set(['kv', 'kv-unpartitioned', 'kv (unpartitioned)', 'kv-siblings', 'znode']);

/**
 * Which data model a model is, by its exact registry name (a look-alike custom model is not
 * trusted: the version guard's pruning relies on these models' semantics); undefined when neither.
 */
export function dataModelOf(model: Model<any>, override?: DataModelKind): DataModelKind | undefined {
  if (override !== undefined) return override;
  for (const name of [model.spec?.name, model.name]) {
    if (name === undefined) continue;
    if (REGISTER_NAMES.has(name)) return 'register';
    if (KV_NAMES.has(name)) return 'kv';
  }
  return undefined;
}

/** Per-key value → version lookup; primitives by identity, structured values by canonical JSON. */
class VersionIndex {
  private readonly primitive = new Map<unknown, number>();
  private structured: Map<string, number> | undefined;

  get(v: unknown): number | undefined {
    if (v !== null && typeof v === 'object') return this.structured?.get(stableStringify(v));
    return this.primitive.get(v);
  }

  set(v: unknown, id: number): void {
    if (v !== null && typeof v === 'object') (this.structured ??= new Map()).set(stableStringify(v), id);
    else this.primitive.set(v, id);
  }
}

/** Reads a register or kv history into versions; throws VRD_ERR_MODEL_OPERATION on an op the model cannot read. */
export function buildVersionTable(model: Model<any>, operations: readonly Operation[], kind: DataModelKind, options: VersionTableOptions = {}): VersionTable {
  const complete = completeModel(model);
  const n = operations.length;
  const t: VersionTable = {
    kind, model: complete, ops: operations,
    calls: new Float64Array(n), rets: new Float64Array(n), status: new Uint8Array(n),
    keyOfOp: new Int32Array(n).fill(-1), readOf: new Int32Array(n).fill(-1), writeOf: new Int32Array(n).fill(-1), casFrom: new Int32Array(n).fill(-1),
    keys: [], versionKey: new Int32Array(0), versionValue: [], versionWriter: new Int32Array(0), versionDup: new Uint8Array(0), initVersion: [], unnamedReads: [], duplicates: 0, unsupported: undefined,
    siblings: isSiblingsModel(model), members: [],
  };
  const keyIds = new Map<string, number>();
  const numericKeys = new Map<number, number>();
  const index: VersionIndex[] = [];
  const failedValues: VersionIndex[] = [];
  const dup: number[] = [];
  const initOf = initialValueReader(complete, kind, options.initialValue);
  // At most one version per write and one initial version per key (and one set per sibling read): typed arrays, sized once.
  const versionKey = new Int32Array((t.siblings ? 3 : 2) * n + 1);
  const versionWriter = new Int32Array((t.siblings ? 3 : 2) * n + 1);
  const sets: Map<string, number>[] = [];
  let versions = 0;
  const newVersion = (key: number, value: unknown, writer: number): number => {
    const id = versions++;
    versionKey[id] = key;
    versionWriter[id] = writer;
    t.versionValue.push(value);
    index[key]!.set(value, id);
    return id;
  };
  const keyIdOf = (op: Operation): number => {
    if (kind === 'register') {
      if (t.keys.length === 0) openKey(undefined);
      return 0;
    }
    const raw = (op.input as unknown[])[0];
    if (typeof raw === 'number') {
      const known = numericKeys.get(raw);
      if (known !== undefined) return known;
    }
    const name = keyOf(op);
    let id = keyIds.get(name);
    if (id === undefined) keyIds.set(name, (id = openKey(raw)));
    if (typeof raw === 'number') numericKeys.set(raw, id);
    return id;
  };
  const openKey = (key: unknown): number => {
    const id = t.keys.length;
    t.keys.push(key);
    index.push(new VersionIndex());
    failedValues.push(new VersionIndex());
    t.initVersion.push(newVersion(id, initOf(key), -1));
    return id;
  };

  // Pass 1: keys and written versions (writes may complete after the reads that name them).
  const access: Access = { observes: false, observed: undefined, writes: false, written: undefined };
  for (let i = 0; i < n; i++) {
    const op = operations[i]!;
    t.calls[i] = op.call;
    t.rets[i] = op.ret;
    t.status[i] = op.status === 'ok' ? 0 : op.status === 'info' ? 1 : 2;
    const reason = complete.validate(op);
    if (reason !== undefined) throw new VerdictError('VRD_ERR_MODEL_OPERATION', `${complete.name}: ${reason}`, { opIndex: op.call });
    if (!readAccess(op, kind, access)) {
      t.unsupported ??= op;
      continue;
    }
    const key = keyIdOf(op);
    t.keyOfOp[i] = key;
    if (!access.writes) continue;
    if (op.status === 'fail') {
      failedValues[key]!.set(access.written, 1);
      continue;
    }
    const existing = index[key]!.get(access.written);
    if (existing !== undefined) {
      dup[existing] = 1;
      t.duplicates++;
      t.writeOf[i] = existing;
    } else {
      t.writeOf[i] = newVersion(key, access.written, i);
    }
  }
  // Pass 2: the versions reads and cas name.
  const nilIsNothing = kind === 'register' && complete.failed === 'drop';
  for (let i = 0; i < n; i++) {
    const key = t.keyOfOp[i]!;
    if (key < 0 || t.status[i] === 2) continue;
    const op = operations[i]!;
    readAccess(op, kind, access);
    if (!access.observes) continue;
    const seen = access.observed;
    if (seen === undefined || (seen === null && nilIsNothing)) continue;
    if (t.siblings && !access.writes) {
      if (t.status[i] === 0) readSiblings(i, key, seen);
      continue;
    }
    const version = index[key]!.get(seen);
    if (access.writes) {
      // A cas: it replaced `seen` if it happened (ok, or info that took effect).
      if (version !== undefined) t.casFrom[i] = version;
      if (t.status[i] !== 0) continue;
    } else if (t.status[i] !== 0) continue;
    if (version !== undefined) t.readOf[i] = version;
    else t.unnamedReads.push({ op: i, value: seen, failedWrite: failedValues[key]!.get(seen) !== undefined });
  }
  function readSiblings(i: number, key: number, seen: unknown): void {
    const list = Array.isArray(seen) ? seen : [seen];
    if (list.length === 0) {
      t.readOf[i] = t.initVersion[key]!;
      return;
    }
    const ids: number[] = [];
    for (const value of list) {
      const id = index[key]!.get(value);
      if (id !== undefined) ids.push(id);
      else t.unnamedReads.push({ op: i, value, failedWrite: failedValues[key]!.get(value) !== undefined });
    }
    if (ids.length < list.length) return;
    const members = [...new Set(ids)].sort((a, b) => a - b);
    if (members.length === 1) {
      t.readOf[i] = members[0]!;
      return;
    }
    const name = members.join(',');
    const known = (sets[key] ??= new Map()).get(name);
    if (known !== undefined) {
      t.readOf[i] = known;
      return;
    }
    const id = versions++;
    versionKey[id] = key;
    versionWriter[id] = -2;
    t.versionValue.push(members.map((m) => t.versionValue[m]));
    t.members[id] = members;
    sets[key]!.set(name, id);
    t.readOf[i] = id;
  }
  t.versionKey = versionKey.subarray(0, versions);
  t.versionWriter = versionWriter.subarray(0, versions);
  t.versionDup = new Uint8Array(versions);
  for (let v = 0; v < dup.length; v++) if (dup[v] === 1) t.versionDup[v] = 1;
  return t;
}

/** What one op observes and writes: scratch fields filled in place (no allocation per op). */
interface Access {
  /** It observes a value (read result, cas expected). */
  observes: boolean;
  observed: unknown;
  /** It writes a value (write, put, cas new). */
  writes: boolean;
  written: unknown;
}

/** Fills `a` from one op, in the register or kv model's own reading of its fields; false when unreadable. */
function readAccess(op: Operation, kind: DataModelKind, a: Access): boolean {
  a.observes = false;
  a.writes = false;
  const f = op.f;
  if (kind === 'register') {
    if (f === 'read') { a.observes = true; a.observed = op.output === undefined ? op.input : op.output; return true; }
    if (f === 'write') { a.writes = true; a.written = op.input; return true; }
    if (f === 'cas') { const v = op.input as [unknown, unknown]; a.observes = true; a.observed = v[0]; a.writes = true; a.written = v[1]; return true; }
    return false;
  }
  const value = (op.input as unknown[])[1];
  if (f === 'read' || f === 'get') {
    const out = op.output as unknown[] | null | undefined;
    a.observes = true;
    a.observed = out === null || out === undefined ? value : out[1];
    return true;
  }
  if (f === 'write' || f === 'put') { a.writes = true; a.written = value; return true; }
  if (f === 'cas') { const v = value as [unknown, unknown]; a.observes = true; a.observed = v[0]; a.writes = true; a.written = v[1]; return true; }
  return false; // append: versions are prefixes, not unique values
}

/** Whether the model is the store whose reads return siblings (by its exact registry name, as `dataModelOf`). */
function isSiblingsModel(model: Model<any>): boolean {
  return model.spec?.name === 'kv-siblings' || model.name === 'kv-siblings';
}

function initialValueReader(model: CompleteModel<any>, kind: DataModelKind, given: unknown): (key: unknown) => unknown {
  // A kv model's state is not a value (per-key interned ids, or a map), so read its init from the spec.
  const init = given !== undefined ? given
    : kind === 'register' ? model.init()
    : model.spec !== undefined ? (model.spec.init ?? null)
    : model.partition !== undefined ? model.init() : null;
  if (kind === 'kv' && init !== null && typeof init === 'object' && !Array.isArray(init)) {
    const table = init as Record<string, unknown>;
    return (key) => {
      const name = typeof key === 'string' ? key : stableStringify(key);
      return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : null;
    };
  }
  return () => init;
}
