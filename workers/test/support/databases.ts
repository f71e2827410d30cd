import { connectorFor, type SqlSession } from '../../src/databases/sql-session.js';
import { parseTarget, type DbTarget } from '../../src/databases/target.js';

/** The machine's databases, as CI provides them (see DESIGN.md). */
export const POSTGRES_TARGET = process.env.VERDICT_TEST_POSTGRES ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const MARIADB_TARGET = process.env.VERDICT_TEST_MARIADB ?? 'mysql://root@127.0.0.1:3306/test';

/**
 * Is this database reachable? In CI (VERDICT_CI=1) a missing database is a failure: the tests that
 * need it must run there. On a developer machine they skip, loudly.
 */
export async function requireDatabase(name: 'postgres' | 'mariadb'): Promise<boolean> {
  const url = name === 'postgres' ? POSTGRES_TARGET : MARIADB_TARGET;
  const target = parseTarget(url);
  try {
    const session = await (await connectorFor(target.dialect))(target, { connectTimeoutMs: 2_000 });
    await session.query('SELECT 1');
    await session.close();
    return true;
  } catch {
    if (process.env.VERDICT_CI === '1') throw new Error(`${name} at ${target.display} is not available, and VERDICT_CI=1: integration tests must run in CI`);
    console.warn(`\n*** SKIPPING tests that need ${name} at ${target.display}: it is not available on this machine ***\n`);
    return false;
  }
}

/** An admin session to a target, for looking at what a test left behind. */
export async function adminSession(url: string): Promise<{ target: DbTarget; session: SqlSession }> {
  const target = parseTarget(url);
  return { target, session: await (await connectorFor(target.dialect))(target, { connectTimeoutMs: 2_000 }) };
}

/** Namespaces a test made that still exist (there should be none once a run is over). */
export async function leftoverNamespaces(url: string): Promise<string[]> {
  const { session } = await adminSession(url);
  try {
    const rows = session.dialect === 'postgres'
      ? await session.query("SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE 'verdict\\_t\\_%'")
      : await session.query("SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'verdict\\_t\\_%'");
    return rows.map((r) => String(r.name));
  } finally {
    await session.close();
  }
}
