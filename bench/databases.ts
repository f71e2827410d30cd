/**
 * Real databases: transactions recorded per second against the machine's Postgres and MariaDB
 * (committed or refused, by concurrent clients on their own connections), and the check of what
 * was recorded. Figures only, no assertions. A database that is not reachable is reported so.
 */
import { testDatabase, type DbTestSpec, type DbWorkloadName, type SqlIsolationLevel } from '@verdict/workers';

const TARGETS: readonly [string, string][] = [
  ['PostgreSQL', process.env.VERDICT_TEST_POSTGRES ?? 'postgresql://postgres@127.0.0.1:5432/postgres'],
  ['MariaDB', process.env.VERDICT_TEST_MARIADB ?? 'mysql://root@127.0.0.1:3306/test'],
];

const RUNS: readonly [DbWorkloadName, SqlIsolationLevel][] = [
  ['list-append', 'serializable'],
  ['list-append', 'read-committed'],
  ['rw-register', 'repeatable-read'],
  ['bank', 'serializable'],
];

export async function bench(): Promise<void> {
  console.log('database  workload     isolation        txns  recorded txn/s  refused  check ms  checked txn/s  verdict');
  for (const [name, target] of TARGETS) {
    for (const [workload, isolation] of RUNS) {
      const spec: DbTestSpec = { target, workload, isolation, ops: 3_000, clients: 8, keys: 8, timeLimitS: 60 };
      try {
        const r = await testDatabase(spec);
        const f = r.facts;
        const refused = f.fail - (f.failReasons['voluntary-abort'] ?? 0) - (f.failReasons['insufficient-funds'] ?? 0);
        const checked = Math.round(f.transactions / Math.max(0.001, f.checkMs / 1000));
        console.log(
          `${name.padEnd(9)} ${workload.padEnd(12)} ${isolation.padEnd(16)} ${String(f.transactions).padStart(5)}  ${String(f.txnPerSecond).padStart(14)}  ${String(refused).padStart(7)}  ${String(f.checkMs).padStart(8)}  ${String(checked).padStart(13)}  ${r.report.verdict.isolation ?? r.report.verdict.outcome}`,
        );
      } catch (e) {
        console.log(`${name.padEnd(9)} ${workload.padEnd(12)} ${isolation.padEnd(16)} not measured: ${(e as Error).message}`);
      }
    }
  }
}
