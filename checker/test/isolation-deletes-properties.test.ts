import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkIsolation } from '../src/index.js';
import { rowTxn, runRowsSerially } from './support/isolation-delete-store.js';
import { historyOf, spansAroundEffects } from './support/isolation-serial-store.js';

const txns = fc.array(rowTxn, { minLength: 1, maxLength: 12 });

function permutation(keys: readonly number[], n: number): number[] {
  return Array.from({ length: n }, (_, i) => i).sort((a, b) => (keys[a] ?? 0) - (keys[b] ?? 0) || a - b);
}

describe('isolation properties with deletes', () => {
  it('a serial execution of scans, inserts and deletes, however its operations interleave, is serializable and shows nothing else', () => {
    fc.assert(fc.property(txns, fc.array(fc.double({ noNaN: true }), { minLength: 12, maxLength: 12 }), fc.array(fc.tuple(fc.nat(1000), fc.nat(1000)), { minLength: 12, maxLength: 12 }), (planned, sortKeys, times) => {
      const executed = runRowsSerially(planned, permutation(sortKeys, planned.length));
      const spans = executed.map((_, i): [number, number] => {
        const [x, y] = times[i];
        return [Math.min(x, y) * 100 + i * 2 / 1000, Math.max(x, y) * 100 + (i * 2 + 1) / 1000];
      });
      const result = checkIsolation(historyOf(executed, spans), { realtime: false, process: false });
      expect(result.anomalies.map((a) => a.sentence)).toEqual([]);
      expect(result.strongest).toBe('serializable');
    }), { numRuns: 300 });
  });

  it('a serial execution of scans, inserts and deletes, each taking effect between its invocation and completion, is strict serializable', () => {
    fc.assert(fc.property(txns, fc.array(fc.double({ noNaN: true }), { minLength: 12, maxLength: 12 }), fc.array(fc.tuple(fc.nat(40), fc.nat(40)), { minLength: 12, maxLength: 12 }), (planned, sortKeys, widths) => {
      const order = permutation(sortKeys, planned.length);
      const executed = runRowsSerially(planned, order);
      const spans = spansAroundEffects(order, widths);
      const result = checkIsolation(historyOf(executed, spans));
      expect(result.anomalies.map((a) => a.sentence)).toEqual([]);
      expect(result.strongest).toBe('strict-serializable');
      expect(result.valid).toBe(true);
    }), { numRuns: 300 });
  });
});
