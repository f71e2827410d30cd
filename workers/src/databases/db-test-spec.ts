import { WorkersError } from '../errors.js';
import { isSqlIsolationLevel, SQL_ISOLATION_LEVELS, type SqlIsolationLevel } from './isolation-levels.js';
import { parseTarget, type DbTarget } from './target.js';
import { DB_WORKLOADS, isDbWorkloadName, type DbWorkloadName } from './workloads/sql-workload.js';

/**
 * What a user asks `verdict test` for (the CLI's flags, a job's body): a workload run against a
 * real database at one isolation level. Only `target`, `workload` and `isolation` are required.
 */
export interface DbTestSpec {
  /** `postgres://…` or `mysql://…` (see target.ts). The service takes only allow-listed targets. */
  target: string;
  workload: DbWorkloadName;
  isolation: SqlIsolationLevel;
  /** Concurrent clients, each on its own connection. Default 8. */
  clients?: number;
  /** Transactions to generate. Default 2,000. */
  ops?: number;
  /** Keys (list-append, rw-register), accounts (bank) or ranges (predicate) in play. Default 3, bank 5. */
  keys?: number;
  /** Seed of the generated operations. Default 1. */
  seed?: number;
  /** No transaction starts after this many seconds. Default 60. */
  timeLimitS?: number;
  /** A client gives up on a transaction after this long (`info`). Default 5,000 ms. */
  txnTimeoutMs?: number;
  /** The server refuses a statement or lock wait longer than this (`fail`). Default 2,000 ms. */
  statementTimeoutMs?: number;
  /** Fraction of transactions that roll themselves back. Default 0.05. */
  abortRate?: number;
  /** Mean wall-clock ms between kills of the test's own connections; 0: none. Default 0. */
  killEveryMs?: number;
  /** Time allowed for the check. Default 120,000 ms. */
  checkTimeLimitMs?: number;
}

export interface ResolvedDbTestSpec extends Required<Omit<DbTestSpec, 'target'>> {
  target: DbTarget;
}

const BOUNDS: Readonly<Record<string, readonly [number, number]>> = {
  clients: [1, 64],
  ops: [1, 1_000_000],
  keys: [1, 10_000],
  seed: [0, Number.MAX_SAFE_INTEGER],
  timeLimitS: [1, 86_400],
  txnTimeoutMs: [10, 600_000],
  statementTimeoutMs: [10, 600_000],
  killEveryMs: [0, 3_600_000],
  checkTimeLimitMs: [100, 86_400_000],
};

const FIELDS = ['target', 'workload', 'isolation', 'abortRate', ...Object.keys(BOUNDS)];

/** Checks a spec and fills in its defaults; every error names the field and the reason. */
export function resolveDbTestSpec(input: unknown): ResolvedDbTestSpec {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw specError('spec', 'must be an object');
  const spec = input as Record<string, unknown>;
  for (const field of Object.keys(spec)) {
    if (!FIELDS.includes(field)) throw specError(field, `is not a field of a database test (fields: ${FIELDS.join(', ')})`);
  }
  const target = parseTarget(spec.target);
  if (!isDbWorkloadName(spec.workload)) throw specError('workload', `must be one of ${DB_WORKLOADS.join(', ')}, got ${JSON.stringify(spec.workload)}`);
  if (!isSqlIsolationLevel(spec.isolation)) throw specError('isolation', `must be one of ${SQL_ISOLATION_LEVELS.join(', ')}, got ${JSON.stringify(spec.isolation)}`);
  const int = (field: string, fallback: number): number => {
    const v = spec[field];
    if (v === undefined || v === null) return fallback;
    const [min, max] = BOUNDS[field]!;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw specError(field, `must be an integer in [${min}, ${max}], got ${JSON.stringify(v)}`);
    return v;
  };
  const abortRate = spec.abortRate ?? 0.05;
  if (typeof abortRate !== 'number' || !(abortRate >= 0 && abortRate <= 0.5)) throw specError('abortRate', `must be a number in [0, 0.5], got ${JSON.stringify(spec.abortRate)}`);
  return {
    target,
    workload: spec.workload,
    isolation: spec.isolation,
    clients: int('clients', 8),
    ops: int('ops', 2_000),
    keys: int('keys', spec.workload === 'bank' ? 5 : 3),
    seed: int('seed', 1),
    timeLimitS: int('timeLimitS', 60),
    txnTimeoutMs: int('txnTimeoutMs', 5_000),
    statementTimeoutMs: int('statementTimeoutMs', 2_000),
    abortRate,
    killEveryMs: int('killEveryMs', 0),
    checkTimeLimitMs: int('checkTimeLimitMs', 120_000),
  };
}

/** The command that runs this test again (the operations, not the interleaving: a real database is not deterministic). */
export function dbTestCommand(spec: ResolvedDbTestSpec): string {
  const parts = ['verdict test', `--target ${spec.target.display}`, `--workload ${spec.workload}`, `--isolation ${spec.isolation}`, `--clients ${spec.clients}`, `--ops ${spec.ops}`, `--keys ${spec.keys}`, `--seed ${spec.seed}`];
  if (spec.killEveryMs > 0) parts.push(`--kill-every-ms ${spec.killEveryMs}`);
  if (spec.txnTimeoutMs !== 5_000) parts.push(`--txn-timeout-ms ${spec.txnTimeoutMs}`);
  if (spec.abortRate !== 0.05) parts.push(`--abort-rate ${spec.abortRate}`);
  return parts.join(' ');
}

function specError(field: string, reason: string): WorkersError {
  return new WorkersError('VRD_ERR_TARGET_SPEC', `${field} ${reason}`);
}
