import type { DbTarget, Dialect } from './target.js';

/** A row as a driver returns it: column name → value. */
export type Row = Record<string, unknown>;

/**
 * One connection to the database under test, whichever the dialect. Workloads write their SQL per
 * dialect (placeholders `$1` for Postgres, `?` for MySQL); everything else goes through here.
 */
export interface SqlSession {
  readonly dialect: Dialect;
  /** The server's id for this connection (Postgres backend pid, MySQL thread id): what a kill names. */
  readonly backendId: number;
  query(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Closes politely. */
  close(): Promise<void>;
  /** Drops the socket at once (a client that gives up); pending queries reject. */
  destroy(): void;
}

export interface ConnectOptions {
  /** Gives up connecting after this long. */
  connectTimeoutMs: number;
  /** The database (MySQL) or schema (Postgres, via search_path) the session works in; absent: the target's own. */
  namespace?: string;
}

/** Opens sessions to one target. */
export type SqlConnector = (target: DbTarget, options: ConnectOptions) => Promise<SqlSession>;

/** The connector for a target's dialect, loaded on demand so a Postgres run never loads mysql2. */
export async function connectorFor(dialect: Dialect): Promise<SqlConnector> {
  if (dialect === 'postgres') return (await import('./postgres-session.js')).connectPostgres;
  return (await import('./mysql-session.js')).connectMysql;
}
