import type { Op } from '../../src/history/op.js';

/** An op as tests write it: no index (the builder numbers them). */
export type Raw = Omit<Op, 'index'>;
export type Extra = Partial<Pick<Op, 'session' | 'user' | 'node' | 'phase' | 'time'>>;

export const inv = (process: number, f: string, value: unknown, extra: Extra = {}): Raw => ({ process, type: 'invoke', f, value, ...extra });
export const ok = (process: number, f: string, value: unknown, extra: Extra = {}): Raw => ({ process, type: 'ok', f, value, ...extra });
export const info = (process: number, f: string, value: unknown, extra: Extra = {}): Raw => ({ process, type: 'info', f, value, ...extra });
export const fail = (process: number, f: string, value: unknown, extra: Extra = {}): Raw => ({ process, type: 'fail', f, value, ...extra });

/** A whole operation, invoked and completed at once (nothing else in between). */
export function op(process: number, f: string, input: unknown, output: unknown = input, extra: Extra = {}): Raw[] {
  return [inv(process, f, input, extra), ok(process, f, output, extra)];
}

/** A register write and read, as one-liners. */
export const write = (process: number, v: unknown, extra: Extra = {}): Raw[] => op(process, 'write', v, v, extra);
export const read = (process: number, v: unknown, extra: Extra = {}): Raw[] => op(process, 'read', null, v, extra);

/** The kv forms: `[key, value]`. */
export const kvWrite = (process: number, k: string, v: unknown, extra: Extra = {}): Raw[] => op(process, 'write', [k, v], [k, v], extra);
export const kvRead = (process: number, k: string, v: unknown, extra: Extra = {}): Raw[] => op(process, 'read', [k, null], [k, v], extra);

/** A nemesis event (a fault or its healing). */
export const nemesis = (f: string, time?: number): Raw => ({ process: 'nemesis', type: 'info', f, value: null, ...(time !== undefined ? { time } : {}) });

/** Stamps times 10 ns apart on ops that have none, in order. */
export function timed(ops: readonly Raw[], step = 10): Raw[] {
  return ops.map((o, i) => (o.time !== undefined ? o : { ...o, time: i * step }));
}
