import type { VerdictError } from '../errors.js';
import { JsonTooDeepError, parseJsonExact } from './exact-json.js';
import type { LineParser } from './line-parser.js';
import { opFromRecord, parseError, type RecordPlace } from './op-record.js';
import type { OpSink } from './op-sink.js';
import { tooDeep } from './value-depth.js';

const BLANK = /^\s*$/;

/**
 * JSON text read exactly (integers beyond 2^53 as bigints, nesting bounded), with errors that
 * name the place: `VRD_ERR_HISTORY_PARSE`, or `VRD_ERR_HISTORY_TOO_DEEP`.
 */
function readJson(text: string, at: RecordPlace, lineOf?: (position: number) => number | undefined): unknown {
  try {
    return parseJsonExact(text);
  } catch (e) {
    if (e instanceof JsonTooDeepError) throw tooDeep({ ...at, line: lineOf?.(e.position) ?? at.line }, e.depthMax);
    const message = (e as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = position !== null && lineOf !== undefined ? lineOf(Number(position[1])) : at.line;
    throw parseError(`malformed JSON: ${message}`, { ...at, line });
  }
}

/** JSONL: one op object a line; blank lines are skipped. Streams: holds one line at a time. */
export function jsonlParser(sink: OpSink, source?: string): LineParser {
  return {
    line(text, lineNo) {
      if (text.length === 0 || (text.charCodeAt(0) !== 123 /* { */ && BLANK.test(text))) return;
      const at = { source, line: lineNo };
      sink.add(opFromRecord(readJson(text, at), at));
    },
    end() {},
  };
}

/**
 * A JSON array of op objects. Read whole (use JSONL for histories too big for memory).
 * When the array has one op a line, as most writers lay it out, each op keeps its line for
 * error messages; any other layout is parsed as one document and ops are named by position.
 */
export function jsonArrayParser(sink: OpSink, source?: string): LineParser {
  const lines: string[] = [];
  return {
    line(text) {
      lines.push(text);
    },
    end() {
      const perLine = recordsByLine(lines, source);
      if (perLine !== undefined) {
        for (const { record, line } of perLine) sink.add(opFromRecord(record, { source, line }));
        return;
      }
      const text = lines.join('\n');
      lines.length = 0;
      const doc = readJson(text, { source }, (position) => lineOfPosition(text, position));
      if (!Array.isArray(doc)) throw parseError('expected a JSON array of op objects', { source, line: 1 });
      for (let i = 0; i < doc.length; i++) sink.add(opFromRecord(doc[i], { source, opIndex: i }));
    },
  };
}

/** The records of an array laid out one object a line, or undefined for any other layout. */
function recordsByLine(lines: readonly string[], source: string | undefined): { record: unknown; line: number }[] | undefined {
  let first = 0;
  while (first < lines.length && BLANK.test(lines[first]!)) first++;
  let last = lines.length - 1;
  while (last >= first && BLANK.test(lines[last]!)) last--;
  if (first > last) return undefined;
  const out: { record: unknown; line: number }[] = [];
  let expectMore = true;
  for (let i = first; i <= last; i++) {
    let t = lines[i]!.trim();
    if (i === first) {
      if (!t.startsWith('[')) return undefined;
      t = t.slice(1).trimStart();
    }
    if (i === last) {
      if (!t.endsWith(']')) return undefined;
      t = t.slice(0, -1).trimEnd();
    }
    if (t.length === 0) continue;
    if (!expectMore) return undefined; // a missing comma between two ops
    expectMore = t.endsWith(',');
    if (expectMore) t = t.slice(0, -1);
    if (t[0] !== '{') return undefined;
    try {
      out.push({ record: readJson(t, { source, line: i + 1 }), line: i + 1 });
    } catch (e) {
      // Too deep is the answer whatever the layout; anything else may parse as one document.
      if ((e as VerdictError).code === 'VRD_ERR_HISTORY_TOO_DEEP') throw e;
      return undefined;
    }
  }
  return expectMore && out.length > 0 ? undefined : out;
}

/** The 1-based line of a position in the text. */
function lineOfPosition(text: string, position: number): number {
  const end = Math.min(position, text.length);
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
