import { describe, expect, it } from 'vitest';
import { checkIsolation, historyFromOps, isVerdictError } from '../src/index.js';
import { andStronger, ISOLATION_LEVELS, seedLevels } from '../src/isolation/levels.js';
import { judgeModels } from '../src/isolation/model-verdicts.js';
import { isTransactionalHistory } from '../src/isolation/micro-ops.js';
import { expectIsolation } from './support/isolation-expect.js';
import { a, concurrent, failed, info, ok, r, scan, scheduled, serial, w } from './support/isolation-histories.js';

describe('isolation levels: the seed\'s table', () => {
  it('dirty read ⇒ below read committed', () => {
    expectIsolation(serial(failed(w('x', 3)), ok(r('x', 3))), ['G1a'], 'read-uncommitted');
  });

  it('non-repeatable read ⇒ below repeatable read', () => {
    const txns = [ok(w('x', 1)), ok(r('x', 1), r('x', 2)), ok(w('x', 2))];
    const result = expectIsolation(scheduled(txns, [['i', 0], ['c', 0], ['i', 1], ['i', 2], ['c', 2], ['c', 1]]), ['non-repeatable-read'], 'read-committed');
    expect(result.levels.find((l) => l.level === 'repeatable-read')).toMatchObject({ status: 'violated', ruledOutBy: ['non-repeatable-read'] });
  });

  it('phantom ⇒ below serializable (repeatable read still holds)', () => {
    const txns = [ok(scan(1, 10, []), scan(1, 10, [2])), ok(a(2, 1))];
    const result = expectIsolation(scheduled(txns, [['i', 0], ['i', 1], ['c', 1], ['c', 0]]), ['G2', 'phantom-read'], 'repeatable-read');
    expect(result.levels.find((l) => l.level === 'serializable')?.status).toBe('violated');
    expect(result.levels.find((l) => l.level === 'repeatable-read')?.status).toBe('holds');
  });
});

describe('isolation levels: the lattice', () => {
  it('orders the levels and knows what is stronger than what', () => {
    expect(ISOLATION_LEVELS[0]).toBe('strict-serializable');
    expect(andStronger('read-committed')).toEqual(['strict-serializable', 'serializable', 'snapshot-isolation', 'repeatable-read', 'read-committed']);
    expect(andStronger('snapshot-isolation')).toEqual(['strict-serializable', 'serializable', 'snapshot-isolation']);
    expect(andStronger('repeatable-read')).toEqual(['strict-serializable', 'serializable', 'repeatable-read']);
  });

  it('names both incomparable levels when both hold, and unknown is never a pass', () => {
    const judge = (found: [string, string[]][], undecided: [string, string][] = []) => seedLevels(judgeModels({ found: new Map(found), undecided: new Map(undecided) as never, proven: new Map() }));
    const both = judge([['G2', ['G2']]]);
    expect(both.strongest).toBe('snapshot-isolation');
    expect(both.maximal).toEqual(['snapshot-isolation', 'repeatable-read']);
    const undecided = judge([], [['strict-serializable', 'not checked']]);
    expect(undecided.levels[0]).toEqual({ level: 'strict-serializable', status: 'unknown', cause: 'not checked' });
    expect(undecided.strongest).toBe('serializable');
    expect(judge([['G0', ['G0']]]).strongest).toBe('none');
    expect(andStronger('read-uncommitted')).toEqual(ISOLATION_LEVELS);
  });
});

describe('isolation: clean histories', () => {
  it('a serial list-append history is strict serializable', () => {
    const h = serial(ok(a('x', 1)), ok(r('x', [1]), a('x', 2), a('y', 1)), ok(r('x', [1, 2]), r('y', [1])), failed(a('x', 9)), info(a('z', 1)), ok(r('x', [1, 2])));
    const result = expectIsolation(h, [], 'strict-serializable');
    expect(result.valid).toBe(true);
    expect(result.levels.every((l) => l.status === 'holds')).toBe(true);
    expect(result.stats?.ok).toBe(4);
  });

  it('a serial register history is strict serializable, final reads included', () => {
    const h = serial(ok(w('x', 1), w('y', 1)), ok(r('x', 1), w('x', 2)), { ...ok(r('x', 2), r('y', 1)), phase: 'final' });
    expectIsolation(h, [], 'strict-serializable');
  });

  it('concurrent transactions that can be ordered are serializable and strict', () => {
    expectIsolation(concurrent(ok(a('x', 1)), ok(r('x', [1]), a('y', 1)), ok(r('y', [1]), r('x', [1]))), [], 'strict-serializable');
  });

  it('an empty history is trivially strict serializable', () => {
    expect(checkIsolation([]).strongest).toBe('strict-serializable');
  });
});

describe('isolation: budget and options', () => {
  it('a search cut short is unknown for that anomaly, yet the level verdicts stand', () => {
    const h = concurrent(
      ok(r('x', []), r('w', [1])), ok(a('x', 1), a('y', 1)), ok(r('y', [1]), r('z', [])), ok(a('z', 1), a('w', 1)),
    );
    const full = checkIsolation(h);
    const cut = checkIsolation(h, { searchStepsMax: 0 });
    expect(cut.strongest).toBe(full.strongest);
    expect(cut.levels).toEqual(full.levels);
    expect(cut.anomalies.length).toBeGreaterThan(0); // the level witness, found without a budget
  });

  it('lists at most anomaliesPerTypeMax of a type and counts them all', () => {
    const h = serial(failed(w('x', 1)), ...Array.from({ length: 12 }, () => ok(r('x', 1))));
    const result = checkIsolation(h, { anomaliesPerTypeMax: 3 });
    expect(result.anomalies).toHaveLength(3);
    expect(result.anomalyCounts).toEqual({ G1a: 12 });
  });

  it('judges validity against the expected level', () => {
    const h = concurrent(ok(r('x', []), r('y', []), a('x', 1)), ok(r('x', []), r('y', []), a('y', 1)));
    expect(checkIsolation(h).valid).toBe(false);
    expect(checkIsolation(h, { expected: 'snapshot-isolation' }).valid).toBe(true);
  });

  it('rejects bad options and malformed transactions with VRD_ERR codes', () => {
    const codeOf = (f: () => unknown): string | undefined => {
      try { f(); } catch (e) { return isVerdictError(e) ? String(e.code) : 'not a VerdictError'; }
      return undefined;
    };
    expect(codeOf(() => checkIsolation([], { timeLimitMs: -1 }))).toBe('VRD_ERR_CHECK_OPTIONS');
    const txn = (value: unknown, f = 'txn') => historyFromOps([{ process: 0, type: 'invoke', f, value }, { process: 0, type: 'ok', f, value }]);
    expect(codeOf(() => checkIsolation(txn(1, 'read')))).toBe('VRD_ERR_ISOLATION_NOT_TXN');
    expect(codeOf(() => checkIsolation(txn([['incr', 'x', 1]])))).toBe('VRD_ERR_ISOLATION_MICRO_OP');
    expect(codeOf(() => checkIsolation(txn([['r', 'x', 5]]).operations.concat(txn([['append', 'x', 1], ['w', 'x', 2]]).operations)))).toBe('VRD_ERR_ISOLATION_MIXED_KEY');
    expect(codeOf(() => checkIsolation(serial(ok(a('x', 1)), ok(a('x', 1)))))).toBe('VRD_ERR_ISOLATION_DUPLICATE_WRITE');
  });

  it('recognises transactional histories', () => {
    expect(isTransactionalHistory(serial(ok(a('x', 1), r('x', [1]))))).toBe(true);
    expect(isTransactionalHistory(historyFromOps([{ process: 0, type: 'invoke', f: 'read', value: null }]))).toBe(false);
    expect(isTransactionalHistory([])).toBe(false);
  });
});
