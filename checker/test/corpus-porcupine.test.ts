import { describe, expect, it } from 'vitest';
import { checkSync, createModel, readHistoryFile, type Model } from '../src/index.js';
import { corpusPath, expectedRows } from './support/corpus-expected.js';

/** EXPECTED.tsv's model names, as Verdict's models (initial values from the corpus README). */
const MODELS: Record<string, () => Model<any>> = {
  'etcd-register-cas': () => createModel('etcd-register', null),
  'kv-partitioned': () => createModel('kv', ''),
  'kv-nopartition': () => createModel('kv-unpartitioned', ''),
};

const rows = expectedRows('porcupine');

describe('Porcupine corpus verdicts', () => {
  it('lists the 50 etcd logs and the kv logs', () => {
    expect(rows.filter((r) => r.file.startsWith('jepsen/'))).toHaveLength(50);
    expect(rows.filter((r) => r.file.startsWith('kv/')).length).toBeGreaterThanOrEqual(6);
  });

  it.each(rows.map((r) => [r.file, r.model, r.expected_verdict, r.ops]))('%s with %s is %s', async (file, modelName, expected, ops) => {
    const model = MODELS[modelName!];
    if (model === undefined) throw new Error(`EXPECTED.tsv names a model this test does not map: ${modelName}`);
    const history = await readHistoryFile(corpusPath('porcupine', file!));
    expect(history.operations).toHaveLength(Number(ops));
    // A short shrinking budget: the witness only has to exist here, not be minimal.
    const result = checkSync(model(), history, { shrinkTimeMs: 100 });
    expect(result.outcome).toBe(expected);
    if (expected === 'illegal') {
      expect(result.counterexample).toBeDefined();
      expect(result.counterexample!.witness.operations.length).toBeGreaterThan(0);
    }
  });
});
