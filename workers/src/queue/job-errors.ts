import type { JobErrorInfo } from './job-store.js';

/**
 * Job outcomes that cross processes (BullMQ, worker processes), as small errors matched by
 * `code` (BullMQ's style), not by `instanceof`. The service lists these codes with their HTTP
 * statuses in api/src/errors.ts.
 */
export const JOB_ERROR_CODES = {
  cancelled: 'VRD_ERR_JOB_CANCELLED',
  attempts: 'VRD_ERR_JOB_ATTEMPTS',
  part: 'VRD_ERR_JOB_PART_FAILED',
  internal: 'VRD_ERR_JOB_INTERNAL',
} as const;

/** The job was cancelled while it ran: the runner stops and writes nothing. */
export class JobCancelledError extends Error {
  override readonly name = 'JobCancelledError';
  readonly code = JOB_ERROR_CODES.cancelled;
  constructor(jobId: string) {
    super(`job ${jobId} was cancelled`);
  }
}

/**
 * Errors a retry cannot fix fail a job at once: input errors (the checker's VerdictError and its
 * kin: a `VRD_ERR_*` code with a 4xx status), and the simulator's (`VRD_ERR_SIM_*`: a run is
 * deterministic, so a node that threw or a budget exceeded fails the same way every attempt).
 * Anything else is transient and retried.
 */
export function isPermanentJobError(e: unknown): boolean {
  const info = e as { code?: unknown; status?: unknown } | null;
  if (typeof info?.code !== 'string' || !info.code.startsWith('VRD_ERR_')) return false;
  return info.code.startsWith('VRD_ERR_SIM_') || (typeof info.status === 'number' && info.status >= 400 && info.status < 500);
}

const INTERNAL_MESSAGE = 'an internal error (the worker log has its cause, under the job id)';

/**
 * The stored form of any error: code, message and, for the checker's errors, status and location.
 * Anything else is an internal error whose message stays in the worker's log: it is shown to
 * whoever reads the job, and a driver's or database's message names source paths and queries.
 */
export function toJobErrorInfo(e: unknown): JobErrorInfo {
  if (typeof e === 'object' && e !== null) {
    const x = e as { code?: unknown; message?: unknown; status?: unknown; location?: unknown };
    if (typeof x.code === 'string' && x.code.startsWith('VRD_ERR_')) {
      const info: JobErrorInfo = { code: x.code, message: typeof x.message === 'string' ? x.message : x.code };
      if (typeof x.status === 'number') info.status = x.status;
      if (typeof x.location === 'object' && x.location !== null && Object.keys(x.location).length > 0) {
        info.location = x.location as Record<string, unknown>;
      }
      return info;
    }
  }
  return { code: JOB_ERROR_CODES.internal, message: INTERNAL_MESSAGE, status: 500 };
}
