import type { Operation } from '../history/op.js';
import { EdgeKind, VersionGraph } from './version-graph.js';
import type { VersionTable } from './version-table.js';

/** The scope a guarantee is promised to (a session, a process, a user); undefined: none. */
export type ScopeOf = (op: Operation) => string | undefined;

/** A session (or, without a `session` field, the process); processes differ from sessions after an `info`. */
export const sessionScope: ScopeOf = (op) => (op.session !== undefined ? `session ${String(op.session)}` : `process ${String(op.process)}`);

export const userScope: ScopeOf = (op) => (op.user !== undefined ? `user ${String(op.user)}` : undefined);

/**
 * Builds the version-order graph the four guarantees demand within each scope, per key.
 *
 * Order within a scope is real time: op a comes before op b when a completed (`ok`) before b was
 * invoked. For a session that is its program order (a session issues one op at a time; a new
 * process continues it after an `info`); for a user it also orders their sessions' operations.
 * An `info` op never completed, so it is before nothing, but it is after what preceded it: if it
 * took effect, it did so after its invocation. With a ≤ b read "a is b or older":
 * - read-your-writes: a wrote w, b reads v ⇒ w ≤ v;
 * - monotonic reads: a read u, b reads v ⇒ u ≤ v;
 * - monotonic writes: a wrote w, b writes x ⇒ w < x;
 * - writes-follow-reads: a read u, b writes x ⇒ u < x.
 * Plus what holds in any history: the initial value precedes every write, and a cas u→x puts u
 * before x. A successful cas both reads (its expected value) and writes.
 *
 * Each scope keeps, per key, two frontier nodes: everything it has read so far, and everything it
 * has written. A completed op adds its version to a frontier (a Member edge); an invoked op gets
 * one edge from each frontier. So the graph stays linear in the history while standing for every
 * pair the definitions name.
 */
export function buildGuaranteeGraph(table: VersionTable, scopeOf: ScopeOf): { graph: VersionGraph; scopes: number } {
  const { ops, readOf, writeOf, casFrom, keyOfOp } = table;
  const graph = new VersionGraph(table.versionKey.length);
  const keys = table.keys.length;
  const scopeIds = new Map<string, number>();
  const slotOf = new Map<number, number>();
  let readFrontier = new Int32Array(256);
  let writeFrontier = new Int32Array(256);
  let readUsed = new Uint8Array(256);
  let writeUsed = new Uint8Array(256);
  let slots = 0;
  const scopeSlot = new Int32Array(ops.length).fill(-1);

  const slotFor = (i: number): number => {
    const name = scopeOf(ops[i]!);
    if (name === undefined) return -1;
    let scope = scopeIds.get(name);
    if (scope === undefined) scopeIds.set(name, (scope = scopeIds.size));
    const id = scope * keys + keyOfOp[i]!;
    let slot = slotOf.get(id);
    if (slot === undefined) {
      slot = slots++;
      slotOf.set(id, slot);
      if (slot === readFrontier.length) {
        readFrontier = growInt(readFrontier); writeFrontier = growInt(writeFrontier);
        readUsed = growByte(readUsed); writeUsed = growByte(writeUsed);
      }
      readFrontier[slot] = -1;
      writeFrontier[slot] = -1;
    }
    return slot;
  };
  /** Adds version v to a frontier; a frontier already used as a source is replaced by a larger one. */
  const join = (frontier: Int32Array, used: Uint8Array, slot: number, v: number, i: number): void => {
    let f = frontier[slot]!;
    if (f === -1 || used[slot] === 1) {
      const grown = graph.addNode();
      if (f !== -1) graph.addEdge(f, grown, EdgeKind.Advance, -1);
      frontier[slot] = f = grown;
      used[slot] = 0;
    }
    graph.addEdge(v, f, EdgeKind.Member, i);
  };

  const order = byCall(ops);
  const completions = completedInOrder(table, order);
  let c = 0;
  for (const i of order) {
    const op = ops[i]!;
    // Fold in every op that completed before this one was invoked.
    while (c < completions.length && ops[completions[c]!]!.ret < op.call) {
      const a = completions[c++]!;
      const slot = scopeSlot[a]!;
      if (slot < 0) continue;
      if (readOf[a]! >= 0) join(readFrontier, readUsed, slot, readOf[a]!, a);
      if (writeOf[a]! >= 0) join(writeFrontier, writeUsed, slot, writeOf[a]!, a);
    }
    if (keyOfOp[i]! < 0 || op.status === 'fail') continue;
    if (casFrom[i]! >= 0 && writeOf[i]! >= 0) graph.addEdge(casFrom[i]!, writeOf[i]!, EdgeKind.Cas, i);
    if (readOf[i]! < 0 && writeOf[i]! < 0) continue;
    const slot = slotFor(i);
    scopeSlot[i] = slot;
    if (slot < 0) continue;
    const r = readFrontier[slot]!;
    const w = writeFrontier[slot]!;
    const read = readOf[i]!;
    if (read >= 0) {
      if (r !== -1) { graph.addEdge(r, read, EdgeKind.MonotonicReads, i); readUsed[slot] = 1; }
      if (w !== -1) { graph.addEdge(w, read, EdgeKind.ReadYourWrites, i); writeUsed[slot] = 1; }
    }
    const written = writeOf[i]!;
    if (written >= 0) {
      if (w !== -1) { graph.addEdge(w, written, EdgeKind.MonotonicWrites, i); writeUsed[slot] = 1; }
      if (r !== -1) { graph.addEdge(r, written, EdgeKind.WritesFollowReads, i); readUsed[slot] = 1; }
    }
  }
  addInitialEdges(table, graph);
  return { graph, scopes: scopeIds.size };
}

/** The initial value precedes every write, for keys where something observed the initial value. */
function addInitialEdges(table: VersionTable, graph: VersionGraph): void {
  const observed = new Uint8Array(table.keys.length);
  for (let i = 0; i < table.ops.length; i++) {
    const v = table.readOf[i]! >= 0 ? table.readOf[i]! : table.casFrom[i]!;
    if (v >= 0 && table.versionWriter[v] === -1) observed[table.versionKey[v]!] = 1;
  }
  for (let v = 0; v < table.versionKey.length; v++) {
    const key = table.versionKey[v]!;
    if (observed[key] === 1 && table.versionWriter[v] !== -1) graph.addEdge(table.initVersion[key]!, v, EdgeKind.Initial, table.versionWriter[v]!);
  }
}

/** Positions of the ops in invocation order (already so for a parsed history). */
export function byCall(ops: readonly Operation[]): Int32Array {
  const order = new Int32Array(ops.length);
  let sorted = true;
  for (let i = 0; i < ops.length; i++) {
    order[i] = i;
    if (i > 0 && ops[i]!.call < ops[i - 1]!.call) sorted = false;
  }
  return sorted ? order : order.sort((a, b) => ops[a]!.call - ops[b]!.call);
}

/** The `ok` ops that read or wrote a version, in completion order (a bucket pass: linear). */
function completedInOrder(table: VersionTable, order: Int32Array): Int32Array {
  const { ops, readOf, writeOf } = table;
  const out: number[] = [];
  let maxRet = 0;
  for (const i of order) {
    if (ops[i]!.status === 'ok' && (readOf[i]! >= 0 || writeOf[i]! >= 0)) {
      out.push(i);
      if (ops[i]!.ret > maxRet) maxRet = ops[i]!.ret;
    }
  }
  const result = Int32Array.from(out);
  if (maxRet > 4 * ops.length + 1024 || !Number.isInteger(maxRet)) return result.sort((a, b) => ops[a]!.ret - ops[b]!.ret);
  // History indices are dense and distinct per completion: place each op at its index.
  const at = new Int32Array(maxRet + 1).fill(-1);
  for (const i of result) at[ops[i]!.ret] = i;
  let k = 0;
  for (let r = 0; r <= maxRet; r++) if (at[r] !== -1) result[k++] = at[r]!;
  return k === result.length ? result : Int32Array.from(out).sort((a, b) => ops[a]!.ret - ops[b]!.ret);
}

function growInt(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

function growByte(a: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(a.length * 2);
  b.set(a);
  return b;
}
