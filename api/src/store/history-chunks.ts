import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { valueToJson, type Op } from '@verdict/checker';

/** A run of consecutive JSONL lines, gzip-compressed: one `history_chunks` row. */
export interface HistoryChunkData {
  seq: number;
  firstLine: number;
  lines: number;
  data: Uint8Array<ArrayBuffer>;
}

export interface EncodedHistory {
  chunks: HistoryChunkData[];
  events: number;
  /** Uncompressed JSONL bytes. */
  bytes: number;
  storedBytes: number;
}

/** Chunks stay small enough to stream one at a time and large enough to compress well. */
const CHUNK_BYTES_MAX = 1 << 20;
const CHUNK_LINES_MAX = 20_000;

/**
 * A history's ops as JSONL (Jepsen's op maps, one per line, the one format inside Verdict) in
 * gzip chunks. Storing chunks, not one JSON value, lets the API stream a history of any size and
 * lets workers parse it line by line.
 */
export function encodeHistory(ops: Iterable<Op>): EncodedHistory {
  const chunks: HistoryChunkData[] = [];
  let lines: string[] = [];
  let pending = 0;
  let events = 0;
  let bytes = 0;
  let storedBytes = 0;
  const flush = (): void => {
    if (lines.length === 0) return;
    const data = gzipSync(lines.join(''), { level: 6 });
    chunks.push({ seq: chunks.length, firstLine: events - lines.length + 1, lines: lines.length, data: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)) });
    storedBytes += data.byteLength;
    lines = [];
    pending = 0;
  };
  for (const op of ops) {
    const line = `${opToJson(op)}\n`;
    lines.push(line);
    events++;
    pending += line.length;
    bytes += Buffer.byteLength(line);
    if (pending >= CHUNK_BYTES_MAX || lines.length >= CHUNK_LINES_MAX) flush();
  }
  flush();
  return { chunks, events, bytes, storedBytes };
}

/** One op as a JSON line: its recorded fields, without the parser's `line` bookkeeping. */
export function opToJson(op: Op): string {
  const { line: _line, ...rest } = op;
  // Exact: an integer beyond 2^53 (a bigint) is written as its digits.
  return valueToJson(rest);
}

/** The JSONL text of chunks read one after another (`next` returns undefined after the last). */
export function chunksToJsonl(next: () => Promise<Uint8Array | undefined>): Readable {
  return Readable.from((async function* () {
    for (;;) {
      const data = await next();
      if (data === undefined) return;
      yield gunzipSync(data);
    }
  })());
}
