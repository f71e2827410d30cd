import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { keywordOr, toEdn } from './edn-writer.js';
import type { History, Op } from './op.js';
import { valueToJson } from './value-json.js';

/**
 * The ops of a history, in index order, for export. A history read with `keepOps: false` has
 * none kept, so they are rebuilt from its operations and events; that loses only what pairing
 * dropped (an `info` completion is written with its invocation's value).
 */
export function exportOps(history: History): Op[] {
  if (history.ops.length > 0 || history.operations.length === 0) return history.ops;
  const ops: Op[] = [...history.events];
  for (const o of history.operations) {
    const invoke: Op = { index: o.call, process: o.process, type: 'invoke', f: o.f, value: o.input };
    if (o.time !== undefined) invoke.time = o.time;
    if (o.node !== undefined) invoke.node = o.node;
    if (o.session !== undefined) invoke.session = o.session;
    if (o.user !== undefined) invoke.user = o.user;
    if (o.phase !== undefined) invoke.phase = o.phase;
    ops.push(invoke);
    if (o.completionIndex === undefined) continue;
    const done: Op = { ...invoke, index: o.completionIndex, type: o.status, value: o.status === 'info' ? o.input : o.output };
    if (o.endTime !== undefined) done.time = o.endTime;
    else delete done.time;
    if (o.error !== undefined) done.error = o.error;
    ops.push(done);
  }
  return ops.sort((a, b) => a.index - b.index);
}

/** One op as a JSON object, in Jepsen's field order, without the parser's `line`. */
export function opToJson(op: Op): string {
  const out: Record<string, unknown> = { index: op.index, process: op.process, type: op.type, f: op.f, value: op.value ?? null };
  if (op.time !== undefined) out.time = op.time;
  if (op.node !== undefined) out.node = op.node;
  if (op.session !== undefined) out.session = op.session;
  if (op.user !== undefined) out.user = op.user;
  if (op.phase !== undefined) out.phase = op.phase;
  if (op.error !== undefined) out.error = op.error;
  return valueToJson(out);
}

/** The history as JSONL: one op a line, ending with a newline. */
export function historyToJsonl(history: History): string {
  const ops = exportOps(history);
  let text = '';
  for (const op of ops) text += `${opToJson(op)}\n`;
  return text;
}

const CHUNK_CHARS = 64 * 1024;

/**
 * Writes ops as JSONL to a stream, in chunks, waiting when the stream asks to (backpressure),
 * so a history of any size is exported in bounded memory. Does not end the stream.
 */
export async function writeHistoryJsonl(ops: Iterable<Op> | AsyncIterable<Op>, writable: Writable): Promise<void> {
  let buffer = '';
  const flush = async (): Promise<void> => {
    const chunk = buffer;
    buffer = '';
    if (!writable.write(chunk)) await once(writable, 'drain');
  };
  if (Symbol.iterator in ops) {
    for (const op of ops) {
      buffer += `${opToJson(op)}\n`;
      if (buffer.length >= CHUNK_CHARS) await flush();
    }
  } else {
    for await (const op of ops) {
      buffer += `${opToJson(op)}\n`;
      if (buffer.length >= CHUNK_CHARS) await flush();
    }
  }
  if (buffer.length > 0) await flush();
}

/**
 * The history as Jepsen EDN: a vector of op maps, one a line. `type`, `f`, a named process
 * (`:nemesis`) and the micro-op names of `txn` values are keywords; other strings stay strings.
 */
export function historyToEdn(history: History): string {
  const lines = exportOps(history).map(opToEdn);
  return `[${lines.join('\n ')}]\n`;
}

function opToEdn(op: Op): string {
  const parts = [
    `:index ${op.index}`,
    `:process ${typeof op.process === 'string' ? keywordOr(op.process) : toEdn(op.process)}`,
    `:type :${op.type}`,
    `:f ${keywordOr(op.f)}`,
    `:value ${op.f === 'txn' && Array.isArray(op.value) ? `[${op.value.map(microOpToEdn).join(' ')}]` : toEdn(op.value)}`,
  ];
  for (const field of ['time', 'node', 'session', 'user', 'phase', 'error'] as const) {
    if (op[field] !== undefined) parts.push(`:${field} ${toEdn(op[field])}`);
  }
  return `{${parts.join(' ')}}`;
}

function microOpToEdn(m: unknown): string {
  if (!Array.isArray(m) || typeof m[0] !== 'string') return toEdn(m);
  return `[${[keywordOr(m[0]), ...m.slice(1).map(toEdn)].join(' ')}]`;
}
