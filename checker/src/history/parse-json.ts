import type { LineParser } from './line-parser.js';
import { opFromRecord, parseError } from './op-record.js';
import type { OpSink } from './op-sink.js';

const BLANK = /^\s*$/;

/** JSONL: one op object a line; blank lines are skipped. Streams: holds one line at a time. */
export function jsonlParser(sink: OpSink, source?: string): LineParser {
  return {
    line(text, lineNo) {
      if (text.length === 0 || (text.charCodeAt(0) !== 123 /* { */ && BLANK.test(text))) return;
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch (e) {
        throw parseError(`malformed JSON: ${(e as Error).message}`, { source, line: lineNo });
      }
      sink.add(opFromRecord(record, { source, line: lineNo }));
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
      const perLine = recordsByLine(lines);
      if (perLine !== undefined) {
        for (const { record, line } of perLine) sink.add(opFromRecord(record, { source, line }));
        return;
      }
      const text = lines.join('\n');
      lines.length = 0;
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (e) {
        const message = (e as Error).message;
        throw parseError(`malformed JSON: ${message}`, { source, line: lineOfPosition(text, message) });
      }
      if (!Array.isArray(doc)) throw parseError('expected a JSON array of op objects', { source, line: 1 });
      for (let i = 0; i < doc.length; i++) sink.add(opFromRecord(doc[i], { source, opIndex: i }));
    },
  };
}

/** The records of an array laid out one object a line, or undefined for any other layout. */
function recordsByLine(lines: readonly string[]): { record: unknown; line: number }[] | undefined {
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
      out.push({ record: JSON.parse(t), line: i + 1 });
    } catch {
      return undefined;
    }
  }
  return expectMore && out.length > 0 ? undefined : out;
}

/** V8 names the failing character's position; turn it into a 1-based line. */
function lineOfPosition(text: string, message: string): number | undefined {
  const m = /position (\d+)/.exec(message);
  if (m === null) return undefined;
  const position = Math.min(Number(m[1]), text.length);
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < position; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
