import { VerdictError } from '../errors.js';
import type { Op, OpType, ProcessId } from './op.js';

/** Where a record came from, for error messages. */
export interface RecordPlace {
  source?: string;
  line?: number;
  /** Position of the record in the input, when its line is not known. */
  opIndex?: number;
}

/** A syntax error in the input at a known place. */
export function parseError(reason: string, at: RecordPlace): VerdictError {
  return new VerdictError('VRD_ERR_HISTORY_PARSE', reason, { file: at.source, line: at.line, opIndex: at.opIndex });
}

/** A well-formed record with a bad field. */
export function fieldError(field: string, reason: string, at: RecordPlace): VerdictError {
  return new VerdictError('VRD_ERR_HISTORY_FIELD', reason, { file: at.source, line: at.line, opIndex: at.opIndex, field });
}

/**
 * Turns one decoded op map (a JSON object, or an EDN map whose keywords are already strings)
 * into an `Op`. Known keys are checked; unknown keys are ignored. The source `index` is not
 * kept: the builder numbers ops densely. `type`, `f` and `process` are checked by the builder.
 *
 * An op without `f` whose value is a list of micro-op vectors (`[["append", 9, 2], ...]`, as in
 * Elle's paper example) is a transaction: `f` becomes `"txn"`.
 */
export function opFromRecord(record: unknown, at: RecordPlace): Op {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    throw parseError(`expected an operation map, got ${describe(record)}`, at);
  }
  const r = record as Record<string, unknown>;
  return opFromFields(r.type, r.f, r.value, r.process, r.time, r.node, r.session, r.user, r.phase, r.error, at);
}

/**
 * `opFromRecord` for a map given as its entries, `[name, value, name, value, ...]` (the first
 * `count` items; a name given twice takes its last value, as in a map): the EDN reader hands
 * each op map over so, sparing an object per op that would only be read once.
 */
export function opFromEntries(entries: readonly unknown[], count: number, at: RecordPlace): Op {
  let type: unknown, f: unknown, value: unknown, process: unknown, time: unknown;
  let node: unknown, session: unknown, user: unknown, phase: unknown, error: unknown;
  for (let i = 0; i < count; i += 2) {
    const v = entries[i + 1];
    switch (entries[i] as string) {
      case 'type': type = v; break;
      case 'f': f = v; break;
      case 'value': value = v; break;
      case 'process': process = v; break;
      case 'time': time = v; break;
      case 'node': node = v; break;
      case 'session': session = v; break;
      case 'user': user = v; break;
      case 'phase': phase = v; break;
      case 'error': error = v; break;
      default: // unknown keys are ignored
    }
  }
  return opFromFields(type, f, value, process, time, node, session, user, phase, error, at);
}

/** An op from its known fields, each undefined when absent. */
function opFromFields(type: unknown, fField: unknown, valueField: unknown, processField: unknown, timeField: unknown,
  node: unknown, session: unknown, user: unknown, phase: unknown, error: unknown, at: RecordPlace): Op {
  if (type === undefined || type === null) throw fieldError('type', 'missing type', at);
  const value = valueField === undefined ? null : valueField;
  let f = fField;
  if (f === undefined && isMicroOpList(value)) f = 'txn';
  // A process id beyond 2^53 stays exact as its digits: pairing only compares ids.
  const process = typeof processField === 'bigint' ? processField.toString() : processField;
  const op: Op = { index: 0, process: process as ProcessId, type: type as OpType, f: f as string, value };
  if (at.line !== undefined) op.line = at.line;
  if (timeField !== undefined && timeField !== null) {
    // Times order and label operations; one beyond 2^53 ns (an epoch timestamp) is rounded to a double.
    const time = typeof timeField === 'bigint' ? Number(timeField) : timeField;
    if (typeof time !== 'number' || !Number.isFinite(time)) throw fieldError('time', `time must be a number, got ${describe(timeField)}`, at);
    op.time = time;
  }
  if (node !== undefined && node !== null) op.node = idField('node', node, at);
  if (session !== undefined && session !== null) op.session = idField('session', session, at);
  if (user !== undefined && user !== null) op.user = idField('user', user, at);
  if (phase !== undefined && phase !== null) {
    if (typeof phase !== 'string') throw fieldError('phase', `phase must be a name, got ${describe(phase)}`, at);
    op.phase = phase;
  }
  if (error !== undefined && error !== null) op.error = error;
  // A missing process stays missing: the sink decides whether the history can do without.
  if (processField === undefined || processField === null) delete (op as Partial<Op>).process;
  return op;
}

function idField(field: string, v: unknown, at: RecordPlace): string | number {
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'bigint') return v.toString();
  throw fieldError(field, `${field} must be a name or a number, got ${describe(v)}`, at);
}

/** `[[op, ...], ...]` where every op name is a string: Elle's transaction value. */
function isMicroOpList(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0
    && value.every((m) => Array.isArray(m) && m.length > 0 && typeof m[0] === 'string');
}

/** A short description of a value for error messages (never the whole value). */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  const text = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
