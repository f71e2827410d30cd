import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkIsolation } from '../src/index.js';
import { exactSearch } from '../src/isolation/exact-search.js';
import { FINAL_READ, historyOf, plannedTxn, runSerially, spansAroundEffects, type PlannedTxn } from './support/isolation-serial-store.js';

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
      const spans = spansAroundEffects(order, widths);
      const result = checkIsolation(historyOf(executed, spans));
      expect(result.anomalies.map((a) => a.sentence)).toEqual([]);
      expect(result.strongest).toBe('strict-serializable');
      expect(result.valid).toBe(true);
    }), { numRuns: 300 });
  });

  it('a serial execution with one read changed: where the dependency graph decides serializability, the exact search agrees', () => {
    let decided = 0;
    let broken = 0;
    fc.assert(fc.property(fc.array(plannedTxn, { minLength: 2, maxLength: 9 }), fc.array(fc.double({ noNaN: true }), { minLength: 9, maxLength: 9 }), fc.nat(), fc.nat(), (planned, sortKeys, which, pick) => {
      const executed = runSerially(planned, permutation(sortKeys, planned.length));
      if (!mutateRead(executed, which, pick)) return;
      const history = historyOf(executed, executed.map((_, i): [number, number] => [i, 100 + i]));
      const result = checkIsolation(history, { exactTxnsMax: 0 });
      const graph = result.models?.find((m) => m.model === 'serializable')?.status;
      if (graph === 'unknown') return;
      decided++;
      const exact = exactSearch(history.operations, 'serializable', { timeLimitMs: 10_000, memoryLimitBytes: 2 ** 28 });
      expect(exact.outcome, JSON.stringify(executed)).toBe(graph === 'holds' ? 'ok' : 'illegal');
      if (graph === 'violated') broken++;
    }), { numRuns: 300 });
    // The mutations must reach both answers, or the property checks little.
    expect(decided).toBeGreaterThan(100);
    expect(broken).toBeGreaterThan(20);
  });
});

/**
 * Changes the result of one committed read: a register read to another value written to its key
 * (or nil), a list read to a shorter prefix or with another appended element. False when the
 * execution has no read to change.
 */
function mutateRead(executed: ReturnType<typeof runSerially>, which: number, pick: number): boolean {
  const reads: [number, number][] = [];
  executed.forEach((e, t) => { if (e.outcome === 'ok') e.complete.forEach((m, i) => { if (m[0] === 'r') reads.push([t, i]); }); });
  if (reads.length === 0) return false;
  const [t, i] = reads[which % reads.length];
  const [, key, value] = executed[t].complete[i];
  const written = executed.flatMap((e) => e.invoke.filter((m) => (m[0] === 'w' || m[0] === 'append') && m[1] === key).map((m) => m[2]));
  if (Array.isArray(value)) {
    const list = value as unknown[];
    const extra = written.filter((v) => !list.includes(v));
    executed[t].complete[i] = ['r', key, pick % 2 === 0 && list.length > 0 ? list.slice(0, pick % list.length) : [...list, ...(extra.length > 0 ? [extra[pick % extra.length]] : [])]];
  } else {
    const choices = [null, ...written].filter((v) => v !== value);
    if (choices.length === 0) return false;
    executed[t].complete[i] = ['r', key, choices[pick % choices.length]];
  }
  return true;
}
