import { describe, expect, it } from 'vitest';
import { checkIsolation, readHistoryFile } from '../src/index.js';
import { expectIsolation, sentenceOf } from './support/isolation-expect.js';
import { concurrent, del, failed, info, ok, r, scan, scheduled, serial, w, type TxnSpec } from './support/isolation-histories.js';

const statusOf = (result: ReturnType<typeof checkIsolation>, model: string): string | undefined => result.models?.find((m) => m.model === model)?.status;

describe('isolation: deletes, clean histories', () => {
  it('a serial history with inserts, deletes, scans and item reads is strict serializable', () => {
    const h = serial(ok(w(1, 1), w(2, 2)), ok(scan(1, 10, [1, 2])), ok(del(1)), ok(scan(1, 10, [2]), r(1, null)), ok(r(2, 2), del(2)), ok(scan(0, 5, [])));
    const result = expectIsolation(h, [], 'strict-serializable');
    expect(result.valid).toBe(true);
    expect((result.assumptions ?? []).some((a) => a.startsWith('Deleted keys exist from their one insert to their one delete'))).toBe(true);
  });

  it('a serial history with deletes is serializable with real time and process order left out', () => {
    const h = serial(ok(w(1, 1)), ok(scan(1, 10, [1])), ok(del(1)), ok(scan(1, 10, [])), ok(w(3, 3)), ok(scan(1, 10, [3])));
    const result = checkIsolation(h, { realtime: false, process: false });
    expect(result.anomalies).toEqual([]);
    expect(result.strongest).toBe('serializable');
  });

  it('a scan that misses a deleted key, concurrent with its insert and delete: placed either way, nothing is guessed', () => {
    const result = expectIsolation(concurrent(ok(w(1, 1)), ok(del(1)), ok(scan(1, 10, []))), [], 'strict-serializable');
    expect(statusOf(result, 'serializable')).toBe('holds');
  });

  it('a miss that only the place after the delete explains: the one-at-a-time placement finds that place, with no exact search', () => {
    // T3 saw T1's y, so it follows T1: its miss of key 1 must follow T2's delete.
    const txns = [ok(w(1, 1), w('y', 1)), ok(del(1)), ok(r('y', 1), scan(1, 10, []))];
    const result = expectIsolation(concurrent(...txns), [], 'strict-serializable', { exactTxnsMax: 1 });
    expect(statusOf(result, 'serializable')).toBe('holds');
    expect(result.exactSearch).toBeUndefined();
  });

  it('an item read of nil, concurrent with the insert and the delete, is clean', () => {
    expectIsolation(concurrent(ok(w(1, 1)), ok(del(1)), ok(r(1, null))), [], 'strict-serializable');
  });

  it('a transaction that deletes a key and then scans without it, or reads nil, is clean', () => {
    expectIsolation(serial(ok(w(1, 1)), ok(scan(1, 10, [1]), del(1), scan(1, 10, []), r(1, null))), [], 'strict-serializable');
  });

  it('an indeterminate delete may or may not have happened: later scans that see the key, or miss it, are both clean', () => {
    expectIsolation(serial(ok(w(1, 1)), info(del(1)), ok(scan(1, 10, [1]))), [], 'strict-serializable');
    expectIsolation(serial(ok(w(1, 1)), info(del(1)), ok(scan(1, 10, []))), [], 'strict-serializable');
  });

  it('a failed delete changes nothing: later scans still see the key', () => {
    expectIsolation(serial(ok(w(1, 1)), failed(del(1)), ok(scan(1, 10, [1]))), [], 'strict-serializable');
  });
});

describe('isolation: deletes, anomalies', () => {
  it('a scan that shows a key after its deleter committed in the same session: the session order is broken, serializability is not', () => {
    const txns: TxnSpec[] = [ok(w(1, 1)), { ...ok(del(1)), process: 7 }, { ...ok(scan(1, 10, [1])), process: 7 }];
    const result = checkIsolation(serial(...txns));
    expect(statusOf(result, 'strong-session-serializable')).toBe('violated');
    expect(statusOf(result, 'strict-serializable')).toBe('violated');
    expect(statusOf(result, 'serializable')).toBe('holds');
    const cycle = result.anomalies.find((a) => a.type === 'G2-process');
    expect(cycle?.edges?.map((e) => e.why)).toEqual(['T1\'s scan of [1 10] saw key 1, before T2 deleted it', 'T2 ran before T1 on process 7']);
  });

  it('an item read of a deleted key\'s value after the delete committed in the same session', () => {
    const txns: TxnSpec[] = [ok(w(1, 1)), { ...ok(del(1)), process: 7 }, { ...ok(r(1, 1)), process: 7 }];
    const result = checkIsolation(serial(...txns));
    expect(statusOf(result, 'strong-session-serializable')).toBe('violated');
    expect(statusOf(result, 'serializable')).toBe('holds');
  });

  it('G2 through deletes: each scan saw the key the other deleted (write skew on a predicate)', () => {
    const h = serial(ok(w(1, 1), w(15, 15)));
    const txns = [ok(w(1, 1), w(15, 15)), ok(scan(1, 10, [1]), del(15)), ok(scan(11, 20, [15]), del(1))];
    const skew = scheduled(txns, [['i', 0], ['c', 0], ['i', 1], ['i', 2], ['c', 1], ['c', 2]]);
    expect(checkIsolation(h).anomalies).toEqual([]);
    const result = expectIsolation(skew, ['G2'], 'snapshot-isolation');
    expect(statusOf(result, 'serializable')).toBe('violated');
  });

  it('a scan that saw an insert\'s other write but missed its key, which only an aborted transaction deleted, read the aborted delete: G1a', () => {
    const txns = [ok(w(1, 1), w('y', 1)), failed(del(1)), ok(r('y', 1), scan(1, 10, []))];
    const result = expectIsolation(concurrent(...txns), ['G1a', 'G2'], 'read-uncommitted');
    expect(sentenceOf(result, 'G1a')).toBe('T3 read y=1, which T1 wrote, yet its scan of [1 10] missed key 1, which T1 inserted in the same commit and only T2 deleted, and T2 aborted: it saw an aborted delete');
  });

  it('a delete of a key only an aborted transaction inserted: G1a; of a key nobody inserted: impossible', () => {
    const result = expectIsolation(serial(failed(w(1, 1)), ok(del(1))), ['G1a'], 'read-uncommitted');
    expect(sentenceOf(result, 'G1a')).toBe('T2 deleted key 1, which only T1 inserted, and T1 aborted: the delete found an aborted insert');
    expect(sentenceOf(expectIsolation(serial(ok(del(1))), ['impossible-value'], 'none'), 'impossible-value')).toBe('T1 deleted key 1, which no transaction inserted');
  });

  it('a transaction whose later scan shows a key it deleted, or whose read shows it: internal inconsistency', () => {
    // As for a scan that misses its own insert: only the levels above repeatable read are ruled out.
    const scanned = expectIsolation(serial(ok(w(1, 1)), ok(del(1), scan(1, 10, [1]))), ['internal-inconsistency'], 'repeatable-read');
    expect(sentenceOf(scanned, 'internal-inconsistency')).toBe('T1 deleted key 1 and then its scan of [1 10] showed it: it does not see its own delete');
    const read = expectIsolation(serial(ok(w(1, 1)), ok(del(1), r(1, 1))), ['internal-inconsistency'], 'repeatable-read');
    expect(sentenceOf(read, 'internal-inconsistency')).toBe('T1 deleted 1 and then read 1=1, which does not show its own delete');
  });

  it('phantom within a transaction: a key another transaction deleted vanishes between two scans', () => {
    const txns = [ok(w(1, 1)), ok(scan(1, 10, [1]), scan(1, 10, [])), ok(del(1))];
    const h = scheduled(txns, [['i', 0], ['c', 0], ['i', 1], ['i', 2], ['c', 2], ['c', 1]]);
    const result = checkIsolation(h);
    expect(sentenceOf(result, 'phantom-read')).toBe('T1: its scan of [1 10] saw key 1, but later its scan of [1 10] did not see key 1, and T1 wrote nothing to 1 in between');
    expect(statusOf(result, 'serializable')).toBe('violated');
  });

  it('phantom within a transaction: its scan missed a key it then deleted', () => {
    const txns = [ok(w(1, 1)), ok(scan(1, 10, []), del(1))];
    const result = checkIsolation(concurrent(...txns));
    expect(sentenceOf(result, 'phantom-read')).toBe('T1: its scan of [1 10] did not see key 1, but later it deleted 1, which therefore existed, and T1 wrote nothing to 1 in between');
  });

  it('a miss that no placement explains goes to the exact search, which finds no serial order', () => {
    // T3 saw T1's y but not T2's x (so T1 < T3 < T2), yet missed key 1, which T1 inserted and T2 deleted.
    const txns = [ok(w(1, 1), w('y', 1)), ok(del(1), w('x', 1)), ok(r('y', 1), r('x', null), scan(1, 10, []))];
    const result = checkIsolation(concurrent(...txns));
    expect(statusOf(result, 'serializable')).toBe('violated');
    expect(result.anomalies.map((a) => a.type)).toContain('no-serial-order');
  });

  it('the same miss with the exact search out of reach stays unknown, never a guess', () => {
    const txns = [ok(w(1, 1), w('y', 1)), ok(del(1), w('x', 1)), ok(r('y', 1), r('x', null), scan(1, 10, []))];
    const result = checkIsolation(concurrent(...txns), { exactTxnsMax: 1 });
    expect(statusOf(result, 'serializable')).toBe('unknown');
    expect(result.models?.find((m) => m.model === 'serializable')?.cause).toContain('absent, either before its insert or after its delete');
    expect(statusOf(result, 'read-committed')).toBe('holds');
  });
});

describe('isolation: deletes, malformed histories', () => {
  it('rejects a key deleted twice, a deleted key written twice or by its deleter, and a delete of a list key', () => {
    expect(() => checkIsolation(serial(ok(w(1, 1)), ok(del(1)), failed(del(1))))).toThrow(/deleted twice/);
    expect(() => checkIsolation(serial(ok(w(1, 1)), ok(w(1, 2)), ok(del(1))))).toThrow(/written by two transactions/);
    expect(() => checkIsolation(serial(ok(w(1, 1), del(1))))).toThrow(/both written and deleted/);
    expect(() => checkIsolation(serial(ok(['append', 1, 1]), ok(del(1))))).toThrow(/delete applies to register keys/);
    expect(() => checkIsolation(serial(ok(w(1, 1)), ok(['delete', 1, 5])))).toThrow(/carries no value/);
  });
});


describe('isolation: deletes, a history from PostgreSQL 15 at REPEATABLE READ', () => {
  // `verdict test --target postgres://… --workload predicate --isolation repeatable-read --seed 1`:
  // 400 transactions and a final scan, 6 clients, with deletes. Placing every absent read by real time, or all
  // before their inserts, or moving those on a cycle back and forth, left snapshot isolation
  // unknown; one read at a time, each where it closes no cycle, shows it holds.
  it('is snapshot isolation (write skew through predicates, no phantom, no dirty read), decided without the exact search', async () => {
    const history = await readHistoryFile(new URL('./fixtures/postgres-repeatable-read-predicate.jsonl', import.meta.url).pathname);
    const result = checkIsolation(history);
    expect(statusOf(result, 'snapshot-isolation')).toBe('holds');
    expect(statusOf(result, 'serializable')).toBe('violated');
    expect(result.anomalies.map((a) => a.type).filter((t) => t !== 'G2')).toEqual([]);
    expect(result.transactions).toBe(401);
    expect(result.exactSearch).toBeUndefined();
  });
});
