import mysql from 'mysql2/promise';
import type { ConnectOptions, Row, SqlSession } from './sql-session.js';
import type { DbTarget } from './target.js';

/** A MySQL / MariaDB session on mysql2. BIGINT and DECIMAL come back exact (numbers when safe, else text). */
export async function connectMysql(target: DbTarget, options: ConnectOptions): Promise<SqlSession> {
  const url = new URL(target.url);
  const connection = await mysql.createConnection({
    host: url.hostname,
    port: url.port === '' ? 3306 : Number(url.port),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
    database: options.namespace ?? (url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : undefined),
    connectTimeout: options.connectTimeoutMs,
    supportBigNumbers: true,
    bigNumberStrings: false,
    decimalNumbers: false,
    multipleStatements: false,
  });
  // A killed connection also emits 'error' on the connection object: keep it from crashing node.
  connection.on('error', () => undefined);
  return {
    dialect: 'mysql',
    backendId: connection.threadId,
    async query(sql, params = []) {
      const [rows] = await connection.query(sql, params as unknown[]);
      return Array.isArray(rows) ? (rows as Row[]) : [];
    },
    async close() {
      await connection.end().catch(() => undefined);
    },
    destroy() {
      connection.destroy();
    },
  };
}
