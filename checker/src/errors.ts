/**
 * Every error the checker raises, in one place (fastify's FST_ERR_* style).
 * Codes are `VRD_ERR_<AREA>_<WHAT>`; each carries a message template and the HTTP status the
 * service answers with when the error reaches a client. Errors cross process boundaries (worker
 * threads, BullMQ jobs), so match them by `code`, not only `instanceof`.
 */

export interface ErrorSpec {
  readonly message: string;
  readonly status: number;
}

export const checkerErrors = {
  VRD_ERR_HISTORY_PARSE: { message: 'cannot parse history: %s', status: 400 },
  VRD_ERR_HISTORY_FORMAT: { message: 'unknown or undetectable history format: %s', status: 415 },
  VRD_ERR_HISTORY_FIELD: { message: 'invalid operation field: %s', status: 422 },
  VRD_ERR_HISTORY_PAIRING: { message: 'invalid invoke/completion pairing: %s', status: 422 },
  VRD_ERR_HISTORY_EMPTY: { message: 'history has no operations: %s', status: 422 },
  VRD_ERR_HISTORY_TOO_LARGE: { message: 'history exceeds a size limit: %s', status: 413 },
  VRD_ERR_HISTORY_TOO_DEEP: { message: 'a value nests too deeply: %s', status: 422 },
  VRD_ERR_MODEL_UNKNOWN: { message: 'unknown model: %s', status: 400 },
  VRD_ERR_MODEL_INIT: { message: 'invalid initial state for model: %s', status: 400 },
  VRD_ERR_MODEL_OPERATION: { message: 'operation not understood by the model: %s', status: 422 },
  VRD_ERR_CHECK_OPTIONS: { message: 'invalid check options: %s', status: 400 },
  VRD_ERR_CHECK_WORKER: { message: 'a checker worker thread failed: %s', status: 500 },
  VRD_ERR_ISOLATION_NOT_TXN: { message: 'not a transactional operation: %s', status: 422 },
  VRD_ERR_ISOLATION_MICRO_OP: { message: 'invalid micro-op: %s', status: 422 },
  VRD_ERR_ISOLATION_DUPLICATE_WRITE: { message: 'written values must be unique per key: %s', status: 422 },
  VRD_ERR_ISOLATION_MIXED_KEY: { message: 'a key is both appended to and written as a register: %s', status: 422 },
  VRD_ERR_CONSISTENCY_OPTIONS: { message: 'invalid consistency options: %s', status: 400 },
} as const satisfies Record<string, ErrorSpec>;

export type CheckerErrorCode = keyof typeof checkerErrors;

/** Where in the input an error was found. All fields optional; the message names what is known. */
export interface ErrorLocation {
  file?: string;
  line?: number;
  /** 0-based position of the operation in the history, when known. */
  opIndex?: number;
  field?: string;
}

export class VerdictError extends Error {
  override readonly name = 'VerdictError';
  readonly code: CheckerErrorCode | string;
  readonly status: number;
  readonly location: ErrorLocation;
  readonly reason: string;

  constructor(code: CheckerErrorCode, reason: string, location: ErrorLocation = {}) {
    const spec = checkerErrors[code];
    super(formatMessage(spec.message, reason, location));
    this.code = code;
    this.status = spec.status;
    this.location = location;
    this.reason = reason;
  }

  toJSON(): { code: string; message: string; status: number; location: ErrorLocation } {
    return { code: this.code, message: this.message, status: this.status, location: this.location };
  }
}

function formatMessage(template: string, reason: string, at: ErrorLocation): string {
  const where: string[] = [];
  if (at.file !== undefined) where.push(at.file);
  if (at.line !== undefined) where.push(`line ${at.line}`);
  if (at.opIndex !== undefined && at.line === undefined) where.push(`operation ${at.opIndex}`);
  if (at.field !== undefined) where.push(`field ${at.field}`);
  const prefix = where.length > 0 ? `${where.join(', ')}: ` : '';
  return prefix + template.replace('%s', reason);
}

/** True when `e` is a VerdictError, also after a structured clone across threads or processes. */
export function isVerdictError(e: unknown): e is VerdictError {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string'
    && String((e as { code: string }).code).startsWith('VRD_ERR_');
}
