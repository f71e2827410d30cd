import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkIsolation, readHistoryFile, type History } from '../src/index.js';
import { isTransactionalHistory } from '../src/isolation/micro-ops.js';
import { typesOf } from './support/isolation-expect.js';

/** Elle's own histories (histories/elle, EPL-2.0) with the verdicts in its EXPECTED.tsv. */
const corpus = (name: string): Promise<History> => readHistoryFile(fileURLToPath(new URL(`../../histories/elle/${name}`, import.meta.url)));

const statusOf = (result: ReturnType<typeof checkIsolation>, level: string): string | undefined => result.levels.find((l) => l.level === level)?.status;

describe('isolation: the Elle corpus', () => {
  it('si-without-g-single.edn: G2-item, never G-single; rules out repeatable read, not snapshot isolation', async () => {
    const history = await corpus('si-without-g-single.edn');
    expect(isTransactionalHistory(history)).toBe(true);
    // Elle's test checks [:snapshot-isolation :repeatable-read]: no real-time order.
    const result = checkIsolation(history, { realtime: false, process: false });
    expect(typesOf(result)).toEqual(['G2-item']);
    expect(statusOf(result, 'repeatable-read')).toBe('violated');
    expect(statusOf(result, 'snapshot-isolation')).toBe('holds');
    expect(result.strongest).toBe('snapshot-isolation');
    // With real time (history order: every transaction completes before the next begins) a
    // stale read shows up too, but still no G-single and snapshot isolation still holds.
    const strict = checkIsolation(history);
    expect(typesOf(strict)).toEqual(['G-single-realtime', 'G2-item']);
    expect(statusOf(strict, 'snapshot-isolation')).toBe('holds');
  });

  it('paper-example.edn: G-single (ops without :process or :f)', async () => {
    const history = await corpus('paper-example.edn');
    const result = checkIsolation(history);
    expect(typesOf(result)).toEqual(['G-single']);
    expect(statusOf(result, 'repeatable-read')).toBe('violated');
    expect(result.strongest).toBe('read-committed');
    const g = result.anomalies[0];
    expect(g.transactions).toHaveLength(3);
    expect(g.sentence).toContain('without T2\'s append of 8');
  });

  it('huge-scc.edn: not strict serializable (a real-time cycle in a component of over a thousand transactions)', async () => {
    const history = await corpus('huge-scc.edn');
    const result = checkIsolation(history, { timeLimitMs: 10_000 });
    expect(result.valid).toBe(false);
    expect(statusOf(result, 'strict-serializable')).toBe('violated');
    // Elle rules out only strong snapshot isolation (and what is stronger): serializable holds.
    expect(statusOf(result, 'serializable')).toBe('holds');
    expect(result.strongest).toBe('serializable');
    expect(typesOf(result).every((t) => t.endsWith('-realtime') || t.endsWith('-process'))).toBe(true);
    expect(result.stats?.largestComponent).toBeGreaterThan(1000);
  });

  it('huge-scc.edn with a tiny search budget: still invalid, with the cut-short kinds unknown', async () => {
    const history = await corpus('huge-scc.edn');
    const result = checkIsolation(history, { searchStepsMax: 2000 });
    expect(result.valid).toBe(false);
    expect(statusOf(result, 'strict-serializable')).toBe('violated');
    expect(statusOf(result, 'serializable')).toBe('holds');
    expect(result.anomalies.length).toBeGreaterThan(0);
    expect(result.unknown.length).toBeGreaterThan(0);
    for (const u of result.unknown) expect(u.cause).toMatch(/step limit reached.*component of \d+ transactions/);
  });
});
