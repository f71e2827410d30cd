import { isVerdictError } from '../errors.js';
import { exactInteger } from '../models/values.js';
import { EdnReader } from './edn-reader.js';
import { parseEdnValue } from './edn-values.js';
import type { LineParser, TextParser } from './line-parser.js';
import { LineSplitter } from './line-splitter.js';
import type { Op, OpType } from './op.js';
import { describe, fieldError, opFromRecord, parseError, type RecordPlace } from './op-record.js';
import type { OpSink } from './op-sink.js';
import { tooDeep, VALUE_DEPTH_MAX } from './value-depth.js';

/**
 * `... jepsen.util - <message>` (Porcupine's logs) or `... [thread] jepsen.util: <message>`
 * (Jepsen's logback layout): the logger Jepsen printed each op with.
 */
const JEPSEN_UTIL = /\bjepsen\.util(?:\s+-|:)\s(.*)$/;
/**
 * A jepsen.util message that starts like an op: a process, then a keyword (its type; the builder
 * says whether the type is one it knows). Plain messages ("Relative time begins now") do not.
 */
const OP_LIKE = /^\s*\S+\s+:[^\s:]/;
/** Another logger's message that starts like an op: a process, then `:invoke`, `:ok`, `:fail` or `:info`. */
const OP_LIKE_ELSEWHERE = /^\s*\S+\s+:(?:invoke|ok|fail|info)(?=\s|$)/;
/**
 * `<process> :<type> :<f> <value>`, the columns separated by any whitespace (Jepsen prints tabs;
 * Porcupine's own parser takes any whitespace, and so do we). The value is the rest of the line.
 */
const OP_MESSAGE = /^\s*(\S+)\s+:(\S+)\s+:(\S+)(?:\s+(.*?))?\s*$/;
/**
 * Log noise, and only that: a record of another logger (`[time] LEVEL logger - message`), or a
 * Java exception and its stack trace. Any other line is an error rather than silently skipped, since a
 * skipped op would change the verdict.
 */
const LOG_RECORD = /^(?:\S+\s+){0,3}(?:TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\s+(?:\[[^\]]*\]\s+)?([\w.$-]+)(?:\s+-|:)\s(.*)$/;
const STACK_TRACE = /^\s+at\s|^\s*Caused by:|^\s*\.\.\.\s\d+\s+more\s*$|^[\w$.]+(?:Exception|Error)(?::\s.*)?$/;
const BLANK = /^\s*$/;
const INTEGER = /^-?\d+$/;
/**
 * A jepsen.util op line as Jepsen lays it out, tab-separated, with a value the general path reads
 * as nil, an integer or an integer pair, or (completions that failed or timed out) an error keyword.
 */
const CANONICAL_ETCD_LINE = /^INFO  jepsen\.util - (\d+)\t:(invoke|ok|fail|info)\t:([a-z][a-z-]*)\t(nil|-?\d+|\[(-?\d+) (-?\d+)\]|:[a-z][a-z-]*)$/;
/** A cas's `[expected new]`, the one vector etcd logs carry: read without starting an EDN reader. */
const INTEGER_PAIR = /^\[(-?\d+)\s+(-?\d+)\]$/;

/**
 * Porcupine's etcd logs (Jepsen 0.x console output). A keyword in the value column of a `fail`
 * or `info` completion is its error, not its value: `:info :cas :timed-out` has an unknown
 * outcome, `:fail :read :timed-out` and `:fail :cas :timed-out` failed without observing anything
 * (see the register model's etcd reading).
 *
 * Never drops an op: a jepsen.util message that starts like one (a process, then `:invoke`,
 * `:ok`, `:fail` or `:info`) must parse as one, and another logger's message that does is an
 * error too.
 */
export function porcupineEtcdParser(sink: OpSink, source?: string): LineParser {
  return {
    line(text, lineNo) {
      const c = CANONICAL_ETCD_LINE.exec(text);
      // (A keyword is an error only in a failed or timed-out completion: otherwise the general path reads it.)
      if (c !== null && (!c[4]!.startsWith(':') || c[2] === 'fail' || c[2] === 'info')) {
        // The layout Jepsen printed (and the generated logs): one anchored match instead of the
        // general path's four, read exactly as that path reads it.
        const type = knownName(c[2]!) as OpType;
        const op: Op = { index: 0, process: processOf(c[1]!, { source, line: lineNo }), type, f: knownName(c[3]!), value: null, line: lineNo };
        const raw = c[4]!;
        if (raw.startsWith(':')) op.error = raw.slice(1);
        else if (raw !== 'nil') op.value = raw.startsWith('[') ? [exactInteger(c[5]!), exactInteger(c[6]!)] : exactInteger(raw);
        sink.add(op);
        return;
      }
      const at: RecordPlace = { source, line: lineNo };
      const message = JEPSEN_UTIL.exec(text)?.[1];
      if (message === undefined) {
        if (BLANK.test(text) || STACK_TRACE.test(text)) return;
        const record = LOG_RECORD.exec(text);
        if (record === null) throw parseError('not a jepsen.util op line, and not recognisable log noise', at);
        if (OP_LIKE_ELSEWHERE.test(record[2]!)) throw parseError(`looks like an op, but logged by ${record[1]}, not jepsen.util`, at);
        return;
      }
      // jepsen.util also logs plain messages ("Relative time begins now"): those are noise.
      if (!OP_LIKE.test(message)) return;
      const m = OP_MESSAGE.exec(message);
      if (m === null) throw parseError('malformed jepsen.util op line (expected process, :type, :f and value separated by whitespace)', at);
      const type = m[2] as OpType;
      const op: Op = { index: 0, process: processOf(m[1]!, at), type, f: m[3]!, value: null, line: lineNo };
      const raw = m[4] ?? 'nil';
      if (raw.startsWith(':') && (type === 'fail' || type === 'info')) op.error = raw.slice(1);
      else op.value = valueOf(raw, at);
      sink.add(op);
    },
    end() {},
  };
}

/**
 * The usual op types and functions as the one string each: a regex capture is a new string every
 * line, and the operation keeps its type and function for the whole check (less to copy at each
 * collection while a large history is read).
 */
function knownName(text: string): string {
  switch (text) {
    case 'invoke': return 'invoke';
    case 'ok': return 'ok';
    case 'fail': return 'fail';
    case 'info': return 'info';
    case 'read': return 'read';
    case 'write': return 'write';
    case 'cas': return 'cas';
    case 'get': return 'get';
    case 'put': return 'put';
    case 'append': return 'append';
    default: return text;
  }
}

function processOf(text: string, at: RecordPlace): number | string {
  if (INTEGER.test(text)) {
    const n = exactInteger(text);
    return typeof n === 'bigint' ? n.toString() : n;
  }
  if (text.startsWith(':') && text.length > 1) return text.slice(1);
  throw fieldError('process', `process must be an integer or a keyword, got ${describe(text)}`, at);
}

function valueOf(text: string, at: RecordPlace): unknown {
  if (text === 'nil' || text === '') return null;
  if (INTEGER.test(text)) return exactInteger(text);
  const pair = INTEGER_PAIR.exec(text);
  if (pair !== null) return [exactInteger(pair[1]!), exactInteger(pair[2]!)];
  try {
    // The log line is the op's first level, as an op map is in EDN: its value may nest one less.
    return parseEdnValue(text, VALUE_DEPTH_MAX - 1);
  } catch (e) {
    if (isVerdictError(e) && e.code === 'VRD_ERR_HISTORY_TOO_DEEP') throw tooDeep(at);
    throw fieldError('value', isVerdictError(e) ? (e as { reason: string }).reason : (e as Error).message, at);
  }
}

/**
 * One op map a line in the layout Porcupine's kv logs are written in; strings without escapes.
 * Lines like this are read by this one regex; anything else goes through the EDN reader.
 */
const KV_LINE = /^\{:process (-?\d+), :type :(invoke|ok|fail|info), :f :([a-z][\w-]*), :key "([^"\\]*)", :value (?:nil|"([^"\\]*)")\}$/;

/**
 * Porcupine's kv logs: one EDN map a line with `:key` and `:value` beside Jepsen's fields.
 * The op's value becomes `[key, value]`, the form the kv model reads. Lines in Porcupine's own
 * layout take a fast path; from the first line that is not (another layout, a map over several
 * lines, escapes), the streaming EDN reader reads the rest, with the same line numbers.
 */
export function porcupineKvReader(sink: OpSink, options: { source?: string; tokenLengthMax?: number; lineLengthMax?: number }): TextParser {
  const { source } = options;
  const add = (record: Record<string, unknown>, line: number): void => {
    const at: RecordPlace = { source, line };
    const op = opFromRecord(record, at);
    const key = record.key;
    if (key === undefined || key === null) throw fieldError('key', 'missing key', at);
    op.value = [key, record.value ?? null];
    sink.add(op);
  };
  let edn: EdnReader | undefined;
  const keys = new Map<string, string>();
  /** Per key, the one `[key, nil]` value of every op with no value (a get's invocation): never changed, so shared. */
  const nilValues = new Map<string, [string, null]>();
  const splitter = new LineSplitter((text, lineNo) => {
    if (edn === undefined) {
      const m = KV_LINE.exec(text);
      if (m !== null) {
        // The op `add` would make of this record, made directly: this runs once a line.
        const process = exactInteger(m[1]!);
        // One string per key, not one per op (a log has few keys).
        const captured = m[4]!;
        let key = keys.get(captured);
        if (key === undefined) keys.set(key = ownString(captured), key);
        let value: [string, string | null];
        if (m[5] === undefined) {
          value = nilValues.get(key)!;
          if (value === undefined) nilValues.set(key, (value = [key, null]));
        } else {
          value = [key, ownString(m[5])];
        }
        sink.add({ index: 0, process: typeof process === 'bigint' ? process.toString() : process, type: knownName(m[2]!) as OpType, f: knownName(m[3]!), value, line: lineNo });
        return;
      }
      edn = new EdnReader((record, line) => add(record as Record<string, unknown>, line), options);
      // The lines read already, as empty ones: the reader's line numbers stay the file's.
      if (lineNo > 1) edn.push('\n'.repeat(lineNo - 1));
    }
    edn.push(`${text}\n`);
  }, { source, lineLengthMax: options.lineLengthMax ?? options.tokenLengthMax });
  return {
    push: (text) => splitter.pushText(text),
    end: () => {
      splitter.end();
      edn?.end();
    },
  };
}

/**
 * `text` as a string of its own. A regex capture of 13 characters or more is a slice of the text
 * it was found in, which here is the whole 64 KiB chunk the line came from: a kept value (a get's
 * result, long after appends) would keep every chunk of the file alive, and each young-generation
 * collection would copy them (the 50,000-op kv log: 21 MiB kept after reading, 14.5 with copies).
 */
function ownString(text: string): string {
  return text.length < 13 ? text : (JSON.parse(JSON.stringify(text)) as string);
}
