import { VerdictError } from '../errors.js';
import { EdnReader } from './edn-reader.js';
import { LineSplitter } from './line-splitter.js';
import type { HistoryFormat } from './op.js';
import { opFromEntries, opFromRecord } from './op-record.js';
import type { OpSink } from './op-sink.js';
import { jsonArrayParser, jsonlParser } from './parse-json.js';
import { porcupineEtcdParser, porcupineKvReader } from './parse-porcupine.js';

export const HISTORY_FORMATS: readonly HistoryFormat[] = ['edn', 'json', 'jsonl', 'porcupine-etcd', 'porcupine-kv'];

/**
 * A line format's reader: fed every line in order (numbered from 1), it puts ops into a sink;
 * `end` reports input left unfinished. Throws `VerdictError` at the first bad line.
 */
export interface LineParser {
  line(text: string, lineNo: number): void;
  end(): void;
}

/** A format's reader fed text in chunks of any size (a stream's, or a whole string at once). */
export interface TextParser {
  push(text: string): void;
  end(): void;
}

export interface TextParserOptions {
  source?: string;
  /** Longest line (for EDN: token or string) accepted, in characters; default 128 Mi. */
  lineLengthMax?: number;
}

/**
 * The reader of a format. EDN (Jepsen's histories and Porcupine's kv logs) is read by the
 * streaming EDN reader straight from the chunks, whatever its layout; the line formats (JSON,
 * JSONL, Porcupine's etcd logs) through a line splitter.
 */
export function createTextParser(format: HistoryFormat, sink: OpSink, options: TextParserOptions = {}): TextParser {
  const { source } = options;
  switch (format) {
    case 'edn': {
      // Op maps come as their entries (no object per op); anything else at top level is refused by opFromRecord.
      return new EdnReader((record, line) => sink.add(opFromRecord(record, { source, line })), {
        source,
        tokenLengthMax: options.lineLengthMax,
        onEntries: (entries, count, line) => sink.add(opFromEntries(entries, count, { source, line })),
      });
    }
    case 'porcupine-kv':
      return porcupineKvReader(sink, { source, tokenLengthMax: options.lineLengthMax });
    case 'json':
      return byLine(jsonArrayParser(sink, source), options);
    case 'jsonl':
      return byLine(jsonlParser(sink, source), options);
    case 'porcupine-etcd':
      return byLine(porcupineEtcdParser(sink, source), options);
    default:
      // Formats arrive from users (API fields, CLI flags) as well as from typed code.
      throw new VerdictError('VRD_ERR_HISTORY_FORMAT', `${JSON.stringify(format)} (known: ${HISTORY_FORMATS.join(', ')})`, { file: source });
  }
}

function byLine(parser: LineParser, options: TextParserOptions): TextParser {
  const splitter = new LineSplitter((line, lineNo) => parser.line(line, lineNo), { source: options.source, lineLengthMax: options.lineLengthMax });
  return {
    push: (text) => splitter.pushText(text),
    end: () => {
      splitter.end();
      parser.end();
    },
  };
}
