import type { Operation } from '../history/op.js';
import { EdgeKind, isStrict, VersionGraph } from './version-graph.js';
import type { VersionTable } from './version-table.js';

/** Who the guarantees are promised to: each session (else the process), each user, or each process. */
export type ScopeLevel = 'session' | 'user' | 'process';

/** The scope of an op as sentences name it; undefined when the op has none (no user). */
export function scopeName(op: Operation, level: ScopeLevel): string | undefined {
  if (level === 'user') return op.user !== undefined ? `user ${String(op.user)}` : undefined;
  if (level === 'process') return `process ${String(op.process)}`;
  return op.session !== undefined ? `session ${String(op.session)}` : `process ${String(op.process)}`;
}

/** Dense scope ids per op (-1: none), without building strings: sessions and processes kept apart. */
function scopeIds(ops: readonly Operation[], level: ScopeLevel): { ids: Int32Array; count: number } {
  const ids = new Int32Array(ops.length);
  const primary = new Map<unknown, number>();
  const fallback = new Map<unknown, number>();
  let count = 0;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const named = level === 'user' ? op.user : level === 'session' ? op.session : undefined;
    if (named === undefined && level === 'user') { ids[i] = -1; continue; }
    const map = named !== undefined ? primary : fallback;
    const key = named !== undefined ? named : op.process;
    let id = map.get(key);
    if (id === undefined) map.set(key, (id = count++));
    ids[i] = id;
  }
  return { ids, count };
}

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
export function buildGuaranteeGraph(table: VersionTable, level: ScopeLevel, reuse?: VersionGraph): { graph: VersionGraph; scopes: number } {
  const { readOf, writeOf, casFrom, keyOfOp, calls, rets, status } = table;
  // About one frontier node per completed op, and three edges per op.
  const versions = table.versionKey.length;
  const nodes = versions + table.ops.length + 16;
  const edges = 4 * table.ops.length + versions + 16;
  const graph = reuse ?? new VersionGraph(versions, nodes, edges);
  if (reuse !== undefined) reuse.reset(versions, nodes, edges);
  const { ids, count: scopes } = scopeIds(table.ops, level);
  const frontiers = new Frontiers(graph, table.keys.length, scopes, table.ops.length);
  const slotOfOp = new Int32Array(table.ops.length).fill(-1);
  const completions = new MinHeap(rets);
  const order = byCall(calls);
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    // Fold in every op that completed before this one was invoked.
    while (completions.size > 0 && rets[completions.peek()]! < calls[i]!) {
      const a = completions.pop();
      const slot = slotOfOp[a]!;
      if (readOf[a]! >= 0) frontiers.join(slot, false, readOf[a]!, a);
      if (writeOf[a]! >= 0) frontiers.join(slot, true, writeOf[a]!, a);
    }
    if (keyOfOp[i]! < 0 || status[i] === 2) continue;
    const written = writeOf[i]!;
    if (casFrom[i]! >= 0 && written >= 0) graph.addEdge(casFrom[i]!, written, EdgeKind.Cas, i);
    const read = readOf[i]!;
    if ((read < 0 && written < 0) || ids[i]! < 0) continue;
    const slot = frontiers.slot(ids[i]!, keyOfOp[i]!);
    slotOfOp[i] = slot;
    if (read >= 0) {
      frontiers.demand(slot, false, read, EdgeKind.MonotonicReads, i);
      frontiers.demand(slot, true, read, EdgeKind.ReadYourWrites, i);
    }
    if (written >= 0) {
      frontiers.demand(slot, true, written, EdgeKind.MonotonicWrites, i);
      frontiers.demand(slot, false, written, EdgeKind.WritesFollowReads, i);
    }
    if (status[i] === 0) completions.push(i);
  }
  addInitialEdges(table, graph);
  addSiblingEdges(table, graph);
  return { graph, scopes };
}

/** Scope × key pairs up to which slots are found in a flat table rather than a map (32 MiB). */
const DENSE_SLOTS_MAX = 1 << 23;

/** Members each frontier remembers individually (newest first). */
const RECENT = 4;

/**
 * Per (scope, key): the read and the write frontier. Each frontier is a node standing for the
 * newest of its members; a join makes a new node (old frontier → new, member → new). The last
 * few members are remembered with the node from before each joined. A demand F ≤ t whose target
 * t is one of them says only that the other members are ≤ t, so it is drawn from the node before
 * t joined, plus one edge from each member that joined after t (through a one-member frontier).
 * So reading back what a scope just read or wrote adds no cycle, and a consistent history's graph
 * stays acyclic: checking it is a cheap peel, not Tarjan. Strict demands (t < F) keep the whole
 * frontier: t in F is then a contradiction.
 */
class Frontiers {
  /** (scope, key) → slot: a dense table when it is small enough, else a map. */
  private readonly dense: Int32Array | undefined;
  private readonly sparse = new Map<number, number>();
  /** Per frontier (2 per slot: reads, writes): its node; and per recent member its version, op and the node before it. */
  private node: Int32Array<ArrayBuffer>;
  private recentVersion: Int32Array<ArrayBuffer>;
  private recentOp: Int32Array<ArrayBuffer>;
  private recentBefore: Int32Array<ArrayBuffer>;
  /** Per frontier: where its newest recent member sits in its ring of RECENT. */
  private newest: Uint8Array<ArrayBuffer>;
  private count = 0;

  constructor(private readonly graph: VersionGraph, private readonly keys: number, scopes: number, ops: number) {
    if (scopes * keys <= DENSE_SLOTS_MAX) this.dense = new Int32Array(scopes * keys).fill(-1);
    // No more slots than ops, nor than scope × key pairs: sized once.
    const frontiers = 2 * Math.max(256, Math.min(ops, scopes * keys));
    this.node = new Int32Array(frontiers).fill(-1);
    this.recentVersion = new Int32Array(frontiers * RECENT).fill(-1);
    this.recentOp = new Int32Array(frontiers * RECENT).fill(-1);
    this.recentBefore = new Int32Array(frontiers * RECENT).fill(-1);
    this.newest = new Uint8Array(frontiers);
  }

  slot(scope: number, key: number): number {
    const id = scope * this.keys + key;
    let slot = this.dense !== undefined ? this.dense[id]! : (this.sparse.get(id) ?? -1);
    if (slot === -1) {
      slot = this.count++;
      if (this.dense !== undefined) this.dense[id] = slot;
      else this.sparse.set(id, slot);
      if (2 * slot + 2 > this.node.length) {
        this.node = grown(this.node);
        this.recentVersion = grown(this.recentVersion);
        this.recentOp = grown(this.recentOp);
        this.recentBefore = grown(this.recentBefore);
        const newest = new Uint8Array(this.newest.length * 2);
        newest.set(this.newest);
        this.newest = newest;
      }
    }
    return slot;
  }

  /** Where version v sits among the frontier's recent members (0 newest), or -1. */
  private position(f: number, v: number): number {
    const base = f * RECENT;
    const newest = this.newest[f]!;
    for (let j = 0; j < RECENT; j++) {
      const x = this.recentVersion[base + ((newest - j + RECENT) % RECENT)]!;
      if (x === v) return j;
      if (x === -1) return -1;
    }
    return -1;
  }

  /** The ring index of the j-th newest recent member of frontier f. */
  private at(f: number, j: number): number {
    return f * RECENT + ((this.newest[f]! - j + RECENT) % RECENT);
  }

  /** The demand F ≤ target (or F < target): edges from the frontier, if it has members other than the target. */
  demand(slot: number, writes: boolean, target: number, kind: EdgeKind, op: number): void {
    const f = 2 * slot + (writes ? 1 : 0);
    const node = this.node[f]!;
    if (node === -1) return;
    const j = isStrict(kind) ? -1 : this.position(f, target);
    if (j === -1) {
      this.graph.addEdge(node, target, kind, op);
      return;
    }
    const before = this.recentBefore[this.at(f, j)]!;
    if (before !== -1) this.graph.addEdge(before, target, kind, op);
    for (let k = 0; k < j; k++) {
      const single = this.graph.addNode();
      const at = this.at(f, k);
      this.graph.addEdge(this.recentVersion[at]!, single, EdgeKind.Member, this.recentOp[at]!);
      this.graph.addEdge(single, target, kind, op);
    }
  }

  /** Adds version v (joined by `op`); a member already remembered changes nothing. */
  join(slot: number, writes: boolean, v: number, op: number): void {
    const f = 2 * slot + (writes ? 1 : 0);
    if (this.position(f, v) !== -1) return;
    const old = this.node[f]!;
    const node = this.graph.addNode();
    if (old !== -1) this.graph.addEdge(old, node, EdgeKind.Advance, -1);
    this.graph.addEdge(v, node, EdgeKind.Member, op);
    this.node[f] = node;
    const newest = (this.newest[f] = (this.newest[f]! + 1) % RECENT);
    const at = f * RECENT + newest;
    this.recentVersion[at] = v;
    this.recentOp[at] = op;
    this.recentBefore[at] = old;
  }
}

function grown(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2).fill(-1);
  b.set(a);
  return b;
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
    // Written versions only: a set of siblings follows the initial value through its members.
    if (observed[key] === 1 && table.versionWriter[v] >= 0) graph.addEdge(table.initVersion[key]!, v, EdgeKind.Initial, table.versionWriter[v]!);
  }
}

/** Each member of a set of siblings a read returned is no newer than the set. */
function addSiblingEdges(table: VersionTable, graph: VersionGraph): void {
  if (!table.siblings) return;
  table.members.forEach((members, set) => {
    if (members !== undefined) for (const m of members) graph.addEdge(m, set, EdgeKind.Sibling, -1);
  });
}

/** Positions of the ops in invocation order (already so for a parsed history). */
function byCall(calls: Float64Array): Int32Array {
  const order = new Int32Array(calls.length);
  let sorted = true;
  for (let i = 0; i < calls.length; i++) {
    order[i] = i;
    if (i > 0 && calls[i]! < calls[i - 1]!) sorted = false;
  }
  return sorted ? order : order.sort((a, b) => calls[a]! - calls[b]!);
}

/** A binary min-heap of op positions keyed by their completion index; holds the ops in flight. */
class MinHeap {
  private items = new Int32Array(64);
  size = 0;

  constructor(private readonly key: Float64Array) {}

  peek(): number {
    return this.items[0]!;
  }

  push(x: number): void {
    if (this.size === this.items.length) {
      const grown = new Int32Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    const { items, key } = this;
    let at = this.size++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (key[items[parent]!]! <= key[x]!) break;
      items[at] = items[parent]!;
      at = parent;
    }
    items[at] = x;
  }

  pop(): number {
    const { items, key } = this;
    const top = items[0]!;
    const last = items[--this.size]!;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && key[items[child + 1]!]! < key[items[child]!]!) child++;
      if (key[items[child]!]! >= key[last]!) break;
      items[at] = items[child]!;
      at = child;
    }
    items[at] = last;
    return top;
  }
}
