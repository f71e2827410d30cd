import { expect } from 'vitest';
import type { DbTestResult } from '../../src/index.js';

/** Dirty reads and writes: what no level from read committed up may show. */
export const G1 = ['G0', 'G1a', 'G1b', 'G1c'] as const;

/** Committed transactions that deleted a key (the predicate workload's deletes that found their row). */
export function committedDeletes(r: DbTestResult): number {
  return r.history.operations.filter((o) => o.status === 'ok' && Array.isArray(o.output) && (o.output as unknown[]).some((m) => Array.isArray(m) && m[0] === 'delete')).length;
}

/** Fails naming every kind found that should not be there. */
export function expectNoneOf(counts: Record<string, number>, kinds: readonly string[]): void {
  const found = kinds.filter((k) => (counts[k] ?? 0) > 0).map((k) => `${k} ${counts[k]}`);
  expect(found, `anomalies that must not appear: ${found.join(', ')}`).toEqual([]);
}

/**
 * Runs seeds 1..tries until `shows` holds: a real database's interleavings are not ours to fix, so
 * an anomaly that a level allows is asserted to show within a few runs, not on one.
 */
export async function findWithin(tries: number, run: (seed: number) => Promise<DbTestResult>, shows: (r: DbTestResult) => boolean): Promise<DbTestResult> {
  const seen: string[] = [];
  for (let seed = 1; seed <= tries; seed++) {
    const r = await run(seed);
    if (shows(r)) return r;
    seen.push(`seed ${seed}: ${r.report.verdict.summary}`);
  }
  throw new Error(`not seen within ${tries} runs:\n  ${seen.join('\n  ')}`);
}
