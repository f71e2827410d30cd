import { isAscii } from 'node:buffer';
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { VerdictError } from '../errors.js';
import { DETECT_SAMPLE_CHARS, detectFormat } from './detect-format.js';
import { createTextParser, type TextParser } from './line-parser.js';
import type { History, HistoryFormat } from './op.js';
import { opFromRecord } from './op-record.js';
import { OpSink } from './op-sink.js';
import { nestsDeeperThan, tooDeep } from './value-depth.js';

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

export interface ReadHistoryFileOptions extends ReadHistoryOptions {
  /**
   * Read a plain (not `.gz`) file with blocking reads, chunk by chunk as the stream does: for a
   * caller with nothing else to do meanwhile (a command line). A stream's every chunk is a
   * round trip through the thread pool and the event loop, which on a busy machine costs more
   * wall time than the parsing. Default false: a service's event loop must not wait on a disk.
   */
  blocking?: boolean;
}

/**
 * Chunk size of file reads: memory holds one chunk and one partial line, not the file. 64 KiB
 * (measured, fresh processes): 1 MiB reads cost a fifth more CPU on a 48 MB EDN history and a
 * tenth more on JSONL; a small chunk is scanned while its text is still in cache.
 */
const READ_CHUNK_BYTES = 64 * 1024;

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
  const parser = createTextParser(format, sink, { source: options.source, lineLengthMax: Infinity });
  parser.push(text);
  parser.end();
  return sink.finish();
}

/**
 * Builds a history from op maps already decoded (a JSON request body's array): the rules and
 * errors of parsing JSON text, each op named by its position. Nesting deeper than
 * VALUE_DEPTH_MAX is VRD_ERR_HISTORY_TOO_DEEP, checked without recursion.
 */
export function historyFromRecords(records: readonly unknown[], options: ParseHistoryOptions = {}): History {
  const sink = new OpSink({ source: options.source, format: options.format ?? 'json', keepOps: options.keepOps });
  for (let i = 0; i < records.length; i++) {
    const at = { source: options.source, opIndex: i };
    if (nestsDeeperThan(records[i])) throw tooDeep(at);
    sink.add(opFromRecord(records[i], at));
  }
  return sink.finish();
}

/**
 * Reads a history file as a stream: EDN is read as it arrives whatever its layout, JSONL and
 * Porcupine logs line by line, so memory holds the history being built and never the file's
 * text (a JSON array is read whole).
 * A path ending in `.gz` is decompressed. `options.source` defaults to the path.
 */
export async function readHistoryFile(path: string, options: ReadHistoryFileOptions = {}): Promise<History> {
  if (options.blocking === true && !path.endsWith('.gz')) {
    const history = readFileBlocking(path, { ...options, source: options.source ?? path });
    if (history !== undefined) return history;
  }
  // A `.gz` file is decompressed on the way; pipeline passes a read error on to the reader.
  // zlib is loaded only then (before the file is opened, so no error event goes unheard): most
  // checks are of plain files, and a check starts faster without it.
  const gunzip = path.endsWith('.gz') ? (await import('node:zlib')).createGunzip({ chunkSize: READ_CHUNK_BYTES }) : undefined;
  // Decompressed text comes in the same size as reads (gunzip's default, 16 KiB, costs a twentieth more).
  const file = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
  const stream = gunzip !== undefined ? pipeline(file, gunzip, () => {}) : file;
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
  const reader = new HistoryTextReader(options, nameHint);
  for await (const chunk of stream) reader.push(typeof chunk === 'string' ? chunk : (chunk as Buffer));
  return reader.finish();
}

/**
 * `readHistoryFile` with blocking reads: the same chunks, decoding and parsing as the stream's.
 * Undefined when the path is not a regular file (a pipe, `/dev/stdin`): the stream reads those.
 */
function readFileBlocking(path: string, options: ReadHistoryOptions): History | undefined {
  const fd = openSync(path, 'r');
  try {
    if (!fstatSync(fd).isFile()) return undefined;
    const reader = new HistoryTextReader(options, path);
    const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    // The chunk is decoded (copied) before the buffer is read into again.
    for (let n = readSync(fd, buffer, 0, buffer.length, null); n > 0; n = readSync(fd, buffer, 0, buffer.length, null)) reader.push(buffer.subarray(0, n));
    return reader.finish();
  } finally {
    closeSync(fd);
  }
}

/** Text in chunks to a history: decodes, detects the format from the first text, parses. */
class HistoryTextReader {
  private readonly decoder: Utf8Decoder;
  private sample = '';
  private sampleHasText = false;
  private reading: { parser: TextParser; sink: OpSink } | undefined;

  constructor(private readonly options: ReadHistoryOptions, private readonly nameHint: string | undefined) {
    this.decoder = new Utf8Decoder(options.source);
  }

  push(chunk: string | Buffer): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    if (this.reading !== undefined) {
      this.reading.parser.push(text);
      return;
    }
    // Hold the start of the input until it is more than blank and, unless the format is named,
    // there is enough of it to tell the format.
    this.sample += text;
    // Only the new text is searched: the sample may be megabytes of blanks (a gzip bomb of spaces).
    if (!this.sampleHasText) this.sampleHasText = /\S/.test(text);
    if ((this.options.format !== undefined || this.sample.length >= DETECT_SAMPLE_CHARS) && this.sampleHasText) {
      this.reading = startReading(this.sample, this.options, this.nameHint);
      this.sample = '';
    }
  }

  finish(): History {
    const tail = this.decoder.end();
    let reading = this.reading;
    if (reading === undefined) reading = startReading(this.sample + tail, this.options, this.nameHint);
    else if (tail.length > 0) reading.parser.push(tail);
    reading.parser.end();
    return reading.sink.finish();
  }
}

function startReading(sample: string, options: ReadHistoryOptions, nameHint: string | undefined): { parser: TextParser; sink: OpSink } {
  if (!/\S/.test(sample)) throw emptyInput(options.source);
  // Detection looks at the text, wherever it starts after leading blanks.
  const text = sample.search(/\S/);
  const format = options.format ?? detectFormat(sample.slice(text, text + DETECT_SAMPLE_CHARS), nameHint);
  const sink = new OpSink({ source: options.source, format, keepOps: options.keepOps });
  const parser = createTextParser(format, sink, { source: options.source, lineLengthMax: options.lineLengthMax });
  parser.push(sample);
  return { parser, sink };
}

function emptyInput(source: string | undefined): VerdictError {
  return new VerdictError('VRD_ERR_HISTORY_EMPTY', 'the input is empty', { file: source });
}

/**
 * UTF-8 bytes to text, chunk by chunk. Histories are nearly always ASCII, which decodes as a plain
 * copy (latin1), several times faster than UTF-8 decoding; a chunk with other bytes, or after a
 * chunk that ended inside a multi-byte character, goes through a fatal TextDecoder.
 */
class Utf8Decoder {
  /** Fatal: bytes that are not UTF-8 are refused, never read as replacement characters. */
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  /** True when the decoder holds no partial character (the last byte it saw was ASCII). */
  private clean = true;
  private bytesSeen = 0;

  constructor(private readonly source: string | undefined) {}

  write(chunk: Buffer): string {
    const at = this.bytesSeen;
    this.bytesSeen += chunk.length;
    if (this.clean && isAscii(chunk)) return chunk.toString('latin1');
    this.clean = chunk.length === 0 ? this.clean : chunk[chunk.length - 1]! < 0x80;
    return this.decode(chunk, true, at);
  }

  end(): string {
    return this.decode(new Uint8Array(0), false, this.bytesSeen);
  }

  private decode(bytes: Uint8Array, stream: boolean, at: number): string {
    try {
      return this.decoder.decode(bytes, { stream });
    } catch {
      throw new VerdictError('VRD_ERR_HISTORY_PARSE', `the input is not valid UTF-8 (in the bytes from offset ${at})`, { file: this.source });
    }
  }
}
