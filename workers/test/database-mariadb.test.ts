import { afterAll, describe, expect, it } from 'vitest';
import { testDatabase, type DbTestResult, type DbTestSpec } from '../src/index.js';
import { anomalyCounts } from '../src/databases/db-matrix.js';
import { leftoverNamespaces, MARIADB_TARGET, requireDatabase } from './support/databases.js';
import { G1, committedDeletes, expectNoneOf, findWithin } from './support/database-expect.js';

const ready = await requireDatabase('mariadb');

const base = { target: MARIADB_TARGET, clients: 6, ops: 400, keys: 3, timeLimitS: 40 } satisfies Partial<DbTestSpec>;
const namespaces: string[] = [];

async function run(spec: Omit<DbTestSpec, 'target'>): Promise<DbTestResult> {
  const result = await testDatabase({ ...base, ...spec });
  namespaces.push(result.facts.namespace);
  return result;
}

describe.skipIf(!ready)('MariaDB 10.11 (InnoDB), measured', () => {
  afterAll(async () => {
    if (!ready) return;
    const left = await leftoverNamespaces(MARIADB_TARGET);
    for (const n of namespaces) expect(left).not.toContain(n);
  });

  it('SERIALIZABLE: no anomaly on any workload', async () => {
    for (const workload of ['list-append', 'rw-register', 'bank', 'predicate'] as const) {
      const r = await run({ workload, isolation: 'serializable', seed: 11 });
      expect(r.report.verdict.outcome, `${workload}: ${r.report.verdict.summary}`).toBe('ok');
      expect(anomalyCounts(r.report), workload).toEqual({});
      if (workload === 'predicate') expect(committedDeletes(r)).toBeGreaterThan(0);
    }
  });

  it('REPEATABLE READ lets through what repeatable read forbids: lost updates, G-single, non-repeatable reads', async () => {
    // Reads are snapshot reads, but an upsert or UPDATE reads (and overwrites) the latest row:
    // the locking read behind Jepsen's MySQL findings.
    const found = await findWithin(3, (seed) => run({ workload: 'list-append', isolation: 'repeatable-read', seed }), (r) => {
      const c = anomalyCounts(r.report);
      return (c['lost-update'] ?? 0) > 0 && (c['G-single'] ?? 0) + (c['non-repeatable-read'] ?? 0) > 0;
    });
    expect(found.report.isolation?.levels.find((l) => l.level === 'repeatable-read')?.status).toBe('violated');
    expectNoneOf(anomalyCounts(found.report), G1);
    // The bank loses money for good: two transfers read the same balance and one overwrites the other.
    const bank = await findWithin(3, (seed) => run({ workload: 'bank', isolation: 'repeatable-read', seed }), (r) => (anomalyCounts(r.report)['total-changed'] ?? 0) > 0);
    expect(bank.report.invariants?.[0]?.status).toBe('violated');
    // A DELETE is a locking read too: it removes a row that the transaction's snapshot scan missed.
    const phantom = await findWithin(3, (seed) => run({ workload: 'predicate', isolation: 'repeatable-read', seed }), (r) => (r.report.isolation?.anomalies ?? []).some((a) => a.type === 'phantom-read' && a.sentence.includes('later it deleted')));
    expectNoneOf(anomalyCounts(phantom.report), G1);
  });

  it('READ COMMITTED: no dirty read; READ UNCOMMITTED: dirty reads of aborted writes (G1a)', async () => {
    const rc = await run({ workload: 'list-append', isolation: 'read-committed', seed: 2 });
    expectNoneOf(anomalyCounts(rc.report), G1);
    const ru = await findWithin(3, (seed) => run({ workload: 'list-append', isolation: 'read-uncommitted', seed, abortRate: 0.2 }), (r) => (anomalyCounts(r.report)['G1a'] ?? 0) > 0);
    expect(ru.report.isolation?.levels.find((l) => l.level === 'read-committed')?.status).toBe('violated');
  });

  it('killing its own connections mid-transaction gives info operations, never a false anomaly', async () => {
    const r = await run({ workload: 'rw-register', isolation: 'serializable', seed: 21, killEveryMs: 10, ops: 600 });
    expect(r.facts.kills).toBeGreaterThan(0);
    expect(r.facts.info).toBeGreaterThan(0);
    expect(r.report.verdict.outcome, r.report.verdict.summary).toBe('ok');
  });
});
