import { checkHistory, historyFromOps, type History, type Report } from '@verdict/checker';
import { SeededRng } from '../sim/rng.js';
import { dbTestCommand, resolveDbTestSpec, type DbTestSpec, type ResolvedDbTestSpec } from './db-test-spec.js';
import { runAgainstDatabase, type DbRunStats } from './db-runner.js';
import { WorkersError } from '../errors.js';
import { connectorFor, type SqlConnector, type SqlSession } from './sql-session.js';
import { createNamespace, dropNamespace, newNamespace } from './test-namespace.js';
import { bankSql } from './workloads/bank-sql.js';
import type { SqlWorkload } from './workloads/sql-workload.js';
import { listAppendSql, predicateSql, rwRegisterSql } from './workloads/txn-workloads.js';

/** What a database test found, beside its report. */
export interface DbTestFacts extends DbRunStats {
  /** The target without its password. */
  target: string;
  dialect: string;
  workload: string;
  isolation: string;
  seed: number;
  clients: number;
  /** Client transactions recorded (final reads apart). */
  transactions: number;
  /** Wall ms spent checking the history. */
  checkMs: number;
  /** The command that runs the same operations again. */
  command: string;
  /** The schema (Postgres) or database (MySQL) the test made for itself, and dropped. */
  namespace: string;
}

export interface DbTestResult {
  spec: ResolvedDbTestSpec;
  history: History;
  report: Report;
  facts: DbTestFacts;
}

export interface DbTestOptions {
  signal?: AbortSignal;
  onProgress?: (progress: { stage: 'record' | 'check'; done: number; total: number }) => void;
  /** Connectors by dialect (tests may wrap them); default the drivers. */
  connector?: SqlConnector;
}

/**
 * Runs a workload against a real database and checks what it recorded: spec → a namespace of the
 * test's own → tables → concurrent clients → history → checker → result. The namespace is dropped
 * whatever happens.
 */
export async function testDatabase(input: DbTestSpec | ResolvedDbTestSpec, options: DbTestOptions = {}): Promise<DbTestResult> {
  const spec = isResolved(input) ? input : resolveDbTestSpec(input);
  const connect = options.connector ?? (await connectorFor(spec.target.dialect));
  const workload = sqlWorkload(spec);
  const namespace = newNamespace();
  const admin = await reach(connect, spec);
  let outcome: Awaited<ReturnType<typeof runAgainstDatabase>>;
  try {
    await createNamespace(admin, namespace);
    const setup = await connect(spec.target, { connectTimeoutMs: 5_000, namespace });
    try {
      await workload.setup(setup);
    } finally {
      await setup.close();
    }
    outcome = await runAgainstDatabase({
      target: spec.target,
      connect,
      namespace,
      workload,
      isolation: spec.isolation,
      clients: spec.clients,
      timeLimitMs: spec.timeLimitS * 1000,
      txnTimeoutMs: spec.txnTimeoutMs,
      statementTimeoutMs: spec.statementTimeoutMs,
      abortRate: spec.abortRate,
      killEveryMsMean: spec.killEveryMs,
      rng: SeededRng.fromSeed(spec.seed).fork('database-test'),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
      onProgress: (done, total) => options.onProgress?.({ stage: 'record', done, total }),
    });
  } finally {
    await dropNamespace(admin, namespace).catch(() => undefined);
    await admin.close();
  }
  const source = `${spec.target.dialect} ${spec.isolation} ${spec.workload} seed ${spec.seed}`;
  const history = historyFromOps(outcome.ops, { source });
  const checkStarted = performance.now();
  options.onProgress?.({ stage: 'check', done: 0, total: 1 });
  const report = await checkHistory(history, {
    ...workload.checkOptions,
    timeLimitMs: spec.checkTimeLimitMs,
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  });
  const finalReads = history.operations.filter((o) => o.phase === 'final').length;
  return {
    spec,
    history,
    report,
    facts: {
      ...outcome.stats,
      target: spec.target.display,
      dialect: spec.target.dialect,
      workload: spec.workload,
      isolation: spec.isolation,
      seed: spec.seed,
      clients: spec.clients,
      transactions: history.operations.length - finalReads,
      checkMs: Math.round(performance.now() - checkStarted),
      command: dbTestCommand(spec),
      namespace,
    },
  };
}

/** The workload's generator seed is a child of the root seed, as in simulated runs. */
function sqlWorkload(spec: ResolvedDbTestSpec): SqlWorkload {
  const seed = SeededRng.fromSeed(spec.seed).fork('workload').u32() | 0;
  const options = { ops: spec.ops, seed, keys: spec.keys };
  switch (spec.workload) {
    case 'list-append':
      return listAppendSql(options);
    case 'rw-register':
      return rwRegisterSql(options);
    case 'predicate':
      return predicateSql(options);
    case 'bank':
      return bankSql({ ops: spec.ops, seed, accounts: spec.keys });
  }
}

/** The first connection: a target that cannot be reached is a clear error naming it (never its password). */
async function reach(connect: SqlConnector, spec: ResolvedDbTestSpec): Promise<SqlSession> {
  try {
    return await connect(spec.target, { connectTimeoutMs: 5_000 });
  } catch (e) {
    throw new WorkersError('VRD_ERR_TARGET_CONNECT', `${spec.target.display}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

function isResolved(spec: DbTestSpec | ResolvedDbTestSpec): spec is ResolvedDbTestSpec {
  return typeof spec.target === 'object' && spec.target !== null;
}
