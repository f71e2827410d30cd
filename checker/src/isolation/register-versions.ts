import { MOP_READ } from './micro-ops.js';
import { NO_NODE, readNode, registerTouches, type RegisterTouches } from './register-touches.js';
import { KEY_REGISTER, ST_OK, V_INIT, V_UNKNOWN, type TxnTable } from './txn-table.js';
import { FINAL_NONE, type VersionOrders } from './version-orders.js';

/** Where a version-order fact comes from (bits of a mask). */
export const SRC_INITIAL = 1;
export const SRC_WFR = 2;
export const SRC_FINAL = 4;
export const SRC_PROCESS = 8;
export const SRC_REALTIME = 16;

/** Source names, as Elle names its analyzers. */
export const SOURCE_NAMES: readonly [number, string][] = [
  [SRC_INITIAL, 'initial-state'], [SRC_WFR, 'wfr-keys'], [SRC_FINAL, 'final-reads'], [SRC_PROCESS, 'sequential-keys'], [SRC_REALTIME, 'linearizable-keys'],
];

export function sourceNames(mask: number): string[] {
  return SOURCE_NAMES.filter(([bit]) => (mask & bit) !== 0).map(([, name]) => name);
}

export interface RegisterOrderOptions {
  /** Each key is sequentially consistent: a process's transactions see its versions in order. */
  sequentialKeys?: boolean;
  /** Each key is linearizable: real-time order orders its versions. */
  linearizableKeys?: boolean;
}

/** Versions of one key that the inferred order puts in a cycle, and the sources that did. */
export interface CyclicVersions {
  key: number;
  /** The version nodes (vids, V_INIT for nil) of one strongly connected part. */
  nodes: number[];
  /** The sources of the facts among those versions. */
  sources: number;
  /** Whether the cycle needs a writes-follow-reads fact (which read uncommitted does not imply). */
  needsWfr: boolean;
}

/**
 * What the history proves about each register key's version order. Facts come from sources
 * added one at a time, as in Elle's rw-register: the initial (nil) version precedes every other;
 * a transaction's write follows the version it read of that key (writes follow reads within a
 * transaction, which every level from read committed up implies); agreed final reads show the
 * last version; and, when the user asserts it, per-key sequential consistency (process order)
 * and per-key linearizability (real-time order). A source whose facts would make a key's order
 * cyclic is not used for that key, and the cycle is reported (`cyclic-versions`).
 */
export interface RegisterOrders {
  touches: RegisterTouches;
  /** Accepted order facts, grouped by key: `edgeFrom/To/Src[edgeStart[k] .. edgeStart[k+1]-1]` (nodes: vids or V_INIT). */
  edgeStart: Int32Array;
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  edgeSrc: Uint8Array;
  /** Per register key: 1 when its existing versions form one known chain (the order is total). */
  total: Uint8Array;
  /** Register keys whose order is only partly known, each with one pair of versions left unordered. */
  partial: { key: number; a: number; b: number }[];
  /** Per vid of a total key: the next version in its chain (-1: last); per key, the first after nil. */
  next: Int32Array;
  firstAfterInit: Int32Array;
  cyclic: CyclicVersions[];
  /** The sources that contributed facts. */
  sourcesUsed: number;
}

export function inferRegisterOrders(table: TxnTable, orders: VersionOrders, options: RegisterOrderOptions): RegisterOrders {
  const touches = registerTouches(table, orders);
  const facts = new FactBuffer(table.keys.length);
  initialFacts(table, touches, facts);
  wfrFacts(table, touches, facts);
  finalFacts(table, orders, touches, facts);
  if (options.sequentialKeys === true) processFacts(table, touches, facts);
  if (options.linearizableKeys === true) realtimeFacts(table, touches, facts);
  return acceptFacts(table, touches, facts);
}

/** Facts as parallel growable arrays, with their key. */
class FactBuffer {
  key: number[] = [];
  from: number[] = [];
  to: number[] = [];
  src: number[] = [];
  constructor(readonly keys: number) {}
  push(k: number, from: number, to: number, src: number): void {
    if (from === to || from === NO_NODE || to === NO_NODE) return;
    this.key.push(k); this.from.push(from); this.to.push(to); this.src.push(src);
  }
}

function initialFacts(table: TxnTable, touches: RegisterTouches, facts: FactBuffer): void {
  for (let v = 0; v < table.vCount; v++) if (touches.live[v] === 1) facts.push(table.vKey[v], V_INIT, v, SRC_INITIAL);
}

/** A committed transaction that read version a of k before writing b: a precedes b. */
function wfrFacts(table: TxnTable, touches: RegisterTouches, facts: FactBuffer): void {
  for (let t = 0; t < table.n; t++) {
    if (table.status[t] !== ST_OK) continue;
    for (let i = touches.touchStart[t]; i < touches.touchStart[t + 1]; i++) {
      const k = touches.touchKey[i];
      const write = lastWriteOf(table, touches, t, k);
      if (write < 0) continue;
      const first = touches.touchFirst[i];
      if (first !== write) facts.push(k, first, write, SRC_WFR);
    }
  }
}

/** t's external (last) write of key k when it exists as a version, else -1. */
function lastWriteOf(table: TxnTable, touches: RegisterTouches, t: number, k: number): number {
  for (let g = table.mopStart[t + 1] - 1; g >= table.mopStart[t]; g--) {
    if (table.mopKey[g] !== k || table.mopKind[g] === MOP_READ) continue;
    const v = table.mopValue[g];
    return v >= 0 && touches.live[v] === 1 ? v : -1;
  }
  return -1;
}

/** Final reads (`phase: "final"`) that agree show each key's last version. */
function finalFacts(table: TxnTable, orders: VersionOrders, touches: RegisterTouches, facts: FactBuffer): void {
  for (let k = 0; k < table.keys.length; k++) {
    if (table.keyKind[k] !== KEY_REGISTER) continue;
    const f = orders.finalVid[k];
    if (f === FINAL_NONE || f === V_UNKNOWN) continue;
    const last = readNode(touches.live, f);
    if (last === NO_NODE) continue;
    for (let i = orders.keyVidStart[k]; i < orders.keyVidStart[k + 1]; i++) {
      const v = orders.keyVids[i];
      if (touches.live[v] === 1) facts.push(k, v, last, SRC_FINAL);
    }
  }
}

/** Per process, consecutive transactions touching a key see its versions in order. */
function processFacts(table: TxnTable, touches: RegisterTouches, facts: FactBuffer): void {
  const lastTouch = new Map<number, number>();
  for (let t = 0; t < table.n; t++) {
    const p = table.process[t];
    for (let i = touches.touchStart[t]; i < touches.touchStart[t + 1]; i++) {
      const k = touches.touchKey[i];
      const id = p * facts.keys + k;
      const before = lastTouch.get(id);
      if (before !== undefined) facts.push(k, touches.touchLast[before], touches.touchFirst[i], SRC_PROCESS);
      lastTouch.set(id, i);
    }
  }
}

/**
 * Per key, a transaction that completed before another touching the key began saw an earlier
 * (or the same) version. Only each key's real-time frontier is linked, as for real-time edges:
 * the rest follows by transitivity.
 */
function realtimeFacts(table: TxnTable, touches: RegisterTouches, facts: FactBuffer): void {
  const events: [number, number, number][] = [];
  for (let t = 0; t < table.n; t++) {
    if (touches.touchStart[t] === touches.touchStart[t + 1]) continue;
    const op = table.operations[t];
    events.push([op.call, 0, t]);
    if (table.status[t] === ST_OK && Number.isFinite(op.ret)) events.push([op.ret, 1, t]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const frontier: number[][] = Array.from({ length: facts.keys }, () => []);
  const onFrontier = new Uint8Array(touches.touchKey.length);
  const preds = new Map<number, number[]>();
  for (const [, type, t] of events) {
    for (let i = touches.touchStart[t]; i < touches.touchStart[t + 1]; i++) {
      const k = touches.touchKey[i];
      const f = frontier[k];
      if (type === 0) {
        for (const j of f) facts.push(k, touches.touchLast[j], touches.touchFirst[i], SRC_REALTIME);
        if (f.length > 0) preds.set(i, [...f]);
        continue;
      }
      const before = preds.get(i);
      if (before !== undefined) {
        for (const j of before) onFrontier[j] = 0;
        frontier[k] = f.filter((j) => onFrontier[j] === 1);
        preds.delete(i);
      }
      frontier[k].push(i);
      onFrontier[i] = 1;
    }
  }
}

/** Adds the sources one at a time per key, skipping one that would close a cycle, then orders. */
function acceptFacts(table: TxnTable, touches: RegisterTouches, facts: FactBuffer): RegisterOrders {
  const keyCount = table.keys.length;
  const byKey = groupByKey(facts, keyCount);
  const edgeStart = new Int32Array(keyCount + 1);
  const from: number[] = [];
  const to: number[] = [];
  const src: number[] = [];
  const total = new Uint8Array(keyCount);
  const partial: RegisterOrders['partial'] = [];
  const next = new Int32Array(table.vCount).fill(-1);
  const firstAfterInit = new Int32Array(keyCount).fill(-1);
  const cyclic: CyclicVersions[] = [];
  const local = new Int32Array(table.vCount).fill(-1);
  let sourcesUsed = 0;
  for (let k = 0; k < keyCount; k++) {
    edgeStart[k] = from.length;
    if (table.keyKind[k] !== KEY_REGISTER) continue;
    const nodes = [V_INIT];
    for (const e of byKey[k]) for (const v of [facts.from[e], facts.to[e]]) if (v >= 0 && local[v] < 0) { local[v] = nodes.length; nodes.push(v); }
    const id = (v: number): number => (v === V_INIT ? 0 : local[v]);
    const accepted: number[] = [];
    let used = 0;
    for (const [bit] of SOURCE_NAMES) {
      const mine = byKey[k].filter((e) => facts.src[e] === bit);
      if (mine.length === 0) continue;
      const tentative = [...accepted, ...mine];
      const sccs = cycles(nodes.length, tentative.map((e) => id(facts.from[e])), tentative.map((e) => id(facts.to[e])));
      if (sccs.length > 0) {
        for (const scc of sccs) cyclic.push(cyclicCase(k, scc, nodes, tentative, id, facts));
        continue;
      }
      accepted.push(...mine);
      used |= bit;
    }
    sourcesUsed |= used;
    // Merge facts between the same pair: one edge with every source that gave it.
    const merged = new Map<number, number>();
    for (const e of accepted) {
      const pair = id(facts.from[e]) * nodes.length + id(facts.to[e]);
      merged.set(pair, (merged.get(pair) ?? 0) | facts.src[e]);
    }
    for (const [pair, bits] of merged) {
      from.push(nodes[Math.floor(pair / nodes.length)]); to.push(nodes[pair % nodes.length]); src.push(bits);
    }
    const chain = uniqueOrder(nodes.length, from.slice(edgeStart[k]).map(id), to.slice(edgeStart[k]).map(id));
    if (chain.ok) {
      total[k] = 1;
      if (nodes.length > 1) firstAfterInit[k] = nodes[chain.order[1]];
      for (let i = 1; i + 1 < chain.order.length; i++) next[nodes[chain.order[i]]] = nodes[chain.order[i + 1]];
    } else {
      partial.push({ key: k, a: nodes[chain.a], b: nodes[chain.b] });
    }
    for (let i = 1; i < nodes.length; i++) local[nodes[i]] = -1;
  }
  edgeStart[keyCount] = from.length;
  return {
    touches, edgeStart, edgeFrom: Int32Array.from(from), edgeTo: Int32Array.from(to), edgeSrc: Uint8Array.from(src),
    total, partial, next, firstAfterInit, cyclic, sourcesUsed,
  };
}

function cyclicCase(k: number, scc: number[], nodes: number[], edges: number[], id: (v: number) => number, facts: FactBuffer): CyclicVersions {
  const inside = new Set(scc);
  const within = edges.filter((e) => inside.has(id(facts.from[e])) && inside.has(id(facts.to[e])));
  let sources = 0;
  for (const e of within) sources |= facts.src[e];
  const noWfr = within.filter((e) => facts.src[e] !== SRC_WFR);
  const needsWfr = cycles(nodes.length, noWfr.map((e) => id(facts.from[e])), noWfr.map((e) => id(facts.to[e]))).length === 0;
  return { key: k, nodes: scc.map((i) => nodes[i]), sources, needsWfr };
}

function groupByKey(facts: FactBuffer, keyCount: number): number[][] {
  const out: number[][] = Array.from({ length: keyCount }, () => []);
  for (let e = 0; e < facts.key.length; e++) out[facts.key[e]].push(e);
  return out;
}

/** The nontrivial strongly connected components of a small graph (Tarjan, iterative). */
export function cycles(n: number, from: readonly number[], to: readonly number[]): number[][] {
  const offsets = new Int32Array(n + 1);
  for (const f of from) offsets[f + 1]++;
  for (let v = 0; v < n; v++) offsets[v + 1] += offsets[v];
  const cursor = offsets.slice(0, n);
  const dst = new Int32Array(from.length);
  for (let e = 0; e < from.length; e++) dst[cursor[from[e]]++] = to[e];
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] >= 0) continue;
    const calls: [number, number][] = [[root, offsets[root]]];
    index[root] = low[root] = counter++;
    stack.push(root); onStack[root] = 1;
    while (calls.length > 0) {
      const frame = calls[calls.length - 1];
      const v = frame[0];
      if (frame[1] < offsets[v + 1]) {
        const w = dst[frame[1]++];
        if (index[w] < 0) {
          index[w] = low[w] = counter++;
          stack.push(w); onStack[w] = 1;
          calls.push([w, offsets[w]]);
        } else if (onStack[w] === 1 && index[w] < low[v]) low[v] = index[w];
        continue;
      }
      calls.pop();
      if (calls.length > 0) { const u = calls[calls.length - 1][0]; if (low[v] < low[u]) low[u] = low[v]; }
      if (low[v] !== index[v]) continue;
      const scc: number[] = [];
      let w: number;
      do { w = stack.pop()!; onStack[w] = 0; scc.push(w); } while (w !== v);
      if (scc.length > 1) out.push(scc.sort((a, b) => a - b));
    }
  }
  return out;
}

/**
 * Kahn's topological sort of an acyclic graph: the order is unique (the versions form one known
 * chain) iff exactly one node is ready at every step; otherwise two ready nodes are unordered.
 */
function uniqueOrder(n: number, from: readonly number[], to: readonly number[]): { ok: true; order: number[] } | { ok: false; a: number; b: number } {
  const indegree = new Int32Array(n);
  const out: number[][] = Array.from({ length: n }, () => []);
  for (let e = 0; e < from.length; e++) { indegree[to[e]]++; out[from[e]].push(to[e]); }
  let ready: number[] = [];
  for (let v = 0; v < n; v++) if (indegree[v] === 0) ready.push(v);
  const order: number[] = [];
  while (ready.length > 0) {
    if (ready.length > 1) return { ok: false, a: ready[0], b: ready[1] };
    const v = ready[0];
    order.push(v);
    ready = [];
    for (const w of out[v]) if (--indegree[w] === 0) ready.push(w);
  }
  return { ok: true, order };
}
