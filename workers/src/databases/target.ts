import { WorkersError } from '../errors.js';

/** The SQL dialects Verdict speaks: PostgreSQL, and MySQL's (MariaDB, MySQL). */
export type Dialect = 'postgres' | 'mysql';

/** A database to test, from a connection string. */
export interface DbTarget {
  readonly dialect: Dialect;
  /** The connection string as given (it may hold a password: never print it, use `display`). */
  readonly url: string;
  /** The connection string with any password replaced by `***`: what reports and logs show. */
  readonly display: string;
}

const SCHEMES: Readonly<Record<string, Dialect>> = {
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mysql:': 'mysql',
  'mariadb:': 'mysql',
};

/** Reads a `postgres://…`, `postgresql://…`, `mysql://…` or `mariadb://…` connection string. */
export function parseTarget(text: unknown): DbTarget {
  if (typeof text !== 'string' || text.trim() === '') throw targetError('must be a connection string such as postgres://user@host:5432/db or mysql://root@host:3306/test');
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw targetError(`${JSON.stringify(redact(text))} is not a URL (expected postgres://user@host:port/db or mysql://user@host:port/db)`);
  }
  const dialect = SCHEMES[url.protocol];
  if (dialect === undefined) throw targetError(`${JSON.stringify(url.protocol)} is not a database this tests (known: postgres://, postgresql://, mysql://, mariadb://)`);
  if (url.hostname === '') throw targetError(`${JSON.stringify(redact(text))} names no host`);
  return { dialect, url: text.trim(), display: redact(text.trim()) };
}

/** A connection string without its password. */
export function redact(text: string): string {
  try {
    const url = new URL(text);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return text.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  }
}

function targetError(reason: string): WorkersError {
  return new WorkersError('VRD_ERR_TARGET_URL', reason);
}
