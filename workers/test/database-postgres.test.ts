import { afterAll, describe, expect, it } from 'vitest';
import { testDatabase, type DbTestResult, type DbTestSpec } from '../src/index.js';
import { anomalyCounts } from '../src/databases/db-matrix.js';
import { leftoverNamespaces, POSTGRES_TARGET, requireDatabase } from './support/databases.js';
import { G1, committedDeletes, expectNoneOf, findWithin } from './support/database-expect.js';
import { lateCommits } from './support/late-commits.js';
import { connectorFor } from '../src/databases/sql-session.js';

const ready = await requireDatabase('postgres');

/** Small, contended runs: enough for the anomalies each level lets through to show. */
const base = { target: POSTGRES_TARGET, clients: 6, ops: 400, keys: 3, timeLimitS: 40 } satisfies Partial<DbTestSpec>;
const namespaces: string[] = [];

async function run(spec: Omit<DbTestSpec, 'target'>): Promise<DbTestResult> {
  const result = await testDatabase({ ...base, ...spec });
  namespaces.push(result.facts.namespace);
  return result;
}

describe.skipIf(!ready)('PostgreSQL 15, measured', () => {
  afterAll(async () => {
    if (!ready) return;
    // Every run worked in a schema of its own and dropped it.
    const left = await leftoverNamespaces(POSTGRES_TARGET);
    for (const n of namespaces) expect(left).not.toContain(n);
  });

  it('SERIALIZABLE: no anomaly on any workload, and the database refused what it had to', async () => {
    for (const workload of ['list-append', 'rw-register', 'bank', 'predicate'] as const) {
      const r = await run({ workload, isolation: 'serializable', seed: 11 });
      expect(r.report.verdict.outcome, `${workload}: ${r.report.verdict.summary}`).toBe('ok');
      expect(anomalyCounts(r.report), workload).toEqual({});
      expect(r.facts.ok, workload).toBeGreaterThan(0);
      expect(r.history.operations.filter((o) => o.phase === 'final').length, workload).toBeGreaterThan(0);
      // The predicate workload's deletes ran and committed: its phantoms come from inserts and deletes.
      if (workload === 'predicate') expect(committedDeletes(r)).toBeGreaterThan(0);
    }
  });

  it('REPEATABLE READ is snapshot isolation: write skew (G2-item) shows, but no G-single and no lost update', async () => {
    const found = await findWithin(3, (seed) => run({ workload: 'list-append', isolation: 'repeatable-read', seed }), (r) => (anomalyCounts(r.report)['G2-item'] ?? 0) > 0);
    const counts = anomalyCounts(found.report);
    expect(found.report.isolation?.levels.find((l) => l.level === 'snapshot-isolation')?.status).toBe('holds');
    expectNoneOf(counts, ['G-single', 'lost-update', ...G1]);
    // A concurrent update is refused, never lost: the bank keeps its total.
    const bank = await run({ workload: 'bank', isolation: 'repeatable-read', seed: 5 });
    expect(bank.report.invariants?.[0]?.status).toBe('holds');
    expect(bank.facts.failReasons['serialization-failure'] ?? 0).toBeGreaterThan(0);
    // Scans read the snapshot and a delete of a row the snapshot lacks finds nothing: no phantom, as PostgreSQL documents.
    const predicate = await run({ workload: 'predicate', isolation: 'repeatable-read', seed: 1 });
    expect(committedDeletes(predicate)).toBeGreaterThan(0);
    expectNoneOf(anomalyCounts(predicate.report), ['phantom-read', ...G1]);
  });

  it('READ COMMITTED: read skew (G-single) or non-repeatable reads show, and lost updates; never a dirty read', async () => {
    const found = await findWithin(3, (seed) => run({ workload: 'rw-register', isolation: 'read-committed', seed }), (r) => {
      const c = anomalyCounts(r.report);
      return (c['G-single'] ?? 0) + (c['non-repeatable-read'] ?? 0) > 0;
    });
    expectNoneOf(anomalyCounts(found.report), G1);
    const bank = await run({ workload: 'bank', isolation: 'read-committed', seed: 5 });
    expect(bank.report.invariants?.[0]?.status).toBe('violated');
    const phantoms = await findWithin(3, (seed) => run({ workload: 'predicate', isolation: 'read-committed', seed }), (r) => (anomalyCounts(r.report)['phantom-read'] ?? 0) > 0);
    expectNoneOf(anomalyCounts(phantoms.report), G1);
    expect(committedDeletes(phantoms)).toBeGreaterThan(0);
  });

  it('READ UNCOMMITTED runs as READ COMMITTED: still no dirty read, and the facts say so', async () => {
    const r = await run({ workload: 'list-append', isolation: 'read-uncommitted', seed: 3, abortRate: 0.2 });
    expectNoneOf(anomalyCounts(r.report), G1);
    expect(r.facts.level.note).toMatch(/READ COMMITTED/);
  });

  it('killing its own connections mid-transaction gives info operations, never a false anomaly', async () => {
    const r = await run({ workload: 'list-append', isolation: 'serializable', seed: 21, killEveryMs: 10, ops: 600 });
    expect(r.facts.kills).toBeGreaterThan(0);
    expect(r.facts.info).toBeGreaterThan(0);
    expect(r.history.events.some((e) => e.f === 'kill-connection')).toBe(true);
    expect(r.report.verdict.outcome, r.report.verdict.summary).toBe('ok');
    // A client that got info went on under a fresh process (Jepsen's rule).
    for (const info of r.history.operations.filter((o) => o.status === 'info')) {
      expect(r.history.operations.filter((o) => o.process === info.process && o.call > info.call)).toHaveLength(0);
    }
  });

  it('a client timeout is info: a transaction the client gave up on may have committed', async () => {
    // Six COMMITs (every 7th) are late by far more than the client waits, before it is sent or after the server
    // replied, so the timeouts come whatever the machine's speed (a real slow transaction did not come on
    // a fast CI machine). list-append: its version order is in the reads, so the verdict never waits on
    // an exact search that a busy machine can run out of budget for.
    const late = lateCommits(await connectorFor('postgres'), { every: 7, holdMs: 1_200, limit: 6 });
    const result = await testDatabase({ ...base, workload: 'list-append', isolation: 'serializable', seed: 8, txnTimeoutMs: 300, ops: 150 }, { connector: late.connector });
    namespaces.push(result.facts.namespace);
    expect(late.heldBefore()).toBeGreaterThan(0);
    expect(late.heldAfter()).toBeGreaterThan(0);
    expect(result.facts.infoReasons['client-timeout'] ?? 0).toBeGreaterThanOrEqual(late.heldBefore() + late.heldAfter());
    expect(result.report.verdict.outcome, result.report.verdict.summary).toBe('ok');
    // What the client gave up on after the server committed it shows in the final reads: an info
    // operation's writes that happened, which the checker must take as possible, never as an anomaly.
    const finalValues = new Set(result.history.operations.filter((o) => o.phase === 'final' && o.status === 'ok').flatMap((o) => (o.output as [string, unknown, unknown][]).flatMap(([, k, v]) => (Array.isArray(v) ? v.map((x) => `${String(k)}:${String(x)}`) : []))));
    const timedOut = result.history.operations.filter((o) => o.status === 'info' && o.error === 'client-timeout');
    const committedAnyway = timedOut.filter((o) => (o.input as [string, unknown, unknown][]).some(([f, k, v]) => f === 'append' && finalValues.has(`${String(k)}:${String(v)}`)));
    expect(committedAnyway.length, `${timedOut.length} timed out, none of their appends seen in the final reads`).toBeGreaterThan(0);
  });
});
