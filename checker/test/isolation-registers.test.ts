import { describe, expect, it } from 'vitest';
import { checkHistory, checkIsolation, historyFromOps, isTransactionalHistory, isVerdictError, parseHistory } from '../src/index.js';
import { expectIsolation, sentenceOf, typesOf } from './support/isolation-expect.js';
import { concurrent, failed, info, ok, r, scheduled, serial, w } from './support/isolation-histories.js';

const model = (result: ReturnType<typeof checkIsolation>, name: string) => result.models?.find((m) => m.model === name);

describe('register version orders: never a level on an unknown order (issue 11)', () => {
  it('T0 [w y 1], T1 [r y 1][w x 1][w y 2], T2 [r x 1][r y 1], concurrent: T1\'s write of y follows the 1 it read, so G-single', () => {
    const h = concurrent(ok(w('y', 1)), ok(r('y', 1), w('x', 1), w('y', 2)), ok(r('x', 1), r('y', 1)));
    const result = expectIsolation(h, ['G-single'], 'read-committed');
    expect(result.valid).toBe(false);
    expect(sentenceOf(result, 'G-single')).toContain('before T2 wrote 2');
    expect(result.versionOrders).toMatchObject({ registerKeys: 2, knownKeys: 2, partialKeyCount: 0, sources: ['initial-state', 'wfr-keys'] });
  });

  it('p0: [w x 1]; [w x 2]; [r x 1] in sequence: serializable (the exact search finds 2, 1, read), not strictly', () => {
    const h = serial({ ...ok(w('x', 1)), process: 0 }, { ...ok(w('x', 2)), process: 0 }, { ...ok(r('x', 1)), process: 0 });
    // Only the weakest order that fails is named: process order (real time contains it).
    const result = expectIsolation(h, ['no-serial-order-process'], 'serializable');
    expect(result.valid).toBe(false);
    expect(model(result, 'serializable')).toEqual({ model: 'serializable', status: 'holds', cause: 'decided by the exact search over every order of the 3 transactions' });
    expect(result.exactSearch?.map((e) => [e.model, e.outcome])).toEqual([['strict-serializable', 'illegal'], ['serializable', 'ok'], ['strong-session-serializable', 'illegal']]);
    const witness = result.anomalies.find((a) => a.type === 'no-serial-order-process')!;
    expect(witness.transactions.map((t) => t.ops)).toEqual([[['w', 'x', 1]], [['w', 'x', 2]], [['r', 'x', 1]]]);
    expect(witness.sentence).toBe('No order of T1, T2, T3 that keeps each process\'s order lets every read see the latest write before it (an exact search over every order of these transactions, shrunk from the whole history)');
    expect(result.not).toEqual(['strong-session-serializable']);
    // Snapshot isolation in real time is not claimed either way: no version order is known.
    expect(model(result, 'strong-snapshot-isolation')?.status).toBe('unknown');
    expect(model(result, 'strong-snapshot-isolation')?.cause).toContain('the version order of register key x is unknown: nothing in the history orders 1 and 2');
  });

  it('with --sequential-keys the same history has cyclic versions: 1 before 2 by the writes, 2 before 1 by the read', () => {
    const h = serial({ ...ok(w('x', 1)), process: 0 }, { ...ok(w('x', 2)), process: 0 }, { ...ok(r('x', 1)), process: 0 });
    const result = expectIsolation(h, ['cyclic-versions'], 'none', { sequentialKeys: true });
    expect(sentenceOf(result, 'cyclic-versions')).toBe('The versions 1, 2 of key x must each come before another (from sequential-keys): no version order has them all; written by T1, T2');
    expect(result.not).toEqual(['read-uncommitted']);
  });

  it('--linearizable-keys orders the versions by real time, and the graph alone decides', () => {
    const h = serial(ok(w('x', 1)), ok(w('x', 2)), ok(r('x', 2)));
    const plain = expectIsolation(h, [], 'strict-serializable');
    expect(plain.exactSearch?.map((e) => [e.model, e.outcome])).toEqual([['strict-serializable', 'ok']]);
    const known = expectIsolation(h, [], 'strict-serializable', { linearizableKeys: true });
    expect(known.exactSearch).toBeUndefined();
    expect(known.versionOrders?.sources).toEqual(['initial-state', 'linearizable-keys']);
    expect(known.assumptions).toContain('Each key is linearizable (--linearizable-keys): a transaction that completed before another began saw an earlier or the same version.');
  });

  it('too big for the exact search: the serializable models are unknown, with why, and read committed still holds', () => {
    const h = concurrent(ok(w('x', 1), w('y', 1)), ok(w('x', 2), w('y', 2)), ok(r('x', 1), r('y', 2)));
    const result = checkIsolation(h, { exactTxnsMax: 2 });
    expect(result.anomalies).toEqual([]);
    expect(result.valid).toBe('unknown');
    expect(result.strongest).toBe('read-committed');
    for (const m of ['strict-serializable', 'serializable', 'snapshot-isolation', 'repeatable-read']) expect(model(result, m)?.status, m).toBe('unknown');
    expect(model(result, 'serializable')?.cause).toMatch(/the exact search takes at most 2 transactions, and there are 3$/);
    // With the search, no serial order exists: T3 saw T1's x and T2's y.
    const searched = expectIsolation(h, ['no-serial-order'], 'read-committed');
    expect(model(searched, 'snapshot-isolation')?.status).toBe('unknown');
  });

  it('a search cut short by its budget is unknown, never a pass', () => {
    // Many concurrent blind writers of one key and a read no serial order explains: the search must try them all.
    const writers = Array.from({ length: 14 }, (_, i) => ok(w('x', i + 1), w(`k${i}`, 1)));
    const h = concurrent(...writers, ok(r('x', 99)));
    const result = checkIsolation(historyFromOps(h.ops), { timeLimitMs: 0 });
    expect(result.valid).not.toBe(true);
    expect(model(result, 'serializable')?.status).not.toBe('holds');
  });

  it('an indeterminate write nobody read may never have happened', () => {
    expectIsolation(serial(info(w('x', 1)), ok(r('x', null))), [], 'strict-serializable');
    // Once read, it happened: its other write is a version too (a fractured read).
    expectIsolation(serial(info(w('x', 1), w('y', 1)), ok(r('x', 1), r('y', null))), ['G-single'], 'read-committed');
  });

  it('a write after the version read, known only from that read, makes no G0: under read uncommitted it could precede it', () => {
    // T1 read 2 then wrote 1, T2 read 1 then wrote 2: the writes-follow-reads facts contradict each other.
    const h = concurrent(ok(r('x', 2), w('x', 1)), ok(r('x', 1), w('x', 2)));
    const result = expectIsolation(h, ['G1c', 'cyclic-versions'], 'read-uncommitted');
    expect(result.elleNames?.['cyclic-versions']).toEqual(['cyclic-versions-wfr']);
    expect(result.not).toEqual(['read-committed']);
  });
});

describe('lost update on a value nobody wrote (issue 11)', () => {
  it('p0 [r x 0][w x 1], then p1 [r x 0][w x 2]: both lost-update and impossible-value', () => {
    const result = expectIsolation(serial(ok(r('x', 0), w('x', 1)), ok(r('x', 0), w('x', 2))), ['impossible-value', 'lost-update'], 'none');
    expect(sentenceOf(result, 'lost-update')).toBe('T1 and T2 both read x=0 and then both wrote x: one of the two updates was made to a state the other had already changed');
  });

  it('lists of values nobody appended group by the whole read', () => {
    const h = serial(ok(r('x', [7]), ['append', 'x', 1]), ok(r('x', [7]), ['append', 'x', 2]), ok(r('x', [8]), ['append', 'x', 3]));
    expect(checkIsolation(h).anomalyCounts?.['lost-update']).toBe(1);
  });
});

describe('[r k] without a value (Elle accepts it; issue 11)', () => {
  const edn = [
    '{:process 0 :type :invoke :f :txn :value [[:w :x 1]]}',
    '{:process 0 :type :ok :f :txn :value [[:w :x 1]]}',
    '{:process 0 :type :invoke :f :txn :value [[:r :x] [:r :y]]}',
    '{:process 0 :type :ok :f :txn :value [[:r :x 1] [:r :y]]}',
  ].join('\n');

  it('is a transactional history, read as a read of nil when completed without a value', async () => {
    const history = parseHistory(edn, { format: 'edn' });
    expect(isTransactionalHistory(history)).toBe(true);
    const report = await checkHistory(history);
    expect(report.kind).toBe('transactional');
    expect(report.isolation?.strongest).toBe('strict-serializable');
  });

  it('a transactional history with a bad micro-op gets the isolation checker\'s error, not "needs a model"', async () => {
    const bad = historyFromOps([{ process: 0, type: 'invoke', f: 'txn', value: [['incr', 'x', 1]] }, { process: 0, type: 'ok', f: 'txn', value: [['incr', 'x', 1]] }]);
    expect(isTransactionalHistory(bad)).toBe(true);
    const error = await checkHistory(bad).catch((e: unknown) => e);
    expect(isVerdictError(error) && error.code).toBe('VRD_ERR_ISOLATION_MICRO_OP');
    expect((error as Error).message).toContain('unknown micro-op "incr"');
  });

  it('Knossos\'s [read|write] transactions still need a model, and the message says which', async () => {
    const knossos = historyFromOps([{ process: 0, type: 'invoke', f: 'txn', value: [['write', 'x', 1]] }, { process: 0, type: 'ok', f: 'txn', value: [['write', 'x', 1]] }]);
    expect(isTransactionalHistory(knossos)).toBe(false);
    const error = await checkHistory(knossos).catch((e: unknown) => e);
    expect((error as Error).message).toContain('--model multi-register');
  });
});

describe('options: the models and anomalies judged (Elle\'s :consistency-models and :anomalies)', () => {
  const skew = concurrent(ok(r('x', null), r('y', null), w('x', 1)), ok(r('x', null), r('y', null), w('y', 1)));

  it('judges validity by the models asked for', () => {
    expect(checkIsolation(skew).valid).toBe(false);
    expect(checkIsolation(skew, { consistencyModels: ['snapshot-isolation'] }).valid).toBe(true);
    expect(checkIsolation(skew, { consistencyModels: ['snapshot-isolation', 'repeatable-read'] }).valid).toBe(false);
    expect(checkIsolation(skew, { consistencyModels: ['PL-2'] }).consistencyModels).toEqual(['read-committed']);
  });

  it('anomalies alone: only they (and what implies them) make the history invalid', () => {
    expect(checkIsolation(skew, { anomalies: ['G1'] }).valid).toBe(true);
    expect(checkIsolation(skew, { anomalies: ['G2'] }).valid).toBe(false);
    expect(checkIsolation(skew, { anomalies: ['G2-item'] }).consistencyModels).toEqual([]);
  });

  it('a model that cannot be decided makes validity unknown, never true', () => {
    const result = checkIsolation(serial(ok(w('x', 1)), ok(r('x', 1))), { consistencyModels: ['read-atomic'] });
    expect(result.valid).toBe(true); // implied by strict serializable, which the graph proves
    const h = concurrent(ok(r('x', 1), w('y', 1)), ok(w('x', 1)), ok(r('y', 1), w('x', 2)));
    const undecided = checkIsolation(h, { consistencyModels: ['read-atomic'], exactTxnsMax: 0 });
    expect(model(undecided, 'read-atomic')?.status).toBe('unknown');
    expect(undecided.valid).toBe('unknown');
  });

  it('rejects unknown models and anomalies', () => {
    const codeOf = (f: () => unknown): string | undefined => { try { f(); } catch (e) { return isVerdictError(e) ? String(e.code) : 'other'; } return undefined; };
    expect(codeOf(() => checkIsolation(skew, { consistencyModels: ['stricct-serializable'] }))).toBe('VRD_ERR_CHECK_OPTIONS');
    expect(codeOf(() => checkIsolation(skew, { anomalies: ['G9'] }))).toBe('VRD_ERR_CHECK_OPTIONS');
  });
});

describe('dirty update (Elle\'s list-append check)', () => {
  it('a committed append after an aborted one in a key\'s order', () => {
    const txns = [failed(['append', 'x', 1]), ok(['append', 'x', 2]), ok(r('x', [1, 2]))];
    const h = scheduled(txns, [['i', 0], ['i', 1], ['i', 2], ['c', 0], ['c', 1], ['c', 2]]);
    const result = checkIsolation(h);
    expect(typesOf(result)).toEqual(['G1a', 'dirty-update']);
    expect(sentenceOf(result, 'dirty-update')).toBe('T2 appended 2 to x after T1\'s append of 1, and T1 aborted: a committed write over an aborted one (a dirty update)');
    expect(result.not).toEqual(['read-committed']);
  });
});

describe('regressions the exact search found (graph claims it must not make)', () => {
  it('a list read showing a transaction\'s later append without its earlier one is impossible', () => {
    const h = serial(ok(['scan', [0, 0], []]), ok(['append', 2, 1], ['append', 2, 2], r(0, [])), ok(r(2, [2])));
    const result = expectIsolation(h, ['impossible-value'], 'none');
    expect(sentenceOf(result, 'impossible-value')).toBe('T1 read 2=[2], which shows T2\'s append of 2 but not, before it, T2\'s earlier append of 1: no state of 2 ever looked like that');
  });

  it('an indeterminate transaction whose key a scan saw took effect: its other writes are versions', () => {
    const txns = [ok(['scan', [1, 1], [1]], r('r0', null)), info(['append', 1, 1], w('r0', 2))];
    const result = checkIsolation(scheduled(txns, [['i', 1], ['i', 0], ['c', 0], ['c', 1]]));
    // T1 saw T2's insert of key 1 but not its write of r0: no serial order.
    expect(model(result, 'serializable')?.status).toBe('violated');
  });

  it('a scan that saw a key one of several transactions created: read dependencies are unknown where either choice matters', () => {
    const h = concurrent(ok(['append', 3, 1], r(4, [3])), ok(['scan', [1, 3], [3]], ['append', 3, 2]), ok(['append', 4, 3], ['scan', [0, 3], [3]]));
    const result = checkIsolation(h);
    expect(model(result, 'serializable')?.status).toBe('violated');
    expect(typesOf(result)).toContain('no-serial-order');
    expect(model(result, 'read-committed')).toMatchObject({ status: 'unknown' });
    expect(model(result, 'read-committed')?.cause).toMatch(/^a scan saw key 3, which any of 2 transactions may have created/);
    // Where no choice of creator closes a cycle, it holds.
    expect(model(checkIsolation(concurrent(ok(['append', 1, 1]), ok(['append', 1, 2]), ok(['scan', [0, 1], [1]]))), 'read-committed')?.status).toBe('holds');
  });
});

describe('list appends no read shows', () => {
  it('two transactions\' unobserved appends to one key: snapshot isolation is not claimed, since either order has a G-single', () => {
    const a = (k: string, v: number): ['append', string, number] => ['append', k, v];
    const h = concurrent(
      ok(a('x', 1)), ok(r('x', [1])),
      ok(a('x', 2), r('w', [1]), a('v', 1)), // U1
      ok(a('x', 3), r('z', []), a('u', 1)), // U2
      ok(a('z', 1), a('w', 1)), // Y: U2 misses its z, U1 reads its w
      ok(r('v', [1]), r('u', [])), // X: reads U1's v, misses U2's u
    );
    const result = checkIsolation(h);
    expect(model(result, 'serializable')?.status).toBe('violated');
    expect(typesOf(result)).toEqual(['G2-item']);
    for (const m of ['snapshot-isolation', 'consistent-view']) {
      expect(model(result, m)?.status, m).toBe('unknown');
      expect(model(result, m)?.cause, m).toMatch(/^no read shows the appends of 2 and 3 to list key x \(by two transactions\)/);
    }
    // Repeatable read and read committed are plain graphs: unaffected.
    expect(model(result, 'read-committed')?.status).toBe('holds');
  });
});
