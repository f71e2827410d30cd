import type { Operation } from '../history/op.js';

/**
 * Program order for the sequential search. Two operations of one unit (a session, or the process
 * when there is none) are ordered when the first completed (`ok`, or an observed `fail`) before the
 * second was invoked: real time within the unit, which a session's client follows by issuing one
 * operation at a time, so linearizability implies it (strong ⊃ sequential) and the session checks
 * use the very same order (sequential ⊃ session).
 *
 * The completed ops of a unit form chains (one chain for a unit that is sequential, as sessions
 * are; more, with cross-chain predecessors, for a unit whose ops overlap). An `info` op never
 * completed: it floats, optional, after the ops that completed before it was invoked, and before
 * nothing (a timed-out write may land late, or never).
 */
export interface ProgramOrder {
  /** The operations, by local index. */
  ops: readonly Operation[];
  /** Local op indices of each chain, in order. */
  chains: Int32Array[];
  /** Per op: its chain, or -1 for a floating op. */
  chainOf: Int32Array;
  /** Local op indices of the floating (`info`) ops. */
  floating: Int32Array;
  /** Per op: its index among the floating ops, or -1. */
  floatIndex: Int32Array;
  /**
   * Per op: predecessors in other chains as flattened pairs [chain, position]: the op is enabled
   * only once `chain` has done more than `position` ops. Undefined: none.
   */
  requires: (Int32Array | undefined)[];
  /** Units (sessions or processes) the ops came from. */
  units: number;
}

export type UnitOf = (op: Operation) => string;

/** A session, or the process when the op names no session. */
export const sessionUnit: UnitOf = (op) => (op.session !== undefined ? `session ${String(op.session)}` : `process ${String(op.process)}`);
export const processUnit: UnitOf = (op) => `process ${String(op.process)}`;
/** Every operation a unit of its own: no program order at all. */
export const operationUnit: UnitOf = (op) => `operation ${op.call}`;

/** The session checks' scope that matches a unit function (the same order, so the same demands). */
export function scopeLevelOf(unitOf: UnitOf): 'session' | 'process' {
  return unitOf === processUnit ? 'process' : 'session';
}

export function programOrder(ops: readonly Operation[], unitOf: UnitOf): ProgramOrder {
  const n = ops.length;
  const groups = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const unit = unitOf(ops[i]!);
    let g = groups.get(unit);
    if (g === undefined) groups.set(unit, (g = []));
    g.push(i);
  }
  const chains: number[][] = [];
  const chainOf = new Int32Array(n).fill(-1);
  const floating: number[] = [];
  const floatIndex = new Int32Array(n).fill(-1);
  const requires: (Int32Array | undefined)[] = new Array(n).fill(undefined);
  for (const members of groups.values()) {
    members.sort((a, b) => ops[a]!.call - ops[b]!.call);
    // First fit: each chain is a run of ops, each completing before the next is invoked.
    const own: number[][] = [];
    for (const i of members) {
      const op = ops[i]!;
      if (op.ret === Infinity) {
        floatIndex[i] = floating.length;
        floating.push(i);
        continue;
      }
      let chain = own.find((c) => ops[c[c.length - 1]!]!.ret < op.call);
      if (chain === undefined) own.push((chain = []));
      chain.push(i);
    }
    const base = chains.length;
    own.forEach((chain, k) => {
      for (const i of chain) chainOf[i] = base + k;
      chains.push(chain);
    });
    for (const i of members) {
      const pairs: number[] = [];
      own.forEach((chain, k) => {
        if (chainOf[i] === base + k) return;
        const last = lastCompletedBefore(ops, chain, ops[i]!.call);
        if (last >= 0) pairs.push(base + k, last);
      });
      if (pairs.length > 0) requires[i] = Int32Array.from(pairs);
    }
  }
  return {
    ops,
    chains: chains.map((c) => Int32Array.from(c)),
    chainOf,
    floating: Int32Array.from(floating),
    floatIndex,
    requires,
    units: groups.size,
  };
}

/** Position of the last op of `chain` that completed before `time`, or -1. */
function lastCompletedBefore(ops: readonly Operation[], chain: readonly number[], time: number): number {
  let lo = 0;
  let hi = chain.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ops[chain[mid]!]!.ret < time) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
