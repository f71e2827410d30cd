import pg from 'pg';
import type { ConnectOptions, Row, SqlSession } from './sql-session.js';
import type { DbTarget } from './target.js';

/** A Postgres session on node-postgres. Integers come back as numbers when they fit, as text beyond 2^53. */
export async function connectPostgres(target: DbTarget, options: ConnectOptions): Promise<SqlSession> {
  const client = new pg.Client({
    connectionString: target.url,
    connectionTimeoutMillis: options.connectTimeoutMs,
    types: { getTypeParser: typeParser },
    ...(options.namespace !== undefined ? { options: `-c search_path=${options.namespace}`, application_name: options.namespace } : {}),
  });
  // A backend the test terminates (or a dropped socket) is reported here as well as on the query
  // in flight; without a listener node would treat it as an uncaught error.
  client.on('error', () => undefined);
  await client.connect();
  const backendId = (client as unknown as { processID: number }).processID;
  return {
    dialect: 'postgres',
    backendId,
    async query(sql, params = []) {
      const result = await client.query(sql, params as unknown[]);
      return result.rows as Row[];
    },
    async close() {
      await client.end().catch(() => undefined);
    },
    destroy() {
      const stream = (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream;
      stream?.destroy();
      void client.end().catch(() => undefined);
    },
  };
}

const INT8_OID = 20;

/** int8 (bigint, count(*)) as a number when it is exact, else as a bigint: never rounded. */
function typeParser(oid: number, format?: string): (value: string) => unknown {
  if (oid === INT8_OID) return (text: string) => {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : BigInt(text);
  };
  return pg.types.getTypeParser(oid, format as 'text');
}
