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
  if (r.type === undefined || r.type === null) throw fieldError('type', 'missing type', at);
  const value = r.value === undefined ? null : r.value;
  let f = r.f;
  if (f === undefined && isMicroOpList(value)) f = 'txn';
  // A process id beyond 2^53 stays exact as its digits: pairing only compares ids.
  const process = typeof r.process === 'bigint' ? r.process.toString() : r.process;
  const op: Op = { index: 0, process: process as ProcessId, type: r.type as OpType, f: f as string, value };
  if (at.line !== undefined) op.line = at.line;
  if (r.time !== undefined && r.time !== null) {
    // Times order and label operations; one beyond 2^53 ns (an epoch timestamp) is rounded to a double.
    const time = typeof r.time === 'bigint' ? Number(r.time) : r.time;
    if (typeof time !== 'number' || !Number.isFinite(time)) throw fieldError('time', `time must be a number, got ${describe(r.time)}`, at);
    op.time = time;
  }
  if (r.node !== undefined && r.node !== null) op.node = idField('node', r.node, at);
  if (r.session !== undefined && r.session !== null) op.session = idField('session', r.session, at);
  if (r.user !== undefined && r.user !== null) op.user = idField('user', r.user, at);
  if (r.phase !== undefined && r.phase !== null) {
    if (typeof r.phase !== 'string') throw fieldError('phase', `phase must be a name, got ${describe(r.phase)}`, at);
    op.phase = r.phase;
  }
  if (r.error !== undefined && r.error !== null) op.error = r.error;
  // A missing process stays missing: the sink decides whether the history can do without.
  if (r.process === undefined || r.process === null) delete (op as Partial<Op>).process;
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
