import type { FastifyInstance } from 'fastify';
import { parseJsonExact, VALUE_DEPTH_MAX } from '@verdict/checker';
import { ApiError } from '../../errors.js';

/** Only text with a run of 16 digits can hold an integer beyond 2^53. */
const LONG_DIGITS = /\d{16}/;

/** A body nests its history's ops at most this many levels below its top (body → history → op). */
const BODY_LEVELS = 2;

/**
 * JSON bodies whose histories keep integers beyond 2^53 exact. Fastify's parser (kept, with its
 * checks, for every body) reads JSON numbers as doubles, so a history sent inline as ops would
 * compare 9007199254740993 equal to 9007199254740992 and could check as linearizable when it is
 * not. When the text holds a 16-digit run, the history part of the body (the body itself when it
 * is an array of ops, else its `history` member) is read again exactly (bigints). `init` cannot
 * carry such an integer through the stored job spec, so one there is refused rather than rounded.
 */
export function registerExactJson(app: FastifyInstance): void {
  const standard = app.getDefaultJsonParser('error', 'error') as (request: unknown, body: string, done: (error: Error | null, value?: unknown) => void) => void;
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    standard(request, body as string, (error, value) => {
      if (error !== null || !LONG_DIGITS.test(body as string)) {
        done(error, value);
        return;
      }
      let exact: unknown;
      try {
        exact = parseJsonExact(body as string, VALUE_DEPTH_MAX + BODY_LEVELS);
      } catch {
        // Too deep for the exact reader: the history's own parser names the op and the limit.
        done(null, value);
        return;
      }
      if (Array.isArray(exact)) {
        done(null, exact);
        return;
      }
      const body_ = value as Record<string, unknown>;
      const exactBody = exact as Record<string, unknown>;
      if (holdsBigInt(exactBody.init)) {
        done(new ApiError('VRD_ERR_API_INVALID', 'an integer beyond ±(2^53 − 1) cannot be kept exact in init; send it within a history instead', { field: 'body.init' }));
        return;
      }
      if (Array.isArray(exactBody.history)) body_.history = exactBody.history;
      done(null, body_);
    });
  });
}

/** True when a decoded value holds a bigint (iterative: bodies may nest deep). */
export function holdsBigInt(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'bigint') return true;
    if (v !== null && typeof v === 'object') stack.push(...(Array.isArray(v) ? v : Object.values(v)));
  }
  return false;
}
