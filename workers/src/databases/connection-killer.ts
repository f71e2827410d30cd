import type { SqlSession } from './sql-session.js';

/**
 * The one fault `verdict test` injects into a real database, and only into its own test: it kills
 * one of the test's own connections, mid-transaction (Postgres `pg_terminate_backend`, MySQL
 * `KILL CONNECTION`). The client sees its connection drop and records the operation as `info`;
 * nothing touches the server process or anyone else's sessions.
 */
export async function killConnection(admin: SqlSession, backendId: number, namespace: string): Promise<boolean> {
  if (!Number.isSafeInteger(backendId) || backendId <= 0) throw new Error(`not a connection id: ${String(backendId)}`);
  if (admin.dialect === 'postgres') {
    // Postgres reuses pids: kill only a backend that still carries this test's application name.
    const rows = await admin.query('SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE pid = $1 AND application_name = $2', [backendId, namespace]);
    return rows[0]?.killed === true;
  }
  // MySQL thread ids only grow, and this one is checked to be in the test's own database.
  const rows = await admin.query('SELECT ID FROM information_schema.PROCESSLIST WHERE ID = ? AND DB = ?', [backendId, namespace]);
  if (rows.length === 0) return false;
  await admin.query(`KILL CONNECTION ${backendId}`).catch((e: { errno?: number }) => {
    if (e.errno !== 1094) throw e; // 1094: no such thread (it ended meanwhile)
  });
  return true;
}
