import { Busboy } from '@fastify/busboy';
import type { Readable } from 'node:stream';
import { ApiError } from '../../errors.js';

/** What a form may hold: a few small fields and one file. */
export interface FormLimits {
  fieldsMax: number;
  fieldBytesMax: number;
  /** Bytes of the file part as sent (before any gzip inside it is undone). */
  fileBytesMax: number;
}

export interface FormHandlers<T> {
  /** A text field, in the order sent; throw to refuse the form. */
  field(name: string, value: string): void;
  /** The one file part, to read to its end (or fail). */
  file(name: string, filename: string | undefined, stream: Readable): Promise<T>;
}

/**
 * Reads a multipart/form-data body as a stream: fields as they come, the file handed to its
 * reader while it arrives (never buffered whole). Reads the body that the upload limits and
 * decoders already wrap, so those apply to forms too. Settles once: the first failure (a limit,
 * a bad part, the reader's error, the client gone) rejects, and the rest of the body is discarded.
 */
export function readForm<T>(body: Readable, contentType: string, limits: FormLimits, handlers: FormHandlers<T>): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    let form: ReturnType<typeof createParser>;
    try {
      form = createParser(contentType, limits);
    } catch (e) {
      reject(new ApiError('VRD_ERR_API_MEDIA_TYPE', `multipart/form-data without a usable boundary (${(e as Error).message})`));
      return;
    }
    let settled = false;
    let reading: Promise<T> | undefined;
    const fail = (e: unknown): void => {
      if (settled) return;
      settled = true;
      body.unpipe(form);
      // Nothing more is read: what is left of the body goes nowhere (the reply closes the connection).
      body.resume();
      reject(asFormError(e));
    };
    form.on('field', (name: string, value: string, _nameTruncated: boolean, valueTruncated: boolean) => {
      if (settled) return;
      if (valueTruncated) return fail(new ApiError('VRD_ERR_API_TOO_LARGE', `more than ${limits.fieldBytesMax} bytes in a form field`, { field: `form.${name}` }));
      try {
        handlers.field(name, value);
      } catch (e) {
        fail(e);
      }
    });
    form.on('file', (name: string, stream: Readable, filename: string | undefined) => {
      // Later files, or parts after a failure, are read to nothing.
      stream.on('error', () => undefined);
      if (settled || reading !== undefined) {
        stream.resume();
        if (!settled) fail(new ApiError('VRD_ERR_API_INVALID', 'send one file only', { field: `form.${name}` }));
        return;
      }
      stream.on('limit', () => stream.destroy(new ApiError('VRD_ERR_API_TOO_LARGE', `more than ${limits.fileBytesMax} bytes in the file`, { field: `form.${name}` })));
      reading = handlers.file(name, filename === '' ? undefined : filename, stream);
      reading.catch(fail);
    });
    for (const limit of ['partsLimit', 'filesLimit', 'fieldsLimit'] as const) {
      form.on(limit, () => fail(new ApiError('VRD_ERR_API_TOO_LARGE', `too many form parts (${limit.replace('Limit', '')})`)));
    }
    form.on('error', fail);
    form.on('finish', () => {
      if (settled) return;
      if (reading === undefined) {
        settled = true;
        resolve(undefined);
        return;
      }
      reading.then((value) => {
        if (settled) return;
        settled = true;
        resolve(value);
      }, fail);
    });
    body.on('error', fail);
    body.pipe(form);
  });
}

function createParser(contentType: string, limits: FormLimits) {
  return new Busboy({
    headers: { 'content-type': contentType },
    limits: { fields: limits.fieldsMax, fieldSize: limits.fieldBytesMax, files: 1, parts: limits.fieldsMax + 1, fileSize: limits.fileBytesMax, headerPairs: 20 },
  });
}

/** The parser's complaints (a truncated body, a bad boundary) are the client's fault. */
function asFormError(e: unknown): unknown {
  if (e instanceof Error && !('code' in e && String((e as { code: unknown }).code).startsWith('VRD_ERR_')) && !('statusCode' in e)) {
    const message = e.message;
    if (/multipart|boundary|part|header/i.test(message)) return new ApiError('VRD_ERR_API_INVALID', `malformed multipart/form-data: ${message}`);
  }
  return e;
}
