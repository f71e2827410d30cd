import type { Dialect } from './target.js';

/**
 * What a failed statement tells about its transaction:
 * - `refused`: the database rolled it back (serialization failure, deadlock, lock or statement
 *   timeout): it certainly did not take effect, so the operation is `fail`;
 * - `broken`: the connection went away (killed, reset, timed out on our side): the commit may or
 *   may not have happened, so the operation is `info` and the client carries on under a new process;
 * - `bug`: anything else (bad SQL, a missing table): the test itself is wrong, and the run stops.
 */
export type ErrorClass = 'refused' | 'broken' | 'bug';

export interface ClassifiedError {
  kind: ErrorClass;
  /** A short, stable name for counting and for the history's `error` field. */
  reason: string;
}

/** Postgres SQLSTATEs that mean "rolled back, try again". */
const PG_REFUSED: Readonly<Record<string, string>> = {
  '40001': 'serialization-failure',
  '40P01': 'deadlock',
  '55P03': 'lock-not-available',
  '57014': 'statement-timeout',
  '25P02': 'transaction-aborted',
  '40002': 'integrity-constraint-violation-at-commit',
};

/** Postgres SQLSTATEs of a connection that is gone. */
const PG_BROKEN: Readonly<Record<string, string>> = {
  '57P01': 'connection-terminated',
  '57P02': 'crash-shutdown',
  '57P03': 'cannot-connect-now',
  '08000': 'connection-exception',
  '08003': 'connection-does-not-exist',
  '08006': 'connection-failure',
};

/** MySQL / MariaDB error numbers that roll the statement or transaction back. */
const MYSQL_REFUSED: Readonly<Record<number, string>> = {
  1213: 'deadlock',
  1205: 'lock-wait-timeout',
  1969: 'statement-timeout',
  3024: 'statement-timeout',
  1020: 'record-changed',
  4185: 'serialization-failure',
};

/** MySQL / MariaDB error numbers (and client codes) of a connection that is gone. */
const MYSQL_BROKEN: Readonly<Record<number, string>> = {
  1927: 'connection-killed',
  1053: 'server-shutdown',
  2006: 'server-gone',
  2013: 'connection-lost',
};

const SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT', 'PROTOCOL_CONNECTION_LOST', 'EHOSTUNREACH', 'ENOTCONN', 'ERR_STREAM_DESTROYED']);

/** Reads a driver error (node-postgres or mysql2). */
export function classifyError(dialect: Dialect, e: unknown): ClassifiedError {
  const err = (e ?? {}) as { code?: unknown; errno?: unknown; message?: unknown; fatal?: unknown };
  const code = typeof err.code === 'string' ? err.code : undefined;
  const message = typeof err.message === 'string' ? err.message : String(e);
  if (code !== undefined && SOCKET_CODES.has(code)) return { kind: 'broken', reason: 'connection-lost' };
  if (dialect === 'postgres') {
    if (code !== undefined && PG_REFUSED[code] !== undefined) return { kind: 'refused', reason: PG_REFUSED[code] };
    if (code !== undefined && PG_BROKEN[code] !== undefined) return { kind: 'broken', reason: PG_BROKEN[code] };
    // node-postgres reports a socket that closed under it by message, without a code.
    if (/Connection terminated|Client was closed|not queryable|Client has encountered a connection error/i.test(message)) return { kind: 'broken', reason: 'connection-lost' };
  } else {
    const errno = typeof err.errno === 'number' ? err.errno : undefined;
    if (errno !== undefined && MYSQL_REFUSED[errno] !== undefined) return { kind: 'refused', reason: MYSQL_REFUSED[errno] };
    if (errno !== undefined && MYSQL_BROKEN[errno] !== undefined) return { kind: 'broken', reason: MYSQL_BROKEN[errno] };
    if (err.fatal === true || /closed state|Connection lost|connection is in closed/i.test(message)) return { kind: 'broken', reason: 'connection-lost' };
  }
  return { kind: 'bug', reason: message.slice(0, 200) };
}
