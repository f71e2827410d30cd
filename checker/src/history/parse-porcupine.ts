import { EdnStreamReader } from './edn-reader.js';
import { parseEdnValue } from './edn-values.js';
import type { LineParser } from './line-parser.js';
import type { Op, OpType } from './op.js';
import { describe, fieldError, opFromRecord, parseError, type RecordPlace } from './op-record.js';
import type { OpSink } from './op-sink.js';

/**
 * `... jepsen.util - <message>` (Porcupine's logs) or `... [thread] jepsen.util: <message>`
 * (Jepsen's logback layout): the logger Jepsen printed each op with.
 */
const JEPSEN_UTIL = /\bjepsen\.util(?:\s+-|:)\s(.*)$/;
/** `<process>\t:<type>\t:<f>\t<value>` */
const OP_MESSAGE = /^\s*(\S+)\t:([^\t\s]+)\t:([^\t\s]+)(?:\t(.*))?$/;
/**
 * Log noise, and only that: a record of another logger (`[time] LEVEL logger - message`), or a
 * Java exception and its stack trace. Any other line is an error rather than silently skipped, since a
 * skipped op would change the verdict.
 */
const LOG_RECORD = /^(?:\S+\s+){0,3}(?:TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\s+(?:\[[^\]]*\]\s+)?[\w.$-]+(?:\s+-|:)\s/;
const STACK_TRACE = /^\s+at\s|^\s*Caused by:|^\s*\.\.\.\s\d+\s+more\s*$|^[\w$.]+(?:Exception|Error)(?::\s.*)?$/;
const BLANK = /^\s*$/;
const INTEGER = /^-?\d+$/;

/**
 * Porcupine's etcd logs (Jepsen 0.x console output). A keyword in the value column of a `fail`
 * or `info` completion is its error, not its value: `:info :cas :timed-out` has an unknown
 * outcome, `:fail :read :timed-out` is a failed read whose value is null.
 */
export function porcupineEtcdParser(sink: OpSink, source?: string): LineParser {
  return {
    line(text, lineNo) {
      const at: RecordPlace = { source, line: lineNo };
      const util = JEPSEN_UTIL.exec(text);
      const message = util?.[1];
      if (message === undefined || !message.includes('\t')) {
        // jepsen.util also logs plain messages (no tab columns): those are noise as well.
        if (util !== null || BLANK.test(text) || LOG_RECORD.test(text) || STACK_TRACE.test(text)) return;
        throw parseError('not a jepsen.util op line, and not recognisable log noise', at);
      }
      const m = OP_MESSAGE.exec(message);
      if (m === null) throw parseError('malformed jepsen.util op line (expected process, :type, :f and value separated by tabs)', at);
      const type = m[2] as OpType;
      const op: Op = { index: 0, process: processOf(m[1]!, at), type, f: m[3]!, value: null, line: lineNo };
      const raw = (m[4] ?? 'nil').trim();
      if (raw.startsWith(':') && (type === 'fail' || type === 'info')) op.error = raw.slice(1);
      else op.value = valueOf(raw, at);
      sink.add(op);
    },
    end() {},
  };
}

function processOf(text: string, at: RecordPlace): number | string {
  if (INTEGER.test(text)) return Number(text);
  if (text.startsWith(':') && text.length > 1) return text.slice(1);
  throw fieldError('process', `process must be an integer or a keyword, got ${describe(text)}`, at);
}

function valueOf(text: string, at: RecordPlace): unknown {
  if (text === 'nil' || text === '') return null;
  if (INTEGER.test(text)) return Number(text);
  try {
    return parseEdnValue(text);
  } catch (e) {
    throw fieldError('value', (e as Error).message, at);
  }
}

/**
 * Porcupine's kv logs: one EDN map a line with `:key` and `:value` beside Jepsen's fields.
 * The op's value becomes `[key, value]`, the form the kv model reads.
 */
export function porcupineKvParser(sink: OpSink, source?: string): LineParser {
  const reader = new EdnStreamReader((record, line) => {
    const at: RecordPlace = { source, line };
    const op = opFromRecord(record, at);
    const key = (record as Record<string, unknown>).key;
    if (key === undefined || key === null) throw fieldError('key', 'missing key', at);
    op.value = [key, (record as Record<string, unknown>).value ?? null];
    sink.add(op);
  }, source);
  return { line: (text, lineNo) => reader.line(text, lineNo), end: () => reader.end() };
}
