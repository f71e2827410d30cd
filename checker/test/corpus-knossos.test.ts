import { describe, expect, it } from 'vitest';
import { checkSync, createModel, readHistoryFile } from '../src/index.js';
import { corpusPath, expectedRows } from './support/corpus-expected.js';

const rows = expectedRows('knossos');
const VERDICT: Record<string, string> = { true: 'ok', false: 'illegal' };

describe('Knossos corpus verdicts', () => {
  it('lists the cas-register histories, good and bad', () => {
    expect(rows.filter((r) => r.file.startsWith('cas-register/good/')).length).toBeGreaterThan(50);
    expect(rows.filter((r) => r.file.startsWith('cas-register/bad/')).length).toBeGreaterThanOrEqual(4);
  });

  it.each(rows.map((r) => [r.file, r.model, r.expected_valid]))('%s (%s) valid? %s', async (file, modelName, valid) => {
    if (modelName !== '(knossos.model/cas-register 0)') throw new Error(`EXPECTED.tsv names a model this test does not map: ${modelName}`);
    const expected = VERDICT[valid!];
    if (expected === undefined) throw new Error(`unexpected expected_valid ${valid}`);
    const history = await readHistoryFile(corpusPath('knossos', file!));
    const result = checkSync(createModel('cas-register', 0), history, { shrinkTimeMs: 100 });
    expect(result.outcome).toBe(expected);
    if (expected === 'illegal') {
      expect(result.counterexample).toBeDefined();
      expect(result.counterexample!.witness.operations.length).toBeGreaterThan(0);
    }
  });
});
