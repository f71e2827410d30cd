import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
  /**
   * Largest decompressed/compressed ratio, checked once more than INFLATE_RATIO_FLOOR_BYTES came
   * out: a gzip bomb (80 MB of spaces in 81 KB) is refused after its first megabytes.
   */
  inflateRatioMax: number;
}

/** The upload limits a service configuration sets. */
export function uploadLimits(config: UploadLimits): UploadLimits {
  return { bodyLimitBytes: config.bodyLimitBytes, historyBytesMax: config.historyBytesMax, inflateRatioMax: config.inflateRatioMax };
}

/** Below this many decompressed bytes any ratio is fine (a small, very regular file). */
export const INFLATE_RATIO_FLOOR_BYTES = 1 << 20;

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
  // Forms are read by the route (readForm) from the decoded, counted stream, like raw bodies.
  app.addContentTypeParser([...RAW_HISTORY_TYPES, 'multipart/form-data'], (_request, payload, done) => {
    done(null, payload);
  });
}

/**
 * The body's bytes decoded and counted; `receivedEncodedLength` lets fastify check Content-Length.
 * Every stage has an error listener: a stage nobody reads any more (the route already answered)
 * must not turn a late client reset into an unhandled 'error' event.
 */
function decodeBody(source: Readable, encoding: string, limits: UploadLimits): Readable {
  let sent = 0;
  const limiter = new ByteLimit(limits.historyBytesMax, 'decompressed', (n) => {
    if (encoding !== 'identity') checkRatio(n, sent, limits.inflateRatioMax);
  });
  const counter = new ByteLimit(limits.bodyLimitBytes, 'sent', (n) => {
    sent = n;
    (limiter as unknown as { receivedEncodedLength: number }).receivedEncodedLength = n;
  });
  (limiter as unknown as { receivedEncodedLength: number }).receivedEncodedLength = 0;
  const decoder = encoding === 'gzip' || encoding === 'x-gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : undefined;
  const chain: Transform[] = decoder === undefined ? [counter, limiter] : [counter, decoder, limiter];
  let upstream: Readable = source;
  for (const stage of chain) {
    upstream.on('error', (e: Error) => stage.destroy(asBodyError(e)));
    upstream = upstream.pipe(stage);
  }
  limiter.on('error', () => undefined);
  return limiter;
}

/** Refuses output that outgrows its input by more than `ratioMax` (past the floor). */
function checkRatio(decompressed: number, compressed: number, ratioMax: number): void {
  if (decompressed > INFLATE_RATIO_FLOOR_BYTES && decompressed > compressed * ratioMax) {
    throw tooLarge(`${decompressed} bytes decompressed from ${compressed}: more than ${ratioMax} times its compressed size`);
  }
}

/** A pass-through that fails with 413 past `max` bytes (or when `onCount` throws). */
class ByteLimit extends Transform {
  private seen = 0;
  constructor(private readonly max: number, private readonly what: string, private readonly onCount?: (n: number) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    try {
      this.onCount?.(this.seen);
    } catch (e) {
      callback(e as Error);
      return;
    }
    if (this.seen > this.max) {
      callback(tooLarge(`more than ${this.max} bytes ${this.what}`));
      return;
    }
    callback(null, chunk);
  }
}

/**
 * Undoes gzip when the stream starts with gzip's magic bytes (an uploaded `history.jsonl.gz`),
 * and passes anything else through untouched, with the same size and ratio limits as a
 * `Content-Encoding`. When `signal` aborts (the request timed out, the client left), the whole
 * chain is destroyed so whoever reads it stops; its listener goes when the chain closes.
 */
export function autoGunzip(source: Readable, limits: Omit<UploadLimits, 'bodyLimitBytes'>, signal?: AbortSignal): Readable {
  let inner: Gunzip | undefined;
  let decided = false;
  let compressed = 0;
  const out = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      compressed += chunk.length;
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
    destroy(error, callback) {
      // zlib works on the thread pool: stop it, or a bomb keeps inflating after the answer.
      inner?.destroy();
      callback(error);
    },
  });
  const limited = new ByteLimit(limits.historyBytesMax, 'decompressed', (n) => {
    if (inner !== undefined) checkRatio(n, compressed, limits.inflateRatioMax);
  });
  source.on('error', (e) => out.destroy(asBodyError(e)));
  out.on('error', (e) => limited.destroy(e));
  limited.on('error', () => undefined);
  limited.on('close', () => {
    if (!out.destroyed) out.destroy();
  });
  source.pipe(out).pipe(limited);
  if (signal !== undefined) stopOnAbort(signal, limited);
  return limited;
}

/**
 * A signal that stops reading an upload when its request times out or its client leaves before
 * the body has all arrived. (fastify's `request.signal` also fires when a body was read to its
 * end, while its last bytes are still being parsed.) Its listeners go when the reply closes, so
 * a kept-alive socket gathers none.
 */
export function uploadSignal(request: FastifyRequest, reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  const socket = request.raw.socket;
  const onRequestAbort = (): void => {
    const reason: unknown = request.signal.reason;
    const timedOut = (reason as { code?: unknown } | undefined)?.code === 'FST_ERR_HANDLER_TIMEOUT';
    if (timedOut || !request.raw.complete || socket.destroyed) controller.abort(reason);
  };
  const onSocketClose = (): void => controller.abort(new ApiError('VRD_ERR_API_INVALID', 'the client left'));
  request.signal.addEventListener('abort', onRequestAbort, { once: true });
  socket.once('close', onSocketClose);
  reply.raw.once('close', () => {
    socket.off('close', onSocketClose);
    request.signal.removeEventListener('abort', onRequestAbort);
  });
  return controller.signal;
}

/** Destroys `stream` when `signal` aborts; the listener is removed once the stream closes. */
export function stopOnAbort(signal: AbortSignal, stream: Readable): void {
  const abort = (): void => {
    stream.destroy(new ApiError('VRD_ERR_API_TIMEOUT', 'the upload was abandoned (the request timed out or the client left)'));
  };
  if (signal.aborted) {
    abort();
    return;
  }
  signal.addEventListener('abort', abort, { once: true });
  stream.once('close', () => signal.removeEventListener('abort', abort));
}

function tooLarge(reason: string): ApiError {
  return new ApiError('VRD_ERR_API_TOO_LARGE', reason);
}

/** zlib's errors (corrupt gzip) are the client's fault: 400, not 500. */
function asBodyError(e: Error): Error {
  const code = (e as NodeJS.ErrnoException).code;
  return typeof code === 'string' && code.startsWith('Z_') ? new ApiError('VRD_ERR_API_INVALID', `the body is not valid gzip/deflate data (${e.message})`) : e;
}
