import type { Operation } from '../history/op.js';
import { inconsistent, refused, type Footprint, type Inconsistent, type Model } from './model.js';
import { showValue, valueEquals } from './values.js';

/**
 * How a register history reads its `fail`s and `nil`s.
 * - `knossos`: a `fail` never happened; a read that completes with nil observed nothing.
 * - `etcd` (Porcupine's etcd logs): a failed cas that carries its value (`:fail :cas [1 2]`) ran
 *   and found another value; a `fail` without a value (`:fail :cas :timed-out`, whose value column
 *   holds the error) observed nothing and, as every `fail`, did not take effect; a failed read has
 *   an unknown result; a read of nil observed the empty register.
 */
export type RegisterReading = 'knossos' | 'etcd';

export interface RegisterOptions {
  init?: unknown;
  reading?: RegisterReading;
  /** Accept `cas` (a cas-register) or only read/write (a plain register). */
  cas?: boolean;
}

/** A read/write register, optionally with compare-and-set (`cas`, value `[expected, new]`). */
export function registerModel(options: RegisterOptions = {}): Model<unknown> {
  const init = options.init ?? null;
  const reading = options.reading ?? 'knossos';
  const allowCas = options.cas ?? true;
  const name = allowCas ? (reading === 'etcd' ? 'cas-register (etcd reading)' : 'cas-register') : 'register';
  return {
    name,
    failed: reading === 'etcd' ? 'observe' : 'drop',
    init: () => init,
    step: (state, op) => registerStep(state, op, reading),
    // A failed cas changed nothing (in the etcd reading it observed another value).
    isReadOnly: (op) => op.f === 'read' || (op.f === 'cas' && op.status === 'fail'),
    stepsByValue: true,
    validate: (op) => validateRegisterOp(op, allowCas),
    footprint: registerFootprint(reading),
    describeOperation: describeRegisterOp,
    describeState: showValue,
  };
}

/** What a register op writes and observes, for sound shrinking (see Model.footprint). */
function registerFootprint(reading: RegisterReading): Footprint {
  return {
    written: (op) => {
      if (op.status === 'fail') return undefined;
      if (op.f === 'write') return { value: op.input };
      if (op.f === 'cas') return { value: (op.input as unknown[])[1] };
      return undefined;
    },
    observes: (op, written) => {
      const value = (written as { value: unknown }).value;
      if (op.f === 'read') {
        if (op.status !== 'ok') return false;
        const seen = op.output === undefined ? op.input : op.output;
        if (seen === undefined || (seen === null && reading === 'knossos')) return false;
        return valueEquals(seen, value);
      }
      if (op.f === 'cas') {
        // A failed cas (etcd reading) saw "anything but expected": it depends on every value.
        if (op.status === 'fail') return reading === 'etcd' && !observedNothing(op);
        return valueEquals((op.input as unknown[])[0], value);
      }
      return false;
    },
  };
}

function validateRegisterOp(op: Operation, allowCas: boolean): string | undefined {
  if (op.f === 'read' || op.f === 'write') return undefined;
  if (op.f === 'cas' && allowCas) {
    const v = op.input;
    return Array.isArray(v) && v.length === 2 ? undefined : `cas value must be [expected, new], got ${showValue(v)}`;
  }
  return `f ${JSON.stringify(op.f)} is not ${allowCas ? 'read, write or cas' : 'read or write'}`;
}

function registerStep(state: unknown, op: Operation, reading: RegisterReading): unknown | Inconsistent {
  const { input, output, status } = op;
  switch (op.f) {
    case 'read': {
      if (status !== 'ok') return state; // unknown result: observes nothing
      const seen = output === undefined ? input : output;
      if (seen === undefined || (seen === null && reading === 'knossos')) return state;
      return valueEquals(seen, state) ? state : readRefused(seen, state);
    }
    case 'write':
      if (status === 'fail') return state; // observed failure changes nothing (etcd reading only reaches here)
      return input;
    case 'cas': {
      // Indexed, not destructured: destructuring runs the iterator protocol until the JIT has
      // optimised this, and a check of a few thousand operations mostly runs before that.
      const expected = (input as unknown[])[0];
      const next = (input as unknown[])[1];
      const matches = valueEquals(expected, state);
      if (status === 'ok') {
        return matches ? next : casRefused(expected, next, 'succeeded', state);
      }
      if (status === 'fail') {
        if (observedNothing(op)) return state;
        return matches ? casRefused(expected, next, 'failed', expected) : state;
      }
      return matches ? next : state; // info: took effect only if it could
    }
    default:
      return inconsistent(`unknown operation ${op.f}`);
  }
}

// Refusals are worded from their parts by functions of module scope (see `refused`): a closure
// in registerStep would make every step allocate a context for what it captures, refused or not.
function readRefused(seen: unknown, state: unknown): Inconsistent {
  return refused(wordReadRefused, seen, state);
}

function wordReadRefused(seen: unknown, state: unknown): string {
  return `read ${showValue(seen)} but the register holds ${showValue(state)}`;
}

function casRefused(expected: unknown, next: unknown, outcome: 'succeeded' | 'failed', holds: unknown): Inconsistent {
  return refused(wordCasRefused, expected, next, outcome, holds);
}

function wordCasRefused(expected: unknown, next: unknown, outcome: 'succeeded' | 'failed', holds: unknown): string {
  return `cas ${showValue(expected)}→${showValue(next)} ${outcome} but the register holds ${showValue(holds)}`;
}

/** A `fail` completed without its value (the error in its place, or nil): it observed nothing. */
function observedNothing(op: Operation): boolean {
  return op.status === 'fail' && (op.output === null || op.output === undefined);
}

function describeRegisterOp(op: Operation): string {
  const v = op.f === 'read' ? (op.status === 'ok' ? op.output : undefined) : op.input;
  if (op.f === 'cas' && Array.isArray(v)) return `cas ${showValue(v[0])}→${showValue(v[1])}`;
  return `${op.f} ${showValue(v)}`;
}
