import fc from 'fast-check';
import type { Op } from '../../src/history/op.js';
import type { Raw } from './consistency-ops.js';

/**
 * Generators of histories for the consistency properties.
 * - `linearizableHistory`: a run of an atomic register or kv store, linearizable by construction:
 *   each op takes effect at one instant between its invocation and completion; clients time out
 *   (`info`, having taken effect or not) and continue their session under a fresh process;
 *   sessions belong to users; final reads on every node close the run.
 * - `randomSmallHistory`: small, arbitrary histories (values read at random), for comparing the
 *   sequential search and the session checks with brute force.
 */

export interface GenOptions {
  kind: 'register' | 'kv';
  slots: number;
  actions: number;
  keys: number;
}

type Action = { slot: number; roll: number; pick: number };

const actionArb = (slots: number): fc.Arbitrary<Action> =>
  fc.record({ slot: fc.nat({ max: slots - 1 }), roll: fc.nat({ max: 99 }), pick: fc.nat({ max: 1000 }) });

/** A linearizable run; `init` is the initial value of the register or of every key. */
export function linearizableHistory(options: GenOptions, init: unknown = 0): fc.Arbitrary<Raw[]> {
  return fc.array(actionArb(options.slots), { minLength: 1, maxLength: options.actions }).map((actions) => runAtomic(actions, options, init));
}

interface Slot {
  process: number;
  session: string;
  user: string;
  pending?: { f: string; input: unknown; output?: unknown; applied: boolean; key: string };
}

function runAtomic(actions: readonly Action[], o: GenOptions, init: unknown): Raw[] {
  const out: Raw[] = [];
  const state = new Map<string, unknown>();
  const keyName = (n: number): string => `k${n}`;
  const get = (k: string): unknown => (state.has(k) ? state.get(k) : init);
  let nextProcess = o.slots;
  let nextValue = 1;
  let time = 0;
  const slots: Slot[] = Array.from({ length: o.slots }, (_, s) => ({ process: s, session: `s${s}`, user: `u${s % 2}` }));
  const emit = (slot: Slot, type: Op['type'], f: string, value: unknown): void => {
    out.push({ process: slot.process, type, f, value, session: slot.session, user: slot.user, time: (time += 10) });
  };
  const wrap = (k: string, v: unknown): unknown => (o.kind === 'kv' ? [k, v] : v);
  for (const a of actions) {
    const slot = slots[a.slot]!;
    const p = slot.pending;
    if (p === undefined) {
      const key = keyName(a.pick % o.keys);
      const f = a.roll < 40 ? 'read' : a.roll < 80 ? 'write' : 'cas';
      const input = f === 'read' ? wrap(key, null) : f === 'write' ? wrap(key, nextValue++) : wrap(key, [a.pick % 2 === 0 ? get(key) : -1, nextValue++]);
      slot.pending = { f, input, applied: false, key };
      emit(slot, 'invoke', f, input);
    } else if (!p.applied && a.roll < 70) {
      // The op takes effect now.
      p.applied = true;
      const v = o.kind === 'kv' ? (p.input as unknown[])[1] : p.input;
      if (p.f === 'read') p.output = wrap(p.key, get(p.key));
      else if (p.f === 'write') { state.set(p.key, v); p.output = p.input; }
      else {
        const [from, to] = v as [unknown, unknown];
        if (from === get(p.key)) { state.set(p.key, to); p.output = p.input; } else p.output = undefined;
      }
    } else if (p.applied || a.roll < 90) {
      // Completion: ok (or fail for a cas that did not match); a timeout now and then.
      if (a.roll >= 85 && p.f !== 'read') {
        emit(slot, 'info', p.f, p.input);
        slot.process = nextProcess++;
      } else if (!p.applied) {
        continue; // must take effect before an ok
      } else if (p.f === 'cas' && p.output === undefined) emit(slot, 'fail', p.f, p.input);
      else emit(slot, 'ok', p.f, p.output);
      slot.pending = undefined;
    }
  }
  // Ops still running time out; the ones not applied never take effect.
  for (const slot of slots) {
    if (slot.pending === undefined) continue;
    emit(slot, 'info', slot.pending.f, slot.pending.input);
    slot.process = nextProcess++;
  }
  out.push({ process: 'nemesis', type: 'info', f: 'stop-partition', value: null, time: (time += 10) });
  // Final reads on every node, one after another.
  const keys = o.kind === 'kv' ? [...new Set([...state.keys(), keyName(0)])] : [keyName(0)];
  for (const node of ['n1', 'n2', 'n3']) {
    for (const k of keys) {
      const process = nextProcess++;
      out.push({ process, type: 'invoke', f: 'read', value: wrap(k, null), node, phase: 'final', time: (time += 10) });
      out.push({ process, type: 'ok', f: 'read', value: wrap(k, get(k)), node, phase: 'final', time: (time += 10) });
    }
  }
  return out;
}

/**
 * A small arbitrary history: each process runs a few ops in turn (a random interleaving of their
 * invocations and completions), values read are drawn from what was written or the initial
 * value, statuses mostly ok, some info (the process then stops) and failed cas. Sessions group
 * processes, sometimes overlapping ones; users group sessions.
 */
export function randomSmallHistory(kind: 'register' | 'kv', opsMax: number): fc.Arbitrary<Raw[]> {
  const opArb = fc.record({
    process: fc.nat({ max: 2 }),
    f: fc.constantFrom('read', 'read', 'write', 'write', 'cas'),
    key: fc.nat({ max: kind === 'kv' ? 1 : 0 }),
    pick: fc.nat({ max: 100 }),
    status: fc.constantFrom('ok', 'ok', 'ok', 'ok', 'info', 'fail'),
  });
  return fc.record({
    ops: fc.array(opArb, { minLength: 1, maxLength: opsMax }),
    schedule: fc.array(fc.nat({ max: 2 }), { minLength: 40, maxLength: 40 }),
    sessions: fc.array(fc.nat({ max: 2 }), { minLength: 3, maxLength: 3 }),
    users: fc.array(fc.nat({ max: 1 }), { minLength: 3, maxLength: 3 }),
  }).map(({ ops, schedule, sessions, users }) => interleave(kind, ops, schedule, sessions, users));
}

type SmallOp = { process: number; f: string; key: number; pick: number; status: string };

function interleave(kind: 'register' | 'kv', ops: readonly SmallOp[], schedule: readonly number[], sessions: readonly number[], users: readonly number[]): Raw[] {
  const queues: SmallOp[][] = [[], [], []];
  for (const o of ops) queues[o.process]!.push(o);
  const written: unknown[][] = [[0], [0]];
  let nextValue = 1;
  const out: Raw[] = [];
  const open: ({ o: SmallOp; input: unknown } | undefined)[] = [undefined, undefined, undefined];
  const stopped = [false, false, false];
  const wrap = (k: number, v: unknown): unknown => (kind === 'kv' ? [`k${k}`, v] : v);
  const fields = (p: number) => ({ session: `s${sessions[p]!}`, user: `u${users[sessions[p]!]!}` });
  const step = (p: number): void => {
    const pending = open[p];
    if (pending === undefined) {
      const o = queues[p]!.shift();
      if (o === undefined || stopped[p]) return;
      const pool = written[o.key]!;
      let input: unknown;
      if (o.f === 'read') input = wrap(o.key, null);
      else if (o.f === 'write') { input = wrap(o.key, nextValue); pool.push(nextValue++); }
      else { input = wrap(o.key, [pool[o.pick % pool.length], nextValue]); pool.push(nextValue++); }
      open[p] = { o, input };
      out.push({ process: p, type: 'invoke', f: o.f, value: input, ...fields(p) });
      return;
    }
    const { o, input } = pending;
    open[p] = undefined;
    const status = o.f === 'read' && o.status === 'fail' ? 'ok' : o.status;
    if (status === 'info') stopped[p] = true;
    const pool = written[o.key]!;
    const value = o.f === 'read' && status === 'ok' ? wrap(o.key, pool[o.pick % pool.length]) : input;
    out.push({ process: p, type: status as Op['type'], f: o.f, value, ...fields(p) });
  };
  for (const p of schedule) step(p);
  // Drain: complete what is open, then run the rest in order.
  for (let p = 0; p < 3; p++) while (open[p] !== undefined || (queues[p]!.length > 0 && !stopped[p])) step(p);
  return out;
}

/**
 * Sequentially consistent by construction, rarely linearizable: sessions read from replicas that
 * apply one global log in order but lag behind it (ZooKeeper followers); a session's own write
 * brings its replica up to date. Every session's view is a prefix of the log.
 */
export function laggingReplicaHistory(options: { sessions: number; keys: number; actions: number }): fc.Arbitrary<Raw[]> {
  const step = fc.record({ session: fc.nat({ max: options.sessions - 1 }), key: fc.nat({ max: options.keys - 1 }), write: fc.boolean(), catchUp: fc.nat({ max: 2 }) });
  return fc.array(step, { minLength: 1, maxLength: options.actions }).map((steps) => {
    const snapshots: Map<string, number>[] = [new Map()];
    const position = new Array<number>(options.sessions).fill(0);
    let next = 1;
    const out: Raw[] = [];
    for (const s of steps) {
      position[s.session] = Math.min(snapshots.length - 1, position[s.session]! + s.catchUp);
      const key = `k${s.key}`;
      const fields = { session: `s${s.session}` };
      if (s.write) {
        const v = next++;
        const snap = new Map(snapshots[snapshots.length - 1]!);
        snap.set(key, v);
        snapshots.push(snap);
        position[s.session] = snapshots.length - 1;
        out.push({ process: s.session, type: 'invoke', f: 'write', value: [key, v], ...fields }, { process: s.session, type: 'ok', f: 'write', value: [key, v], ...fields });
      } else {
        const v = snapshots[position[s.session]!]!.get(key) ?? 0;
        out.push({ process: s.session, type: 'invoke', f: 'read', value: [key, null], ...fields }, { process: s.session, type: 'ok', f: 'read', value: [key, v], ...fields });
      }
    }
    return out;
  });
}
