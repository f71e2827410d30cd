import { createReadStream } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { VerdictError } from '../errors.js';
import { DETECT_SAMPLE_CHARS, detectFormat } from './detect-format.js';
import { createLineParser, type LineParser } from './line-parser.js';
import { LineSplitter, forEachLine } from './line-splitter.js';
import type { History, HistoryFormat } from './op.js';
import { OpSink } from './op-sink.js';

export { detectFormat } from './detect-format.js';

/** How to read a history. */
export interface ParseHistoryOptions {
  /** The input's format; detected from its first lines (and `source`'s extension) when absent. */
  format?: HistoryFormat;
  /** A name for the input (a file path, an upload's name): used in error messages and as a format hint. */
  source?: string;
  /**
   * Keep the raw ops (default true). With `false` only the paired `operations` and the nemesis
   * `events` are kept, which roughly halves the memory of a huge history.
   */
  keepOps?: boolean;
}

export interface ReadHistoryOptions extends ParseHistoryOptions {
  /** Longest line accepted, in characters (default 128 Mi): a longer one is `VRD_ERR_HISTORY_TOO_LARGE`. */
  lineLengthMax?: number;
}

/**
 * Parses a whole history held in memory. Returns a complete, validated `History` or throws a
 * `VerdictError` naming the source, line, field and reason: never part of a history.
 *
 * Rules beyond Jepsen's own, for inputs other tools accept:
 * - an op with no `f` whose value is a list of micro-op vectors is a transaction (`f: "txn"`);
 * - when no op names a process, completions pair with the oldest open invocation (FIFO) and each
 *   pair gets its own process id; `history.warnings` says so.
 */
export function parseHistory(text: string, options: ParseHistoryOptions = {}): History {
  if (!/\S/.test(text)) throw emptyInput(options.source);
  const format = options.format ?? detectFormat(text.slice(0, DETECT_SAMPLE_CHARS), options.source);
  const sink = new OpSink({ source: options.source, format, keepOps: options.keepOps });
  const parser = createLineParser(format, sink, options.source);
  forEachLine(text, (line, lineNo) => parser.line(line, lineNo));
  parser.end();
  return sink.finish();
}

/**
 * Reads a history file as a stream: JSONL, EDN and Porcupine logs are parsed line by line, so
 * memory holds the history being built and never the file's text (a JSON array is read whole).
 * A path ending in `.gz` is decompressed. `options.source` defaults to the path.
 */
export async function readHistoryFile(path: string, options: ReadHistoryOptions = {}): Promise<History> {
  const file = createReadStream(path, { highWaterMark: 1024 * 1024 });
  // A `.gz` file is decompressed on the way; pipeline passes a read error on to the reader.
  const stream = path.endsWith('.gz') ? pipeline(file, createGunzip(), () => {}) : file;
  return readFrom(stream, { ...options, source: options.source ?? path }, path);
}

/**
 * Reads a history from a stream of bytes (an HTTP upload, already decompressed), line by line.
 * `options.source` names it in errors, and its extension is a format hint.
 */
export async function readHistoryStream(stream: Readable, options: ReadHistoryOptions = {}): Promise<History> {
  return readFrom(stream, options, options.source);
}

async function readFrom(stream: Readable, options: ReadHistoryOptions, nameHint: string | undefined): Promise<History> {
  const decoder = new StringDecoder('utf8');
  let sample = '';
  let reading: { splitter: LineSplitter; parser: LineParser; sink: OpSink } | undefined;
  for await (const chunk of stream) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    if (reading !== undefined) {
      reading.splitter.pushText(text);
      continue;
    }
    // Hold the start of the input until it is more than blank and, unless the format is named,
    // there is enough of it to tell the format.
    sample += text;
    if ((options.format !== undefined || sample.length >= DETECT_SAMPLE_CHARS) && /\S/.test(sample)) {
      reading = startReading(sample, options, nameHint);
      sample = '';
    }
  }
  const tail = decoder.end();
  if (reading === undefined) reading = startReading(sample + tail, options, nameHint);
  else if (tail.length > 0) reading.splitter.pushText(tail);
  reading.splitter.end();
  reading.parser.end();
  return reading.sink.finish();
}

function startReading(sample: string, options: ReadHistoryOptions, nameHint: string | undefined): { splitter: LineSplitter; parser: LineParser; sink: OpSink } {
  if (!/\S/.test(sample)) throw emptyInput(options.source);
  const format = options.format ?? detectFormat(sample.slice(0, DETECT_SAMPLE_CHARS), nameHint);
  const sink = new OpSink({ source: options.source, format, keepOps: options.keepOps });
  const parser = createLineParser(format, sink, options.source);
  const splitter = new LineSplitter((line, lineNo) => parser.line(line, lineNo), { source: options.source, lineLengthMax: options.lineLengthMax });
  splitter.pushText(sample);
  return { splitter, parser, sink };
}

function emptyInput(source: string | undefined): VerdictError {
  return new VerdictError('VRD_ERR_HISTORY_EMPTY', 'the input is empty', { file: source });
}
