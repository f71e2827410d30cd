import { describe, expect, it } from 'vitest';
import { checkSync, createModel, readHistoryFile } from '../src/index.js';
import { prepareOperations } from '../src/linearizability/prepare.js';
import { shrinkIllegal } from '../src/linearizability/shrink.js';
import { corpusPath } from './support/corpus-expected.js';

describe('shrinking a witness', () => {
  it('spends at most its step budget, so the witness does not depend on how busy the machine is', async () => {
    // etcd_040: 83 ops whose weakened candidates make the search explode.
    const history = await readHistoryFile(corpusPath('porcupine', 'jepsen/etcd_040.log'));
    const { partitions } = prepareOperations(createModel('etcd-register', null), history);
    const { model, operations } = partitions[0]!;
    const none = shrinkIllegal(model, operations, 60_000, 5_000, Infinity, 0);
    expect(none.minimal).toBe(false);
    expect(none.operations.length).toBe(operations.length);
    const ids = (): number[] => shrinkIllegal(model, operations, 60_000, 250_000, Infinity, 1_200_000).operations.map((o) => o.id);
    const first = ids();
    expect(first.length).toBeLessThan(operations.length);
    expect(ids()).toEqual(first);
  });

  it('gives the same witness through check, run after run', async () => {
    const history = await readHistoryFile(corpusPath('porcupine', 'jepsen/etcd_040.log'));
    const witness = (): number[] => checkSync(createModel('etcd-register', null), history).counterexample!.witness.operations.map((o) => o.id);
    expect(witness()).toEqual(witness());
  });
});
