import { describe, expect, it } from 'vitest';
import { expectIsolation, sentenceOf } from './support/isolation-expect.js';
import { a, concurrent, failed, info, ok, r, scan, scheduled, serial, w } from './support/isolation-histories.js';

describe('isolation: dirty reads', () => {
  it('G1a: a committed read of an aborted write', () => {
    const result = expectIsolation(serial(failed(w('x', 3)), ok(r('x', 3))), ['G1a'], 'read-uncommitted');
    expect(sentenceOf(result, 'G1a')).toBe('T2 read x=3, which T1 wrote and then aborted');
    expect(result.anomalies[0].transactions.map((t) => t.status)).toEqual(['fail', 'ok']);
    expect(result.anomalies[0].edges).toEqual([{ from: 'T1', to: 'T2', kind: 'wr', key: 'x', value: 3, why: 'T2 read x=3, which T1 wrote' }]);
  });

  it('G1a in a list: the aborted element anywhere in the read', () => {
    const h = serial(ok(a('x', 1)), failed(a('x', 2)), ok(a('x', 3)), ok(r('x', [1, 2, 3])));
    // A committed append (3) follows the aborted one: Elle's dirty update too.
    const result = expectIsolation(h, ['G1a', 'dirty-update'], 'read-uncommitted');
    expect(sentenceOf(result, 'G1a')).toBe('T2 read x=[1 2 3], including 2, which T1 appended and then aborted');
  });

  it('G1b: a read of a register value its writer overwrote before committing', () => {
    const result = expectIsolation(concurrent(ok(w('x', 1), w('x', 2)), ok(r('x', 1))), ['G1b'], 'read-uncommitted');
    expect(sentenceOf(result, 'G1b')).toContain('intermediate value');
  });

  it('G1b in a list also misses the later append, which closes a G-single cycle', () => {
    expectIsolation(concurrent(ok(a('x', 1), a('x', 2)), ok(r('x', [1]))), ['G-single', 'G1b'], 'read-uncommitted');
  });

  it('an info transaction\'s write that someone read took effect: no G1a', () => {
    expectIsolation(serial(info(w('x', 1)), ok(r('x', 1))), [], 'strict-serializable');
  });
});

describe('isolation: anomalies inside one transaction', () => {
  it('non-repeatable read on a register: no cycle, just the fuzzy read', () => {
    const txns = [ok(w('x', 1)), ok(r('x', 1), r('x', 2)), ok(w('x', 2))];
    const h = scheduled(txns, [['i', 0], ['c', 0], ['i', 1], ['i', 2], ['c', 2], ['c', 1]]);
    const result = expectIsolation(h, ['non-repeatable-read'], 'read-committed');
    expect(sentenceOf(result, 'non-repeatable-read')).toBe('T1 read x=1 and later x=2, without writing it in between');
  });

  it('non-repeatable read on a list also shows as G-single', () => {
    const txns = [ok(a('x', 1)), ok(r('x', [1]), r('x', [1, 2])), ok(a('x', 2))];
    const h = scheduled(txns, [['i', 0], ['c', 0], ['i', 1], ['i', 2], ['c', 2], ['c', 1]]);
    expectIsolation(h, ['G-single', 'non-repeatable-read'], 'read-committed');
  });

  it('internal inconsistency: a transaction that does not see its own append rules out read-atomic and above, as in Elle, not the levels below', () => {
    const result = expectIsolation(serial(ok(a('x', 1), r('x', []))), ['internal-inconsistency'], 'repeatable-read');
    expect(result.not).toEqual(['read-atomic']);
    expect(result.anomalies[0].rulesOut).toEqual(['strict-serializable', 'serializable', 'snapshot-isolation']);
    expect(sentenceOf(result, 'internal-inconsistency')).toBe('T1 appended 1 to x and then read x=[], which does not show its own write');
  });

  it('internal inconsistency: a register read that shows another write than its own', () => {
    // The order of 1 and 2 is unknown, so repeatable read is not claimed either way.
    const result = expectIsolation(concurrent(ok(w('x', 1), r('x', 2)), ok(w('x', 2))), ['internal-inconsistency'], 'read-committed');
    expect(result.levels.find((l) => l.level === 'repeatable-read')?.status).toBe('unknown');
  });

  it('future read: a read of a write the transaction only makes later rules out read committed (Elle: it implies G1c)', () => {
    const result = expectIsolation(serial(ok(r('x', [1]), a('x', 1))), ['future-read'], 'read-uncommitted');
    expect(sentenceOf(result, 'future-read')).toContain('future read');
    expect(result.not).toEqual(['read-committed']);
  });

  it('reads after the transaction\'s own appends are fine when they show them', () => {
    expectIsolation(serial(ok(a('x', 1)), ok(r('x', [1]), a('x', 2), r('x', [1, 2]), a('x', 3), r('x', [1, 2, 3]))), [], 'strict-serializable');
  });
});

describe('isolation: phantoms', () => {
  it('a predicate read whose answer changes within the transaction', () => {
    const txns = [ok(a(1, 1)), ok(scan(1, 10, [1]), scan(1, 10, [1, 2])), ok(a(2, 1))];
    const h = scheduled(txns, [['i', 0], ['c', 0], ['i', 1], ['i', 2], ['c', 2], ['c', 1]]);
    const result = expectIsolation(h, ['G2', 'phantom-read'], 'repeatable-read');
    expect(sentenceOf(result, 'phantom-read')).toBe('T1: its scan of [1 10] did not see key 2, but later its scan of [1 10] saw key 2, and T1 wrote nothing to 2 in between');
    expect(result.levels.find((l) => l.level === 'serializable')?.status).toBe('violated');
  });

  it('a scan that misses a committed insert in its own snapshot', () => {
    const h = concurrent(ok(a('y', 1), a(5, 1)), ok(r('y', [1]), scan(1, 10, [])));
    const result = expectIsolation(h, ['G2', 'phantom-read'], 'repeatable-read');
    expect(sentenceOf(result, 'phantom-read')).toBe('T2 read y=[1], which T1 wrote, yet its scan of [1 10] missed key 5, which T1 inserted in the same commit');
  });

  it('a scan that disagrees with the transaction\'s own item read', () => {
    const h = concurrent(ok(a(3, 1)), ok(r(3, [1]), scan(1, 10, [])));
    expectIsolation(h, ['G2', 'phantom-read'], 'repeatable-read');
  });

  it('a scan that misses the transaction\'s own insert', () => {
    expectIsolation(serial(ok(a(3, 1), scan(1, 10, []))), ['internal-inconsistency'], 'repeatable-read');
  });

  it('consistent scans are clean', () => {
    expectIsolation(serial(ok(a(1, 1)), ok(scan(1, 10, [1]), a(2, 1), scan(1, 10, [1, 2])), ok(scan(2, 2, [2]), r(1, [1]))), [], 'strict-serializable');
  });
});

describe('isolation: impossible and duplicated values', () => {
  it('duplicate-value: an element read twice', () => {
    const result = expectIsolation(serial(ok(a('x', 1)), ok(r('x', [1, 1]))), ['duplicate-value'], 'none');
    expect(sentenceOf(result, 'duplicate-value')).toBe('T1 read x=[1 1], in which 1 appears 2 times, though it was appended once');
  });

  it('impossible-value: a register value nobody wrote', () => {
    const result = expectIsolation(serial(ok(r('x', 7))), ['impossible-value'], 'none');
    expect(sentenceOf(result, 'impossible-value')).toBe('T1 read x=7, which no transaction wrote');
  });

  it('impossible-value: a list element, and a scanned key, nobody wrote', () => {
    expectIsolation(serial(ok(a('x', 1)), ok(r('x', [1, 9]))), ['impossible-value'], 'none');
    expectIsolation(serial(ok(scan(1, 10, [4]))), ['impossible-value'], 'none');
  });

  it('incompatible-order: two reads no single order of appends explains', () => {
    const h = concurrent(ok(a('x', 1)), ok(a('x', 2)), ok(r('x', [1, 2])), ok(r('x', [2])));
    expectIsolation(h, ['incompatible-order'], 'read-uncommitted');
  });
});

describe('isolation: atomic commit (2PC/3PC final reads)', () => {
  it('non-atomic-commit: an indeterminate transaction visible at one participant and missing at the other', () => {
    const txns = [info(a('x', 1), a('y', 1)), { ...ok(r('x', [1])), phase: 'final' }, { ...ok(r('y', [])), phase: 'final' }];
    const h = scheduled(txns, [['i', 0], ['i', 1], ['i', 2], ['c', 0], ['c', 1], ['c', 2]]);
    const result = expectIsolation(h, ['non-atomic-commit'], 'none');
    expect(sentenceOf(result, 'non-atomic-commit')).toBe("T1's append of 1 to x is visible (T2 read x=[1]), but the final read T3 of y=[] lacks its append of 1: T1 took effect at one participant and not at another");
    // Final reads one after the other also break real-time order: x's reader finished first, yet saw T1.
    expectIsolation(serial(...txns), ['G-single-realtime', 'non-atomic-commit'], 'none');
  });

  it('non-atomic-commit of a committed transaction is also a lost write, and one final read sees the split', () => {
    const h = serial(ok(a('x', 1), a('y', 1)), { ...ok(r('x', [1]), r('y', [])), phase: 'final' });
    expectIsolation(h, ['G-single', 'lost-write', 'non-atomic-commit'], 'none');
  });

  it('lost-write: a committed append no final read shows', () => {
    const result = expectIsolation(serial(ok(a('x', 1)), { ...ok(r('x', [])), phase: 'final' }), ['G-single-realtime', 'lost-write'], 'serializable');
    expect(sentenceOf(result, 'lost-write')).toBe('T1 committed its append of 1 to x, but T2, a final read that began after T1 completed, read x=[] without it');
    expect(result.anomalies.find((x) => x.type === 'lost-write')?.edges.map((e) => e.why)).toEqual(['T1 completed before T2 began', "T2 read x=[], without T1's append of 1"]);
  });

  it('an aborted 2PC transaction missing everywhere is fine', () => {
    const h = serial(failed(a('x', 1), a('y', 1)), info(a('x', 2), a('y', 2)), { ...ok(r('x', [2]), r('y', [2])), phase: 'final' });
    expectIsolation(h, [], 'strict-serializable');
  });
});
