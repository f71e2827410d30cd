import { VerdictError } from '../errors.js';
import { EdnStreamReader } from './edn-reader.js';
import type { HistoryFormat } from './op.js';
import { opFromRecord } from './op-record.js';
import type { OpSink } from './op-sink.js';
import { jsonArrayParser, jsonlParser } from './parse-json.js';
import { porcupineEtcdParser, porcupineKvParser } from './parse-porcupine.js';

export const HISTORY_FORMATS: readonly HistoryFormat[] = ['edn', 'json', 'jsonl', 'porcupine-etcd', 'porcupine-kv'];

/**
 * A format's reader: fed every line in order (numbered from 1), it puts ops into a sink;
 * `end` reports input left unfinished. Throws `VerdictError` at the first bad line.
 */
export interface LineParser {
  line(text: string, lineNo: number): void;
  end(): void;
}

export function createLineParser(format: HistoryFormat, sink: OpSink, source?: string): LineParser {
  switch (format) {
    case 'edn':
      return jepsenEdnParser(sink, source);
    case 'json':
      return jsonArrayParser(sink, source);
    case 'jsonl':
      return jsonlParser(sink, source);
    case 'porcupine-etcd':
      return porcupineEtcdParser(sink, source);
    case 'porcupine-kv':
      return porcupineKvParser(sink, source);
    default:
      // Formats arrive from users (API fields, CLI flags) as well as from typed code.
      throw new VerdictError('VRD_ERR_HISTORY_FORMAT', `${JSON.stringify(format)} (known: ${HISTORY_FORMATS.join(', ')})`, { file: source });
  }
}

/** Jepsen `history.edn`: op maps with keyword keys. */
function jepsenEdnParser(sink: OpSink, source?: string): LineParser {
  const reader = new EdnStreamReader((record, line) => sink.add(opFromRecord(record, { source, line })), source);
  return { line: (text, lineNo) => reader.line(text, lineNo), end: () => reader.end() };
}
