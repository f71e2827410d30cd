import type { CheckHistoryOptions } from '@verdict/checker';
import type { ClientOp } from '../../sim/client-driver.js';
import type { Workload } from '../../workloads/workload.js';
import type { SqlSession } from '../sql-session.js';

/** The workloads `verdict test` runs against a real database. */
export const DB_WORKLOADS = ['list-append', 'rw-register', 'bank', 'predicate'] as const;
export type DbWorkloadName = (typeof DB_WORKLOADS)[number];

export function isDbWorkloadName(value: unknown): value is DbWorkloadName {
  return typeof value === 'string' && (DB_WORKLOADS as readonly string[]).includes(value);
}

/**
 * A generated workload and its SQL: the op stream is the simulator's kind (fast-check, seeded);
 * this adds the tables it needs and how one operation runs inside an open transaction.
 */
export interface SqlWorkload {
  readonly name: DbWorkloadName;
  /** The operations, in the order clients take them. */
  readonly ops: Workload;
  /** Creates the workload's tables (in the test's own namespace) and loads their first rows. */
  setup(session: SqlSession): Promise<void>;
  /**
   * Runs `op` inside the session's open transaction and returns its completion value (reads
   * filled in). Throws `VoluntaryAbort` when the operation itself decides to roll back.
   */
  execute(session: SqlSession, op: ClientOp): Promise<unknown>;
  /** What the checker needs beyond the history (a model and its initial state, for the bank). */
  readonly checkOptions: Pick<CheckHistoryOptions, 'model' | 'init'>;
}

/** An operation that rolls itself back (a transfer without the funds): certainly no effect, so `fail`. */
export class VoluntaryAbort extends Error {
  override readonly name = 'VoluntaryAbort';
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * A numeric column as the checker compares values: a number within ±(2^53−1), a bigint beyond
 * (exact, never rounded), as the history parsers read them. Drivers hand big integers over as text.
 */
export function numberOf(value: unknown): number | bigint | string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  const text = String(value);
  const n = Number(text);
  if (Number.isSafeInteger(n)) return n;
  return /^-?\d+$/.test(text) ? BigInt(text) : text;
}
