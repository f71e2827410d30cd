/**
 * Every error @verdict/workers raises, in one place (fastify's FST_ERR_* style), beside the
 * checker's. Codes are `VRD_ERR_<AREA>_<WHAT>`, each with a message template and the HTTP status
 * the service answers with. Errors cross process boundaries (BullMQ jobs), so match them by
 * `code` (checker's `isVerdictError` recognises these too), not only `instanceof`.
 */

import type { ErrorSpec } from '@verdict/checker';

export const workersErrors = {
  VRD_ERR_RUN_SPEC: { message: 'invalid run spec: %s', status: 400 },
  VRD_ERR_RUN_PROTOCOL: { message: 'unknown protocol: %s', status: 400 },
  VRD_ERR_RUN_NEMESIS: { message: 'unknown nemesis: %s', status: 400 },
  VRD_ERR_RUN_BUG: { message: 'unknown bug for this protocol: %s', status: 400 },
  VRD_ERR_RUN_REQUIRE: { message: 'unknown required level: %s', status: 400 },
  VRD_ERR_SIM_NODE: { message: 'a protocol node failed: %s', status: 500 },
  VRD_ERR_SIM_PROTOCOL: { message: 'the protocol definition is unusable: %s', status: 500 },
  VRD_ERR_SIM_BUDGET: { message: 'the simulation exceeded its budget: %s', status: 500 },
  VRD_ERR_RUN_SWARM: { message: 'invalid swarm options: %s', status: 400 },
  VRD_ERR_TARGET_URL: { message: 'invalid database target: %s', status: 400 },
  VRD_ERR_TARGET_SPEC: { message: 'invalid database test spec: %s', status: 400 },
  VRD_ERR_TARGET_NOT_ALLOWED: { message: 'database target not allowed: %s', status: 403 },
  VRD_ERR_TARGET_CONNECT: { message: 'cannot reach the database target: %s', status: 502 },
  VRD_ERR_TARGET_SQL: { message: 'the database test failed: %s', status: 500 },
} as const satisfies Record<string, ErrorSpec>;

export type WorkersErrorCode = keyof typeof workersErrors;

/**
 * An error of the simulator or the run pipeline. `reproduce`, when present, is the exact command
 * that replays the failing run (VOPR's rule: every failure says how to get it back).
 */
export class WorkersError extends Error {
  override readonly name = 'VerdictError';
  readonly code: WorkersErrorCode;
  readonly status: number;
  readonly reason: string;
  readonly reproduce: string | undefined;

  constructor(code: WorkersErrorCode, reason: string, options: { reproduce?: string; cause?: unknown } = {}) {
    const spec = workersErrors[code];
    const base = spec.message.replace('%s', reason);
    super(options.reproduce !== undefined ? `${base}\n  reproduce: ${options.reproduce}` : base, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.code = code;
    this.status = spec.status;
    this.reason = reason;
    this.reproduce = options.reproduce;
  }

  toJSON(): { code: string; message: string; status: number; reproduce?: string } {
    return { code: this.code, message: this.message, status: this.status, ...(this.reproduce !== undefined ? { reproduce: this.reproduce } : {}) };
  }
}
