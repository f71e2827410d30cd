import type { SqlSession } from './sql-session.js';
import type { Dialect } from './target.js';

/** The four ANSI levels a test can ask a database for. */
export const SQL_ISOLATION_LEVELS = ['read-uncommitted', 'read-committed', 'repeatable-read', 'serializable'] as const;
export type SqlIsolationLevel = (typeof SQL_ISOLATION_LEVELS)[number];

export function isSqlIsolationLevel(value: unknown): value is SqlIsolationLevel {
  return typeof value === 'string' && (SQL_ISOLATION_LEVELS as readonly string[]).includes(value);
}

const SQL_NAMES: Readonly<Record<SqlIsolationLevel, string>> = {
  'read-uncommitted': 'READ UNCOMMITTED',
  'read-committed': 'READ COMMITTED',
  'repeatable-read': 'REPEATABLE READ',
  serializable: 'SERIALIZABLE',
};

/** What a session was set to, as the server reports it back. */
export interface SessionLevel {
  requested: SqlIsolationLevel;
  /** The server's own name for the level it will run, as it reports it. */
  reported: string;
  /** Where the database runs a level as another (Postgres runs read uncommitted as read committed). */
  note?: string;
}

/**
 * Sets the session's isolation level and its timeouts, and reads the level back: a test must know
 * what it measured. Lock waits and statements are bounded so that a contended run keeps moving
 * (each refusal is a `fail`, counted by reason).
 */
export async function prepareSession(session: SqlSession, level: SqlIsolationLevel, statementTimeoutMs: number): Promise<SessionLevel> {
  const name = SQL_NAMES[level];
  if (session.dialect === 'postgres') {
    await session.query(`SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL ${name}`);
    await session.query(`SET statement_timeout = ${Math.max(1, Math.round(statementTimeoutMs))}`);
    await session.query(`SET lock_timeout = ${Math.max(1, Math.round(statementTimeoutMs))}`);
    // Deadlocks are common in these workloads; Postgres looks for them after deadlock_timeout (1 s
    // by default). Only a superuser may shorten it: where that fails the test is merely slower.
    await session.query('SET deadlock_timeout = 100').catch(() => undefined);
    const [row] = await session.query('SHOW default_transaction_isolation');
    const reported = String(row?.default_transaction_isolation ?? '');
    return level === 'read-uncommitted'
      ? { requested: level, reported, note: 'PostgreSQL runs READ UNCOMMITTED as READ COMMITTED (no dirty reads by design)' }
      : { requested: level, reported };
  }
  await session.query(`SET SESSION TRANSACTION ISOLATION LEVEL ${name}`);
  await session.query(`SET SESSION innodb_lock_wait_timeout = ${Math.max(1, Math.ceil(statementTimeoutMs / 1000))}`);
  await session.query(`SET SESSION max_statement_time = ${Math.max(0.001, statementTimeoutMs / 1000)}`).catch(() => undefined); // MariaDB only
  const [row] = await session.query('SELECT @@session.tx_isolation AS level');
  return { requested: level, reported: String(row?.level ?? '') };
}

/** How a transaction starts on this dialect at the session's level. */
export function beginStatement(dialect: Dialect): string {
  return dialect === 'postgres' ? 'BEGIN' : 'START TRANSACTION';
}
