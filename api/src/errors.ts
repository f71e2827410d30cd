/**
 * Every error the service answers with, in one place (fastify's FST_ERR_* style). Codes are
 * `VRD_ERR_<AREA>_<WHAT>`, each with a message template and its HTTP status. The body of every
 * error response is `{ code, message, status, location? }`: the shape of the checker's
 * VerdictError, whose own codes (VRD_ERR_HISTORY_*, VRD_ERR_MODEL_*, ...) pass through unchanged.
 * docs/service.md lists them all; a test keeps that list and this one equal.
 */

import type { ErrorLocation, ErrorSpec } from '@verdict/checker';

export const apiErrors = {
  VRD_ERR_API_INVALID: { message: 'invalid request: %s', status: 400 },
  VRD_ERR_API_JSON: { message: 'the body is not valid JSON: %s', status: 400 },
  VRD_ERR_API_AUTH_MISSING: { message: 'authentication required: %s', status: 401 },
  VRD_ERR_API_AUTH_INVALID: { message: 'invalid token: %s', status: 401 },
  VRD_ERR_API_SCOPE: { message: 'the token lacks a scope: %s', status: 403 },
  VRD_ERR_API_ROUTE: { message: 'no such route: %s', status: 404 },
  VRD_ERR_JOB_NOT_FOUND: { message: 'no such job: %s', status: 404 },
  VRD_ERR_TOKEN_NOT_FOUND: { message: 'no such active token: %s', status: 404 },
  VRD_ERR_JOB_NOT_CANCELLABLE: { message: 'the job cannot be cancelled: %s', status: 409 },
  VRD_ERR_JOB_NOT_FINISHED: { message: 'the job has no report yet: %s', status: 409 },
  VRD_ERR_API_TOO_LARGE: { message: 'the request is too large: %s', status: 413 },
  VRD_ERR_API_MEDIA_TYPE: { message: 'unsupported content: %s', status: 415 },
  VRD_ERR_API_RATE_LIMIT: { message: 'too many requests: %s', status: 429 },
  VRD_ERR_API_INTERNAL: { message: 'internal error: %s', status: 500 },
  VRD_ERR_API_UNAVAILABLE: { message: 'service unavailable: %s', status: 503 },
  VRD_ERR_API_TIMEOUT: { message: 'the request took too long: %s', status: 503 },
  // Stored on failed jobs (raised by the job runner in @verdict/workers, matched by code).
  VRD_ERR_JOB_CANCELLED: { message: 'the job was cancelled: %s', status: 409 },
  VRD_ERR_JOB_ATTEMPTS: { message: 'the job failed on every attempt: %s', status: 500 },
  VRD_ERR_JOB_PART_FAILED: { message: 'a part of the job failed: %s', status: 500 },
  VRD_ERR_JOB_INTERNAL: { message: 'the job failed: %s', status: 500 },
  // Start-up.
  VRD_ERR_DB_MIGRATION: { message: 'cannot migrate the database: %s', status: 500 },
  VRD_ERR_CONFIG: { message: 'invalid configuration: %s', status: 500 },
} as const satisfies Record<string, ErrorSpec>;

export type ApiErrorCode = keyof typeof apiErrors;

/** The body of every error response. */
export interface ErrorBody {
  code: string;
  message: string;
  status: number;
  location?: ErrorLocation;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly status: number;
  readonly location: ErrorLocation;
  /** Extra response headers (Retry-After, WWW-Authenticate). */
  readonly headers: Record<string, string>;

  constructor(code: ApiErrorCode, reason: string, location: ErrorLocation = {}, headers: Record<string, string> = {}) {
    const spec = apiErrors[code];
    const where = location.field !== undefined ? `${location.field}: ` : location.line !== undefined ? `line ${location.line}: ` : '';
    super(where + spec.message.replace('%s', reason));
    this.code = code;
    this.status = spec.status;
    this.location = location;
    this.headers = headers;
  }

  toJSON(): ErrorBody {
    return withLocation({ code: this.code, message: this.message, status: this.status }, this.location);
  }
}

/**
 * The error body for anything thrown while serving a request: our own errors, the checker's and
 * the workers' (a `VRD_ERR_*` code and a status), fastify's (validation, body size, media type),
 * and anything else as an internal error that reveals nothing of its cause.
 */
export function toErrorBody(e: unknown): ErrorBody {
  if (e instanceof ApiError) return e.toJSON();
  const x = (typeof e === 'object' && e !== null ? e : {}) as {
    code?: unknown; status?: unknown; statusCode?: unknown; message?: unknown; location?: unknown; validation?: unknown; validationContext?: unknown;
  };
  if (typeof x.code === 'string' && x.code.startsWith('VRD_ERR_') && typeof x.status === 'number') {
    return withLocation({ code: x.code, message: String(x.message), status: x.status }, x.location as ErrorLocation | undefined);
  }
  if (isDatabaseDown(e)) return new ApiError('VRD_ERR_API_UNAVAILABLE', 'the database is not answering; retry later').toJSON();
  if (Array.isArray(x.validation)) return validationBody(x.validation as ValidationIssue[], String(x.validationContext ?? 'body'));
  const fastifyCode = typeof x.code === 'string' ? x.code : '';
  const mapped = FASTIFY_CODES[fastifyCode];
  if (mapped !== undefined) return new ApiError(mapped, stripFastifyPrefix(String(x.message))).toJSON();
  const status = typeof x.statusCode === 'number' ? x.statusCode : 500;
  if (status === 429) return new ApiError('VRD_ERR_API_RATE_LIMIT', String(x.message)).toJSON();
  if (status >= 400 && status < 500) return new ApiError('VRD_ERR_API_INVALID', String(x.message)).toJSON();
  return new ApiError('VRD_ERR_API_INTERNAL', 'see the server log').toJSON();
}

const FASTIFY_CODES: Record<string, ApiErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'VRD_ERR_API_TOO_LARGE',
  FST_REQ_FILE_TOO_LARGE: 'VRD_ERR_API_TOO_LARGE',
  FST_PARTS_LIMIT: 'VRD_ERR_API_TOO_LARGE',
  FST_FILES_LIMIT: 'VRD_ERR_API_TOO_LARGE',
  FST_FIELDS_LIMIT: 'VRD_ERR_API_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'VRD_ERR_API_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VRD_ERR_API_INVALID',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VRD_ERR_API_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VRD_ERR_API_JSON',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'VRD_ERR_API_MEDIA_TYPE',
  FST_ERR_NOT_FOUND: 'VRD_ERR_API_ROUTE',
  FST_ERR_HANDLER_TIMEOUT: 'VRD_ERR_API_TIMEOUT',
};

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

/** A schema validation failure, naming the field: `body.spec.seed: must be integer`. */
function validationBody(issues: readonly ValidationIssue[], context: string): ErrorBody {
  const issue = issues[0] ?? {};
  let path = (issue.instancePath ?? '').split('/').filter((p) => p !== '').join('.');
  if (issue.keyword === 'required' && typeof issue.params?.missingProperty === 'string') {
    path = path === '' ? issue.params.missingProperty : `${path}.${issue.params.missingProperty}`;
  }
  if (issue.keyword === 'additionalProperties' && typeof issue.params?.additionalProperty === 'string') {
    path = path === '' ? issue.params.additionalProperty : `${path}.${issue.params.additionalProperty}`;
  }
  const field = path === '' ? context : `${context}.${path}`;
  return new ApiError('VRD_ERR_API_INVALID', issue.message ?? 'does not match the schema', { field }).toJSON();
}

/** Prisma's connection errors: the client may retry, so 503 rather than a 500 that looks like a bug. */
const DATABASE_DOWN_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const DATABASE_DOWN_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);

function isDatabaseDown(e: unknown): boolean {
  const x = e as { name?: unknown; code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } } | null;
  if (typeof x?.name !== 'string' || !x.name.startsWith('PrismaClient')) return false;
  return DATABASE_DOWN_CODES.has(String(x.code)) || DATABASE_DOWN_KINDS.has(String(x.meta?.driverAdapterError?.cause?.kind));
}

function stripFastifyPrefix(message: string): string {
  return message.replace(/^FST_[A-Z_]+:\s*/, '');
}

function withLocation(body: ErrorBody, location: ErrorLocation | undefined): ErrorBody {
  if (location !== undefined && Object.keys(location).length > 0) body.location = location;
  return body;
}
