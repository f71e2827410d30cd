/**
 * Brute force over small dependency graphs, to check the isolation checker's graph algorithms
 * against: every simple cycle, enumerated, and named by `classifyCycle`.
 */
import fc from 'fast-check';
import type { Op } from '../../src/index.js';
import { EdgeBuffer, buildGraph, E_PROCESS, E_REALTIME, E_RW, E_RWP, E_WR, E_WRP, E_WW, type Graph } from '../../src/isolation/graph.js';

export interface SmallEdge { from: number; to: number; kind: number }

/**
 * Random small graphs: data edges anywhere, process and real-time edges only forward (they come
 * from time, so they never form a cycle on their own).
 */
export const smallGraph: fc.Arbitrary<{ n: number; edges: SmallEdge[] }> = fc.integer({ min: 2, max: 6 }).chain((n) => fc.record({
  n: fc.constant(n),
  edges: fc.array(fc.record({
    from: fc.integer({ min: 0, max: n - 1 }),
    to: fc.integer({ min: 0, max: n - 1 }),
    kind: fc.constantFrom(E_WW, E_WW, E_WR, E_WR, E_RW, E_RW, E_WRP, E_RWP, E_PROCESS, E_REALTIME),
  }), { maxLength: 14 }).map((edges) => edges
    .filter((e) => e.from !== e.to)
    .map((e) => ((e.kind === E_PROCESS || e.kind === E_REALTIME) && e.from > e.to ? { ...e, from: e.to, to: e.from } : e))),
}));

export function toGraph(n: number, edges: readonly SmallEdge[]): Graph {
  const buffer = new EdgeBuffer();
  for (const e of edges) buffer.push(e.from, e.to, e.kind, -1);
  return buildGraph(n, buffer);
}

/** Every simple cycle, as its list of edges, each once (it starts at its smallest node). */
export function simpleCycles(n: number, edges: readonly SmallEdge[]): SmallEdge[][] {
  const out: SmallEdge[][] = [];
  const path: SmallEdge[] = [];
  const onPath = new Set<number>();
  const walk = (start: number, v: number): void => {
    for (const e of edges) {
      if (e.from !== v || e.to < start) continue;
      if (e.to === start) { out.push([...path, e]); continue; }
      if (onPath.has(e.to)) continue;
      onPath.add(e.to);
      path.push(e);
      walk(start, e.to);
      path.pop();
      onPath.delete(e.to);
    }
  };
  for (let s = 0; s < n; s++) { onPath.add(s); walk(s, s); onPath.delete(s); }
  return out;
}

/**
 * Small register histories for brute force: each transaction reads and/or writes each key at
 * most once (a read before its write), on a process, with invocation and completion times.
 * Written values are unique per key; a read returns nil or a value some other transaction wrote.
 */
export interface SmallTxn {
  process: number;
  mops: ['r' | 'w', string, number | null][];
  call: number;
  ret: number;
}

const KEYS = ['x', 'y', 'z'];

export const smallRegisterHistory: fc.Arbitrary<SmallTxn[]> = fc.record({
  n: fc.integer({ min: 2, max: 5 }),
  keys: fc.integer({ min: 1, max: 3 }),
  plans: fc.array(fc.array(fc.constantFrom('none', 'r', 'w', 'rw', 'w', 'rw'), { minLength: 3, maxLength: 3 }), { minLength: 5, maxLength: 5 }),
  picks: fc.array(fc.nat(), { minLength: 15, maxLength: 15 }),
  times: fc.array(fc.tuple(fc.nat(100), fc.nat(30)), { minLength: 5, maxLength: 5 }),
}).map(({ n, keys, plans, picks, times }) => {
  const written = new Map<string, { value: number; txn: number }[]>();
  let next = 1;
  const txns = Array.from({ length: n }, (_, i) => {
    const mops: SmallTxn['mops'] = [];
    for (let k = 0; k < keys; k++) {
      const plan = plans[i][k];
      if (plan.includes('w')) {
        const list = written.get(KEYS[k]) ?? [];
        list.push({ value: next, txn: i });
        written.set(KEYS[k], list);
        mops.push(['w', KEYS[k], next++]);
      }
    }
    return { mops, plan: plans[i] };
  });
  let pick = 0;
  const out: SmallTxn[] = txns.map(({ mops: writes, plan }, i) => {
    const mops: SmallTxn['mops'] = [];
    for (let k = 0; k < keys; k++) {
      if (plan[k].includes('r')) {
        const others = (written.get(KEYS[k]) ?? []).filter((w) => w.txn !== i);
        const choice = picks[pick++ % picks.length] % (others.length + 1);
        mops.push(['r', KEYS[k], choice === others.length ? null : others[choice].value]);
      }
      const write = writes.find((m) => m[1] === KEYS[k]);
      if (write !== undefined) mops.push(write);
    }
    const [start, width] = times[i];
    return { process: i, mops: mops.length > 0 ? mops : [['r', 'x', null]], call: start * 2 + i / 10, ret: (start + width + 1) * 2 + i / 10 + 0.05 };
  });
  // One process per run of transactions that do not overlap (a process issues one at a time).
  const byCall = out.map((t, i) => i).sort((a, b) => out[a].call - out[b].call);
  const processEnd: number[] = [];
  for (const i of byCall) {
    const free = processEnd.findIndex((end) => end < out[i].call);
    const id = free >= 0 && picks[i] % 2 === 0 ? free : processEnd.length;
    processEnd[id] = out[i].ret;
    out[i].process = id;
  }
  return out;
}).filter((txns) => versionOrderCount(txns) <= 96);

/** How many total version orders the written values allow (kept small for the brute force). */
function versionOrderCount(txns: readonly SmallTxn[]): number {
  const writes = new Map<string, number>();
  for (const t of txns) for (const m of t.mops) if (m[0] === 'w') writes.set(m[1], (writes.get(m[1]) ?? 0) + 1);
  let count = 1;
  for (const w of writes.values()) for (let i = 2; i <= w; i++) count *= i;
  return count;
}

/** The history of small transactions, all committed, events in time order. */
export function smallHistory(txns: readonly SmallTxn[]): Omit<Op, 'index'>[] {
  const events: { at: number; op: Omit<Op, 'index'> }[] = [];
  for (const t of txns) {
    events.push({ at: t.call, op: { process: t.process, type: 'invoke', f: 'txn', value: t.mops.map(([f, k, v]) => [f, k, f === 'r' ? null : v]) } });
    events.push({ at: t.ret, op: { process: t.process, type: 'ok', f: 'txn', value: t.mops.map((m) => [...m]) } });
  }
  return events.sort((a, b) => a.at - b.at).map((e) => e.op);
}

/** The order a serial execution must keep: none, each process's, or real time. */
export type SerialConstraint = 'none' | 'process' | 'realtime';

function mustPrecede(a: SmallTxn, b: SmallTxn, constraint: SerialConstraint): boolean {
  if (constraint === 'realtime') return a.ret < b.call;
  if (constraint === 'process') return a.process === b.process && a.call < b.call;
  return false;
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

/** Is there an order of all transactions, keeping `constraint`, in which every read sees the latest write? */
export function serialOrderExists(txns: readonly SmallTxn[], constraint: SerialConstraint): boolean {
  return permutations(txns.length).some((order) => {
    for (let i = 0; i < order.length; i++) for (let j = i + 1; j < order.length; j++) if (mustPrecede(txns[order[j]], txns[order[i]], constraint)) return false;
    const state = new Map<string, number | null>();
    for (const t of order) {
      for (const [f, k, v] of txns[t].mops) {
        if (f === 'w') state.set(k, v);
        else if ((state.get(k) ?? null) !== v) return false;
      }
    }
    return true;
  });
}

/**
 * Every total version order of the written values (nil first), each as Adya's dependency graph
 * of the transactions: ww between writers of consecutive versions, wr from a writer to its
 * readers, rw from a reader of a version to the writer of the next one; with real-time and
 * process edges.
 */
export function everyVersionOrderGraph(txns: readonly SmallTxn[]): SmallEdge[][] {
  const keys = [...new Set(txns.flatMap((t) => t.mops.map((m) => m[1])))];
  const writes = keys.map((k) => txns.flatMap((t, i) => t.mops.filter((m) => m[0] === 'w' && m[1] === k).map((m) => ({ value: m[2] as number, txn: i }))));
  const choices = writes.map((w) => permutations(w.length).map((p) => p.map((i) => w[i])));
  const out: SmallEdge[][] = [];
  const pick = (ki: number, chosen: { value: number; txn: number }[][]): void => {
    if (ki === keys.length) { out.push(graphOf(txns, keys, chosen)); return; }
    for (const c of choices[ki]) pick(ki + 1, [...chosen, c]);
  };
  pick(0, []);
  return out;
}

function graphOf(txns: readonly SmallTxn[], keys: readonly string[], orders: { value: number; txn: number }[][]): SmallEdge[] {
  const edges: SmallEdge[] = [];
  const add = (from: number, to: number, kind: number): void => { if (from !== to) edges.push({ from, to, kind }); };
  keys.forEach((k, ki) => {
    const order = orders[ki];
    for (let i = 0; i + 1 < order.length; i++) add(order[i].txn, order[i + 1].txn, E_WW);
    txns.forEach((t, r) => {
      for (const [f, key, v] of t.mops) {
        if (f !== 'r' || key !== k) continue;
        const at = v === null ? -1 : order.findIndex((w) => w.value === v);
        if (at >= 0) add(order[at].txn, r, E_WR);
        const nextVersion = order[at + 1];
        if (nextVersion !== undefined) add(r, nextVersion.txn, E_RW);
      }
    });
  });
  txns.forEach((a, i) => txns.forEach((b, j) => {
    if (a.ret < b.call) add(i, j, E_REALTIME);
    if (a.process === b.process && a.call < b.call && i !== j) add(i, j, E_PROCESS);
  }));
  return edges;
}
