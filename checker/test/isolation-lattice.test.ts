import { describe, expect, it } from 'vitest';
import { anomaliesProhibitedBy, impliedModels, isAnomalyName, isTxnModelName, modelNamed, modelsRuledOutBy, strongestOf, TXN_MODELS, weakestOf, type TxnModel } from '../src/isolation/model-lattice.js';
import { boundary, judgeModels } from '../src/isolation/model-verdicts.js';

/** Elle's friendly boundary of a set of anomalies: the weakest models ruled out, and the rest. */
function friendlyBoundary(anomalies: string[]): { not: string[]; alsoNot: string[] } {
  const verdicts = judgeModels({ found: new Map(anomalies.map((a) => [a, [a]])), undecided: new Map(), proven: new Map() });
  const b = boundary(verdicts);
  return { not: [...b.not].sort(), alsoNot: [...b.alsoNot].sort() };
}

const sorted = (xs: Iterable<string>): string[] => [...xs].sort();

/** Expectations written from reading Elle's consistency_model_test.clj (Elle's names; models Verdict does not carry left out). */
describe('the lattice agrees with Elle\'s consistency-model tests', () => {
  it('weakest and strongest models', () => {
    expect(weakestOf(['serializable', 'strict-serializable'])).toEqual(['serializable']);
    expect(weakestOf(['serializable', 'read-atomic'])).toEqual(['read-atomic']);
    expect(strongestOf(['serializable', 'strict-serializable'])).toEqual(['strict-serializable']);
    expect(strongestOf(['read-atomic', 'serializable'])).toEqual(['serializable']);
    expect(strongestOf(['repeatable-read', 'read-committed'])).toEqual(['repeatable-read']);
    expect(sorted(impliedModels('strong-session-serializable'))).toContain('snapshot-isolation');
    expect(TXN_MODELS.filter((m) => impliedModels(m).has('strong-session-serializable')).sort()).toEqual(['strict-serializable', 'strong-session-serializable']);
  });

  it('anomalies prohibited by read committed', () => {
    const elle = ['G0', 'G1', 'G1a', 'G1b', 'G1c', 'cyclic-versions', 'dirty-update', 'duplicate-elements', 'future-read', 'incompatible-order'];
    // Verdict's own types that join them: values nobody wrote, split commits, a wfr-only version cycle.
    const verdict = ['cyclic-versions-wfr', 'impossible-value', 'non-atomic-commit'];
    expect(sorted(anomaliesProhibitedBy(['read-committed']))).toEqual(sorted([...elle, ...verdict]));
  });

  it('the models an anomaly rules out', () => {
    expect(sorted(modelsRuledOutBy('G-single'))).toEqual(sorted(['consistent-view', 'forward-consistent-view', 'strict-serializable', 'serializable', 'snapshot-isolation',
      'strong-session-serializable', 'strong-session-snapshot-isolation', 'strong-snapshot-isolation', 'update-serializable']));
    expect(sorted(modelsRuledOutBy('G-SI'))).toEqual(sorted(['snapshot-isolation', 'serializable', 'strict-serializable', 'strong-session-serializable', 'strong-session-snapshot-isolation', 'strong-snapshot-isolation']));
    expect(sorted(modelsRuledOutBy('internal'))).toEqual(sorted(['causal-cerone', 'parallel-snapshot-isolation', 'prefix', 'read-atomic', 'update-atomic', 'serializable', 'snapshot-isolation',
      'strict-serializable', 'strong-session-serializable', 'strong-session-snapshot-isolation', 'strong-snapshot-isolation']));
    expect(sorted(modelsRuledOutBy('dirty-update'))).toEqual(sorted(['read-committed', 'monotonic-atomic-view', 'snapshot-isolation', 'repeatable-read', 'update-atomic', 'serializable',
      'strict-serializable', 'update-serializable', 'cursor-stability', 'forward-consistent-view', 'consistent-view', 'monotonic-view', 'monotonic-snapshot-read', 'causal-cerone',
      'parallel-snapshot-isolation', 'prefix', 'read-atomic', 'strong-session-read-committed', 'strong-session-serializable', 'strong-session-snapshot-isolation',
      'strong-read-committed', 'strong-snapshot-isolation']));
  });

  it('boundaries', () => {
    expect(friendlyBoundary([])).toEqual({ not: [], alsoNot: [] });
    expect(friendlyBoundary(['cyclic-versions'])).toEqual({ not: ['read-uncommitted'], alsoNot: sorted(TXN_MODELS.filter((m) => m !== 'read-uncommitted')) });
    expect(friendlyBoundary(['internal'])).toEqual({ not: ['read-atomic'], alsoNot: sorted(['causal-cerone', 'parallel-snapshot-isolation', 'prefix', 'update-atomic', 'serializable', 'snapshot-isolation',
      'strict-serializable', 'strong-session-serializable', 'strong-session-snapshot-isolation', 'strong-snapshot-isolation']) });
    expect(friendlyBoundary(['G1a'])).toEqual({ not: ['read-committed'], alsoNot: sorted(['read-atomic', 'update-atomic', 'causal-cerone', 'consistent-view', 'cursor-stability',
      'forward-consistent-view', 'monotonic-atomic-view', 'monotonic-snapshot-read', 'monotonic-view', 'parallel-snapshot-isolation', 'prefix', 'repeatable-read', 'serializable',
      'snapshot-isolation', 'strong-read-committed', 'strong-snapshot-isolation', 'strict-serializable', 'strong-session-read-committed', 'strong-session-serializable',
      'strong-session-snapshot-isolation', 'update-serializable']) });
    expect(friendlyBoundary(['G-single'])).toEqual({ not: ['consistent-view'], alsoNot: sorted(['snapshot-isolation', 'serializable', 'strict-serializable', 'strong-session-snapshot-isolation',
      'strong-snapshot-isolation', 'strong-session-serializable', 'forward-consistent-view', 'update-serializable']) });
    expect(friendlyBoundary(['G2', 'internal']).not).toEqual(['read-atomic']);
    expect(friendlyBoundary(['lost-update']).not).toEqual(['cursor-stability', 'update-atomic']);
    expect(friendlyBoundary(['G-single-realtime'])).toEqual({ not: ['strong-snapshot-isolation'], alsoNot: ['strict-serializable'] });
  });

  it('names: Elle\'s aliases, and Verdict\'s anomaly types by their Elle names', () => {
    expect(modelNamed('strong-serializable')).toBe('strict-serializable');
    expect(modelNamed('PL-2.99')).toBe('repeatable-read');
    expect(isTxnModelName('stricct-snappshot-isolation')).toBe(false);
    for (const a of ['G-single', 'G-single-item', 'internal-inconsistency', 'internal', 'duplicate-value', 'lost-update', 'no-serial-order']) expect(isAnomalyName(a), a).toBe(true);
    expect(isAnomalyName('G9')).toBe(false);
  });
});

describe('judging models', () => {
  it('a model nothing decides is unknown, and holds once a stronger model does', () => {
    const judged = (proven: [TxnModel, string][], undecided: [TxnModel, string][] = []) => judgeModels({ found: new Map(), undecided: new Map(undecided), proven: new Map(proven) });
    const none = judged([], [['strict-serializable', 'x'], ['serializable', 'x'], ['strong-session-serializable', 'x'], ['snapshot-isolation', 'x'], ['strong-snapshot-isolation', 'x'],
      ['strong-session-snapshot-isolation', 'x'], ['repeatable-read', 'x'], ['consistent-view', 'x']]);
    expect(none.find((v) => v.model === 'read-atomic')).toEqual({ model: 'read-atomic', status: 'unknown',
      cause: 'its definition (Cerone et al.) is not captured by the anomalies searched for (a fractured read shows only as a G-single cycle); it holds when snapshot-isolation does' });
    expect(none.find((v) => v.model === 'read-committed')?.status).toBe('holds');
    const proven = judged([['serializable', 'by search']], [['strict-serializable', 'x'], ['strong-session-serializable', 'x'], ['serializable', 'x'], ['snapshot-isolation', 'x']]);
    expect(proven.find((v) => v.model === 'strict-serializable')).toEqual({ model: 'strict-serializable', status: 'unknown', cause: 'x' });
    expect(proven.find((v) => v.model === 'serializable')).toEqual({ model: 'serializable', status: 'holds', cause: 'by search' });
    expect(proven.find((v) => v.model === 'read-atomic')).toEqual({ model: 'read-atomic', status: 'holds', cause: 'implied by serializable' });
    expect(proven.find((v) => v.model === 'snapshot-isolation')?.status).toBe('holds');
  });
});
