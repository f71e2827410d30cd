import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkIsolation } from '../src/index.js';
import { FINAL_READ, historyOf, plannedTxn, runSerially, type PlannedTxn } from './support/isolation-serial-store.js';

/** Random transactions, sometimes followed by a final read of every key (it runs last). */
const txns = fc.tuple(fc.array(plannedTxn, { minLength: 1, maxLength: 13 }), fc.boolean())
  .map(([planned, final]): PlannedTxn[] => (final ? [...planned, FINAL_READ] : planned));

/** A permutation of 0..n-1 from random sort keys; a final read stays last. */
function executionOrder(planned: readonly PlannedTxn[], keys: readonly number[]): number[] {
  const order = permutation(keys, planned.length);
  const final = planned.findIndex((t) => t.phase === 'final');
  return final < 0 ? order : [...order.filter((i) => i !== final), final];
}

/** A permutation of 0..n-1 from random sort keys. */
function permutation(keys: readonly number[], n: number): number[] {
  return Array.from({ length: n }, (_, i) => i).sort((a, b) => (keys[a] ?? 0) - (keys[b] ?? 0) || a - b);
}

describe('isolation properties', () => {
  it('a serial execution, however its operations interleave, is serializable and shows nothing else', () => {
    fc.assert(fc.property(txns, fc.array(fc.double({ noNaN: true }), { minLength: 14, maxLength: 14 }), fc.array(fc.tuple(fc.nat(1000), fc.nat(1000)), { minLength: 14, maxLength: 14 }), (planned, sortKeys, times) => {
      const order = executionOrder(planned, sortKeys);
      const executed = runSerially(planned, order);
      // Invocations and completions anywhere: only real time could tell the order, so leave it out.
      const spans = executed.map((_, i): [number, number] => {
        const [x, y] = times[i];
        return [Math.min(x, y) * 100 + i * 2 / 1000, Math.max(x, y) * 100 + (i * 2 + 1) / 1000];
      });
      const result = checkIsolation(historyOf(executed, spans), { realtime: false, process: false });
      expect(result.anomalies.map((a) => a.sentence)).toEqual([]);
      expect(result.strongest).toBe('serializable');
      expect(result.levels[0].status).toBe('unknown');
    }), { numRuns: 300 });
  });

  it('a serial execution whose every transaction takes effect between its invocation and completion is strict serializable', () => {
    fc.assert(fc.property(txns, fc.array(fc.double({ noNaN: true }), { minLength: 14, maxLength: 14 }), fc.array(fc.tuple(fc.nat(40), fc.nat(40)), { minLength: 14, maxLength: 14 }), (planned, sortKeys, widths) => {
      const order = executionOrder(planned, sortKeys);
      const executed = runSerially(planned, order);
      const spans: [number, number][] = new Array(planned.length);
      order.forEach((i, rank) => {
        const at = rank * 50 + 25;
        spans[i] = [at - widths[i][0] - i / 1000, at + widths[i][1] + i / 1000];
      });
      const result = checkIsolation(historyOf(executed, spans));
      expect(result.anomalies.map((a) => a.sentence)).toEqual([]);
      expect(result.strongest).toBe('strict-serializable');
      expect(result.valid).toBe(true);
    }), { numRuns: 300 });
  });
});
