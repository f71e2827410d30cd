import { describe, expect, it } from 'vitest';
import { checkHistory, createModel, parseHistory, type LevelResult, type Report } from '@verdict/checker';
import { mergeReports } from '@verdict/workers';
import { splitHistory } from '../src/jobs/split-history.js';
import { corpus } from './support/http.js';

function levelsReport(levels: [string, LevelResult['status']][]): Report {
  return {
    version: 1,
    kind: 'single-object',
    history: { events: 4, operations: 2, processes: 1, faults: 1 },
    consistency: {
      levels: levels.map(([level, status]) => ({ level: level as LevelResult['level'], status, ...(status === 'violated' ? { violations: [{ kind: `${level}-broken`, sentence: `${level} broke`, operations: [] }] } : {}) })),
      strongest: 'none',
    },
    verdict: { outcome: 'ok', summary: '' },
    elapsedMs: 5,
  };
}

describe('splitting a history by key and merging the parts\' reports', () => {
  for (const file of ['porcupine/kv/c10-ok.txt', 'porcupine/kv/c10-bad.txt', 'porcupine/kv/c01-bad.txt']) {
    it(`${file}: the parts cover every operation once, and the merged verdict is the whole history's`, async () => {
      const history = parseHistory(corpus(file).toString(), { source: file });
      const model = createModel('kv', '');
      const slices = splitHistory(history, model, 4);
      expect(slices.length).toBeGreaterThan(1);
      const keys = slices.flatMap((s) => s.keys);
      expect(new Set(keys).size).toBe(keys.length);
      expect(slices.reduce((n, s) => n + s.history.operations.length, 0)).toBe(history.operations.length);
      for (const s of slices) expect(s.history.events).toHaveLength(history.events.length);
      const whole = await checkHistory(history, { model: 'kv', init: '' });
      const parts = await Promise.all(slices.map((s) => checkHistory(s.history, { model: 'kv', init: '' })));
      const merged = mergeReports(parts);
      expect(merged.linearizability!.outcome).toBe(whole.linearizability!.outcome);
      expect(merged.verdict.outcome).toBe(whole.verdict.outcome);
      expect(merged.history.operations).toBe(whole.history.operations);
      expect(merged.linearizability!.partitions.map((p) => p.key).sort()).toEqual(whole.linearizability!.partitions.map((p) => p.key).sort());
      if (whole.linearizability!.outcome === 'illegal') expect(merged.linearizability!.counterexample).toBeDefined();
      expect(merged.verdict.summary).toContain(`checked in ${slices.length} parts by key`);
    });
  }

  it('keeps a history whole when its model does not partition', () => {
    const history = parseHistory(corpus('knossos/cas-register/bad/cas-failure.edn').toString());
    expect(splitHistory(history, createModel('cas-register', 0), 4)).toEqual([{ history, keys: [] }]);
  });

  it('promotes only local levels to holds: a violation anywhere is a violation, unknown is never a pass', () => {
    const allHold = mergeReports([levelsReport([['strong', 'holds'], ['sequential', 'holds'], ['session', 'holds'], ['eventual', 'holds']]), levelsReport([['strong', 'holds'], ['sequential', 'holds'], ['session', 'holds'], ['eventual', 'holds']])]);
    expect(allHold.consistency!.levels.map((l) => l.status)).toEqual(['holds', 'holds', 'holds', 'holds']);
    expect(allHold.consistency!.strongest).toBe('strong');
    const mixed = mergeReports([
      levelsReport([['strong', 'violated'], ['sequential', 'holds'], ['session', 'holds'], ['eventual', 'holds']]),
      levelsReport([['strong', 'holds'], ['sequential', 'holds'], ['session', 'unknown'], ['eventual', 'holds']]),
    ]);
    const status = Object.fromEntries(mixed.consistency!.levels.map((l) => [l.level, l.status]));
    // Sequential holds in each part, but it relates keys: the whole is undecided.
    expect(status).toEqual({ strong: 'violated', sequential: 'unknown', session: 'unknown', eventual: 'holds' });
    expect(mixed.consistency!.levels[0]!.violations).toEqual([{ kind: 'strong-broken', sentence: 'strong broke', operations: [] }]);
    expect(mixed.consistency!.strongest).toBe('eventual');
    expect(mixed.verdict.outcome).toBe('violated');
  });
});
