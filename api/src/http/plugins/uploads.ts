import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { createGunzip, createInflate, type Gunzip } from 'node:zlib';
import { ApiError } from '../../errors.js';

/** Content types whose body is a history file, read as a stream (options in the query string). */
export const RAW_HISTORY_TYPES = [
  'application/x-ndjson',
  'application/jsonl',
  'application/x-jsonlines',
  'application/edn',
  'application/x-edn',
  'text/plain',
  'application/octet-stream',
  'application/gzip',
  'application/x-gzip',
] as const;

export interface UploadLimits {
  /** Bytes on the wire (compressed as sent). */
  bodyLimitBytes: number;
  /** Bytes once decompressed. */
  historyBytesMax: number;
}

/**
 * Request bodies: `Content-Encoding: gzip` (or deflate) is undone for every content type, with
 * limits on the bytes received and on the bytes they expand to (a small gzip can hold a huge
 * body). History files arrive as raw bodies (streamed to the parser, never buffered whole) or as
 * multipart uploads; a gzip file is recognised by its magic bytes.
 */
export async function registerUploads(app: FastifyInstance, limits: UploadLimits): Promise<void> {
  app.addHook('preParsing', async (request, _reply, payload) => {
    // Most requests carry no body (every GET): nothing to decode or count.
    if (request.headers['transfer-encoding'] === undefined && Number(request.headers['content-length'] ?? 0) === 0) return payload;
    const declared = Number(request.headers['content-length'] ?? Number.NaN);
    if (declared > limits.bodyLimitBytes) throw tooLarge(`${declared} bytes sent; the limit is ${limits.bodyLimitBytes}`);
    const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
    if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== 'x-gzip' && encoding !== 'deflate') {
      throw new ApiError('VRD_ERR_API_MEDIA_TYPE', `Content-Encoding ${encoding} (send gzip, deflate or none)`);
    }
    return decodeBody(payload, encoding, limits);
  });
  app.addContentTypeParser([...RAW_HISTORY_TYPES], (_request, payload, done) => {
    done(null, payload);
  });
  await app.register(multipart, {
    limits: { fileSize: limits.historyBytesMax, files: 1, fields: 20, fieldSize: 1 << 20, parts: 21 },
  });
}

/** The body's bytes decoded and counted; `receivedEncodedLength` lets fastify check Content-Length. */
function decodeBody(source: Readable, encoding: string, limits: UploadLimits): Readable {
  const limiter = new ByteLimit(limits.historyBytesMax, 'decompressed');
  const counter = new ByteLimit(limits.bodyLimitBytes, 'sent', (n) => {
    (limiter as unknown as { receivedEncodedLength: number }).receivedEncodedLength = n;
  });
  (limiter as unknown as { receivedEncodedLength: number }).receivedEncodedLength = 0;
  const decoder = encoding === 'gzip' || encoding === 'x-gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : undefined;
  const chain: NodeJS.ReadWriteStream[] = decoder === undefined ? [counter, limiter] : [counter, decoder, limiter];
  let upstream: Readable = source;
  for (const stage of chain) {
    upstream.on('error', (e: Error) => (stage as unknown as Transform).destroy(asBodyError(e)));
    upstream = upstream.pipe(stage) as unknown as Readable;
  }
  return limiter;
}

/** A pass-through that fails with 413 past `max` bytes. */
class ByteLimit extends Transform {
  private seen = 0;
  constructor(private readonly max: number, private readonly what: string, private readonly onCount?: (n: number) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    this.onCount?.(this.seen);
    if (this.seen > this.max) {
      callback(tooLarge(`more than ${this.max} bytes ${this.what}`));
      return;
    }
    callback(null, chunk);
  }
}

/**
 * Undoes gzip when the stream starts with gzip's magic bytes (an uploaded `history.jsonl.gz`),
 * and passes anything else through untouched.
 */
export function autoGunzip(source: Readable, historyBytesMax: number): Readable {
  let inner: Gunzip | undefined;
  let decided = false;
  const out = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (!decided) {
        decided = true;
        if (chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b) {
          inner = createGunzip();
          inner.on('data', (d: Buffer) => out.push(d));
          inner.on('error', (e) => out.destroy(asBodyError(e)));
        }
      }
      if (inner === undefined) {
        callback(null, chunk);
        return;
      }
      if (inner.write(chunk)) callback();
      else inner.once('drain', () => callback());
    },
    flush(callback) {
      if (inner === undefined) {
        callback();
        return;
      }
      inner.once('end', () => callback());
      inner.end();
    },
  });
  const limited = new ByteLimit(historyBytesMax, 'decompressed');
  source.on('error', (e) => out.destroy(asBodyError(e)));
  out.on('error', (e) => limited.destroy(e));
  source.pipe(out).pipe(limited);
  return limited;
}

function tooLarge(reason: string): ApiError {
  return new ApiError('VRD_ERR_API_TOO_LARGE', reason);
}

/** zlib's errors (corrupt gzip) are the client's fault: 400, not 500. */
function asBodyError(e: Error): Error {
  const code = (e as NodeJS.ErrnoException).code;
  return typeof code === 'string' && code.startsWith('Z_') ? new ApiError('VRD_ERR_API_INVALID', `the body is not valid gzip/deflate data (${e.message})`) : e;
}
