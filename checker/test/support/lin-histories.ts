import fc from 'fast-check';
import type { Op } from '../../src/history/op.js';

type RawOp = Omit<Op, 'index'>;

/** One client operation before it is placed in time. */
interface Planned {
  f: 'read' | 'write' | 'cas';
  key: string;
  /** write value, or cas [expected, new] drawn from a small domain so cas sometimes matches. */
  arg: unknown;
  /** Time from the previous op of the process to this invocation, and the op's duration. */
  gap: number;
  duration: number;
  /** Fraction of the interval at which it takes effect. */
  at: number;
  /** Becomes `info`: the client never hears back. `effective` says whether it took effect. */
  indeterminate: boolean;
  effective: boolean;
}

const planned = (keys: readonly string[]): fc.Arbitrary<Planned> =>
  fc.record({
    f: fc.constantFrom('read' as const, 'write' as const, 'cas' as const),
    key: fc.constantFrom(...keys),
    arg: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
    gap: fc.integer({ min: 0, max: 5 }),
    duration: fc.integer({ min: 1, max: 12 }),
    at: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
    indeterminate: fc.integer({ min: 0, max: 4 }).map((x) => x === 0),
    effective: fc.boolean(),
  });

export interface GeneratedHistory {
  ops: RawOp[];
  /** The value every read can be checked against: the state after all effects, per key. */
  finalState: Map<string, unknown>;
}

/**
 * Concurrent register (or kv, when several keys) histories that are linearizable by
 * construction: each op takes effect at a point inside its interval (an indeterminate op at a
 * point after its invocation, or never), outcomes are computed by applying the ops in that order,
 * and the history records invocations and completions in time order.
 * - `kv`: values are `[key, v]`; otherwise the plain register form.
 * - `reading`: `knossos` records a cas that did not match as `fail`; `etcd` records it as `fail` too
 *   (both readings agree on what a fail means for a cas that did not take effect).
 */
export function linearizableHistory(options: { processes: number; opsPerProcess: number; keys?: readonly string[]; kv?: boolean; init?: number; infoRate?: boolean }): fc.Arbitrary<GeneratedHistory> {
  const keys = options.keys ?? ['x'];
  const per = fc.array(planned(keys), { minLength: 1, maxLength: options.opsPerProcess });
  return fc.array(per, { minLength: 1, maxLength: options.processes }).map((plans) => build(plans, options.kv ?? keys.length > 1, options.init ?? 0, options.infoRate ?? true));
}

function build(plans: Planned[][], kv: boolean, init: number, allowInfo: boolean): GeneratedHistory {
  interface Placed { process: number; p: Planned; call: number; ret: number; point: number; value: unknown; status: 'ok' | 'fail' | 'info' }
  const placed: Placed[] = [];
  let nextProcess = 0;
  let writeSeq = 100;
  for (const plan of plans) {
    let process = nextProcess++;
    let t = 0;
    for (const p of plan) {
      const call = t + p.gap + 0.001 * process;
      const ret = call + p.duration;
      const indeterminate = allowInfo && p.indeterminate && p.f !== 'read';
      const point = indeterminate ? (p.effective ? call + p.duration * 4 * p.at : Infinity) : call + p.duration * p.at;
      const arg = p.f === 'write' ? writeSeq++ : p.arg;
      placed.push({ process, p: { ...p, arg }, call, ret: indeterminate ? Infinity : ret, point, value: undefined, status: indeterminate ? 'info' : 'ok' });
      t = ret;
      if (indeterminate) process = nextProcess++; // a crashed client continues under a fresh id
    }
  }
  // Apply in linearization order to learn each op's outcome.
  const state = new Map<string, unknown>(Object.entries({}));
  for (const op of [...placed].sort((a, b) => a.point - b.point)) {
    if (op.point === Infinity) continue;
    const current = state.has(op.p.key) ? state.get(op.p.key) : init;
    if (op.p.f === 'read') op.value = current;
    else if (op.p.f === 'write') state.set(op.p.key, op.p.arg);
    else {
      const [expected, next] = op.p.arg as [number, number];
      if (current === expected) state.set(op.p.key, next);
      else if (op.status === 'ok') op.status = 'fail';
    }
  }
  const events: { time: number; op: RawOp }[] = [];
  const wrap = (key: string, v: unknown): unknown => (kv ? [key, v] : v);
  for (const op of placed) {
    const input = op.p.f === 'read' ? null : op.p.arg;
    events.push({ time: op.call, op: { process: op.process, type: 'invoke', f: op.p.f, value: wrap(op.p.key, input) } });
    if (op.status === 'info') {
      events.push({ time: op.call + op.p.duration, op: { process: op.process, type: 'info', f: op.p.f, value: wrap(op.p.key, input) } });
    } else {
      const out = op.p.f === 'read' ? op.value : input;
      events.push({ time: op.ret, op: { process: op.process, type: op.status, f: op.p.f, value: wrap(op.p.key, out) } });
    }
  }
  events.sort((a, b) => a.time - b.time);
  return { ops: events.map((e) => e.op), finalState: state };
}

/** Small unconstrained histories (any values, statuses, overlaps): for cross-checking verdicts. */
export function arbitraryHistory(options: { processes: number; opsPerProcess: number; values: number }): fc.Arbitrary<RawOp[]> {
  const op = fc.record({
    f: fc.constantFrom('read', 'write', 'cas'),
    a: fc.integer({ min: 0, max: options.values - 1 }),
    b: fc.integer({ min: 0, max: options.values - 1 }),
    status: fc.constantFrom('ok', 'ok', 'ok', 'fail', 'info'),
    gap: fc.integer({ min: 0, max: 4 }),
    duration: fc.integer({ min: 1, max: 6 }),
  });
  return fc.array(fc.array(op, { minLength: 1, maxLength: options.opsPerProcess }), { minLength: 1, maxLength: options.processes }).map((plans) => {
    const events: { time: number; op: RawOp }[] = [];
    let nextProcess = 0;
    for (const plan of plans) {
      let process = nextProcess++;
      let t = 0;
      for (const o of plan) {
        const call = t + o.gap + 0.001 * process;
        const ret = call + o.duration;
        const input = o.f === 'read' ? null : o.f === 'write' ? o.a : [o.a, o.b];
        const output = o.f === 'read' ? o.a : input;
        events.push({ time: call, op: { process, type: 'invoke', f: o.f, value: input } });
        events.push({ time: ret, op: { process, type: o.status as RawOp['type'], f: o.f, value: o.status === 'info' ? input : output } });
        t = ret;
        if (o.status === 'info') process = nextProcess++;
      }
    }
    events.sort((a, b) => a.time - b.time);
    return events.map((e) => e.op);
  });
}
