import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readHistoryFile, type History } from '../src/index.js';
import { HISTORIES_DIR, corpusPath, expectedRows } from './support/corpus-expected.js';

const countTypes = (h: History): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const op of h.ops) counts[op.type] = (counts[op.type] ?? 0) + 1;
  return counts;
};

/** Every history file under a corpus folder, relative to it (EXPECTED.tsv and README excluded). */
function historyFiles(folder: string): string[] {
  return (readdirSync(`${HISTORIES_DIR}${folder}`, { recursive: true }) as string[])
    .filter((f) => /\.(edn|log|txt)$/.test(f) && !f.endsWith('EXPECTED.tsv'))
    .sort();
}

describe('the corpus parses', () => {
  it('has an EXPECTED.tsv row for every Porcupine and Knossos file', () => {
    for (const folder of ['porcupine', 'knossos']) {
      const listed = new Set(expectedRows(folder).map((r) => r.file));
      expect(historyFiles(folder).filter((f) => !listed.has(f))).toEqual([]);
    }
  });

  it.each(expectedRows('porcupine').filter((r, i, rows) => rows.findIndex((o) => o.file === r.file) === i).map((r) => [r.file, r.ops]))(
    'porcupine/%s: %s operations, detected from content',
    async (file, ops) => {
      const h = await readHistoryFile(corpusPath('porcupine', file!));
      expect(h.format).toBe(file!.startsWith('jepsen/') ? 'porcupine-etcd' : 'porcupine-kv');
      expect(h.operations).toHaveLength(Number(ops));
      expect(h.ops.length).toBeGreaterThanOrEqual(h.operations.length);
    },
  );

  it.each(historyFiles('knossos'))('knossos/%s reads as Jepsen EDN', async (file) => {
    const h = await readHistoryFile(corpusPath('knossos', file));
    expect(h.format).toBe('edn');
    expect(h.operations.length).toBeGreaterThan(0);
    expect(h.operations.every((o) => ['read', 'write', 'cas'].includes(o.f))).toBe(true);
    expect(h.warnings).toBeUndefined();
  });

  it('knossos cas-failure.edn keeps its pretty-printed nemesis ops as events', async () => {
    const h = await readHistoryFile(corpusPath('knossos', 'cas-register/bad/cas-failure.edn'));
    expect(h.events.length).toBeGreaterThan(0);
    expect(h.events.every((e) => e.process === 'nemesis' && e.type === 'info')).toBe(true);
  });

  describe('Elle histories (verdicts are the isolation checker tests\')', () => {
    it('si-without-g-single.edn: four committed list-append transactions', async () => {
      const h = await readHistoryFile(corpusPath('elle', 'si-without-g-single.edn'));
      expect(h.operations.map((o) => [o.process, o.f, o.status])).toEqual([[2, 'txn', 'ok'], [4, 'txn', 'ok'], [7, 'txn', 'ok'], [9, 'txn', 'ok']]);
      expect(h.operations[3]!.output).toEqual([['append', 6, 2], ['r', 9, [2]]]);
    });

    it('huge-scc.edn: the op counts EXPECTED.tsv gives', async () => {
      const h = await readHistoryFile(corpusPath('elle', 'huge-scc.edn'));
      expect(countTypes(h)).toEqual({ invoke: 10254, ok: 3036, fail: 7070, info: 242 });
      expect(h.operations).toHaveLength(10254);
      expect(h.operations.every((o) => o.f === 'txn')).toBe(true);
    });

    it('paper-example.edn: no :process and no :f, read as FIFO-paired txns with a warning', async () => {
      const h = await readHistoryFile(corpusPath('elle', 'paper-example.edn'));
      expect(h.operations.map((o) => [o.process, o.f, o.call, o.ret, o.status])).toEqual([
        [0, 'txn', 0, 1, 'ok'], [1, 'txn', 2, 3, 'ok'], [2, 'txn', 4, 5, 'ok'], [3, 'txn', 6, 7, 'ok'],
      ]);
      expect(h.operations[2]!.output).toEqual([['append', 256, 4], ['r', 255, [2, 3, 4, 5, 8]], ['r', 256, [1, 2, 4]], ['r', 253, [1, 3, 4]]]);
      expect(h.warnings).toHaveLength(1);
      expect(h.warnings![0]).toMatch(/FIFO/);
    });
  });
});
