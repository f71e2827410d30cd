import { describe, expect, it } from 'vitest';
import { checkSessionGuarantees, createModel, historyFromOps, type GuaranteeResult, type LevelResult } from '../src/index.js';
import { fail, info, inv, kvRead, kvWrite, ok, read, write, type Raw } from './support/consistency-ops.js';

const register = () => createModel('cas-register', 0);
const sessions = (ops: Raw[], model = register()) => checkSessionGuarantees(historyFromOps(ops), model);
const guarantee = (level: LevelResult, g: string): GuaranteeResult => (level.details!.guarantees as GuaranteeResult[]).find((x) => x.guarantee === g)!;
const statuses = (level: LevelResult) => Object.fromEntries((level.details!.guarantees as GuaranteeResult[]).map((g) => [g.guarantee, g.status]));

describe('read-your-writes', () => {
  it('holds when a session reads its write or a newer one', () => {
    const r = sessions([...write(1, 5), ...write(2, 6), ...read(1, 6), ...read(1, 6)]);
    expect(r.session.status).toBe('holds');
  });

  it('is violated when a session reads the value before its own write', () => {
    const r = sessions([...write(2, 2), ...write(1, 5), ...read(1, 0)]);
    expect(guarantee(r.session, 'read-your-writes').status).toBe('violated');
    const v = guarantee(r.session, 'read-your-writes').violations[0]!;
    expect(v.sentence).toBe('process 1 wrote 5 and then read 0, an older value: 0 is the initial value (read-your-writes)');
    expect(v.scope).toBe('process 1');
    expect(v.operations.map((o) => o.description)).toEqual(['write 5', 'read 0']);
  });

  it('names the older value through another session\'s order', () => {
    // Session b wrote 2 after reading 5, so 5 precedes 2; session a wrote 5 and then read... 2 is newer: fine.
    // Session a wrote 5, then read 3, which session b wrote before reading 5: older.
    const r = sessions([...write(2, 3, { session: 'b' }), ...write(1, 5, { session: 'a' }), ...read(2, 5, { session: 'b' }), ...read(1, 3, { session: 'a' })]);
    // Each session read the other's value after writing its own: both promises are broken.
    const sentences = guarantee(r.session, 'read-your-writes').violations.map((v) => v.sentence);
    expect(sentences).toEqual([
      'session b wrote 3 and then read 5, an older value: session a wrote 5 and then read 3 (read-your-writes)',
      'session a wrote 5 and then read 3, an older value: session b wrote 3 and then read 5 (read-your-writes)',
    ]);
  });
});

describe('monotonic reads', () => {
  it('holds when reads never go back', () => {
    expect(sessions([...write(0, 1), ...read(1, 0), ...read(1, 1), ...write(0, 2), ...read(1, 2)]).session.status).toBe('holds');
  });

  it('is violated when a session reads 2 and then 1, which its writer wrote before 2', () => {
    const r = sessions([...write(0, 1), ...write(0, 2), ...read(1, 2), ...read(1, 1)]);
    expect(statuses(r.session)).toEqual({ 'read-your-writes': 'holds', 'monotonic-reads': 'violated', 'monotonic-writes': 'violated', 'writes-follow-reads': 'holds' });
    expect(guarantee(r.session, 'monotonic-reads').violations[0]!.sentence)
      .toBe('process 1 read 2 and then read 1, an older value: process 0 wrote 1 and then 2 (monotonic-reads)');
    // Either process 1's reads went back, or process 0's writes were applied out of order.
    expect(guarantee(r.session, 'monotonic-writes').violations[0]!.sentence)
      .toBe('process 0 wrote 1 and then wrote 2, yet 2 comes before 1: process 1 read 2 and then 1 (monotonic-writes)');
  });

  it('is violated when two sessions see two writes in opposite orders', () => {
    const r = sessions([...write(0, 1), ...write(1, 2), ...read(2, 1), ...read(2, 2), ...read(3, 2), ...read(3, 1)]);
    expect(statuses(r.session)['monotonic-reads']).toBe('violated');
    expect(guarantee(r.session, 'monotonic-reads').count).toBe(2);
  });

  it('does not order reads of concurrent operations', () => {
    // Two overlapping reads of one session (two processes sharing it) are not ordered.
    const r = sessions([inv(1, 'read', null, { session: 's' }), inv(2, 'read', null, { session: 's' }), ok(1, 'read', 2, { session: 's' }), ok(2, 'read', 1, { session: 's' }), ...write(0, 1), ...write(0, 2)]);
    expect(r.session.status).toBe('holds');
  });
});

describe('monotonic writes', () => {
  it('is violated when a session\'s writes are seen out of order by a cas', () => {
    // Process 0 wrote 1 then 2; a cas replaced 2 with 3 and then process 1 read... 1 after 3.
    const r = sessions([...write(0, 1), ...write(0, 2), inv(2, 'cas', [2, 3]), ok(2, 'cas', [2, 3]), ...read(1, 3), ...read(1, 1)]);
    expect(statuses(r.session)['monotonic-writes']).toBe('violated');
    expect(guarantee(r.session, 'monotonic-writes').violations[0]!.sentence).toContain("process 2's cas replaced 2 with 3");
  });

  it('orders an info write after the writes before it, and nothing after it', () => {
    const late = sessions([...write(0, 1, { session: 'a' }), inv(0, 'write', 2, { session: 'a' }), info(0, 'write', 2, { session: 'a' }), ...write(5, 3, { session: 'a' }), ...read(1, 3), ...read(1, 2)]);
    // The timed-out write of 2 may land after 3: no violation.
    expect(late.session.status).toBe('holds');
    const early = sessions([...write(0, 1, { session: 'a' }), inv(0, 'write', 2, { session: 'a' }), info(0, 'write', 2, { session: 'a' }), ...read(1, 2), ...read(1, 1)]);
    // But if it happened, it happened after 1.
    expect(statuses(early.session)['monotonic-writes']).toBe('violated');
  });
});

describe('writes follow reads', () => {
  it('is violated when a write based on a read is seen before the value read', () => {
    // Process 1 read 1 and then wrote 2; process 2 read 2 and then 0 (the initial value, before 1).
    const r = sessions([...write(0, 1), ...read(1, 1), ...write(1, 2), ...read(2, 2), ...read(2, 0)]);
    expect(statuses(r.session)['writes-follow-reads']).toBe('violated');
    expect(guarantee(r.session, 'writes-follow-reads').violations[0]!.sentence).toMatch(/^process 1 read 1 and then wrote 2, yet 2 comes before 1/);
  });

  it('is violated by a read of a value before the session wrote it', () => {
    const r = sessions([...read(1, 7), ...write(1, 7)]);
    expect(guarantee(r.session, 'writes-follow-reads').violations[0]!.sentence).toBe('process 1 read 7 before writing it (writes-follow-reads)');
  });
});

describe('sessions, processes and users', () => {
  it('a session continues under a fresh process after an info', () => {
    const ops = [...write(0, 5, { session: 'a' }), inv(0, 'write', 6, { session: 'a' }), info(0, 'write', 6, { session: 'a' }), ...read(1, 0, { session: 'a' })];
    expect(sessions(ops).session.status).toBe('violated');
    // Without the session field the processes are separate scopes, and nothing is violated.
    expect(sessions(ops.map(({ session: _s, ...o }) => o)).session.status).toBe('holds');
  });

  it('per user: a write on one session must be seen by the same user\'s later session', () => {
    const ops = [...write(0, 5, { session: 'laptop', user: 'ann' }), ...read(1, 0, { session: 'phone', user: 'ann' })];
    const r = sessions(ops);
    expect(r.session.status).toBe('holds');
    expect(r.user.status).toBe('violated');
    expect(r.user.violations![0]!.sentence).toBe('user ann wrote 5 and then read 0, an older value: 0 is the initial value (read-your-writes)');
  });

  it('per user: overlapping sessions of one user are not ordered', () => {
    const ops = [inv(0, 'write', 5, { session: 'laptop', user: 'ann' }), inv(1, 'read', null, { session: 'phone', user: 'ann' }), ok(1, 'read', 0, { session: 'phone', user: 'ann' }), ok(0, 'write', 5, { session: 'laptop', user: 'ann' })];
    expect(sessions(ops).user.status).toBe('holds');
  });

  it('per user: a value seen on any of the user\'s sessions bounds the next reads, however many came between', () => {
    for (const between of [2, 3, 6]) {
      const ops: Raw[] = [];
      for (let v = 1; v <= between + 1; v++) ops.push(...write(0, v, { session: 'w' }));
      ops.push(...read(1, 1, { session: 's1', user: 'ann' }));
      for (let k = 0; k < between; k++) ops.push(...read(10 + k, k + 2, { session: `t${k}`, user: 'ann' }));
      const back = [...ops, ...read(1, 1, { session: 's1', user: 'ann' })];
      const forward = [...ops, ...read(1, between + 1, { session: 's1', user: 'ann' })];
      expect([between, sessions(back).user.status]).toEqual([between, 'violated']);
      expect([between, sessions(forward).user.status]).toEqual([between, 'holds']);
    }
  });

  it('other users are not promised anything', () => {
    const ops = [...write(0, 5, { user: 'ann' }), ...read(1, 0, { user: 'bob' })];
    expect(sessions(ops).user.status).toBe('holds');
  });

  it('the user level is not applicable when no operation names a user', () => {
    const r = sessions([...write(0, 5)]);
    expect(r.user.status).toBe('not-applicable');
    expect(r.user.cause).toMatch(/no operation carries a user field/);
  });
});

describe('what the checks read', () => {
  it('checks kv keys apart', () => {
    const kv = createModel('kv', null);
    const r = sessions([...kvWrite(0, 'x', 1), ...kvWrite(0, 'y', 1), ...kvRead(0, 'x', 1), ...kvRead(0, 'y', null)], kv);
    expect(r.session.status).toBe('violated');
    expect(r.session.violations![0]!.sentence).toBe('process 0 wrote y=1 and then read y=nil, an older value: y=nil is the initial value (read-your-writes)');
  });

  it('ignores failed writes and reads whose value nobody wrote', () => {
    const r = sessions([inv(0, 'write', 9), fail(0, 'write', 9), ...read(0, 9), ...write(1, 3), ...read(1, 3)]);
    expect(r.session.status).toBe('holds');
  });

  it('treats a Knossos nil read of a register as observing nothing', () => {
    expect(sessions([...write(0, 4), ...read(0, null)], createModel('cas-register', null)).session.status).toBe('holds');
  });

  it('is unknown when a contradiction passes through a value written twice', () => {
    const r = sessions([...write(0, 1), ...write(0, 2), ...write(1, 1), ...read(2, 2), ...read(2, 1)]);
    expect(r.session.status).toBe('unknown');
    expect(r.session.cause).toMatch(/written more than once/);
  });

  it('keeps a bounded number of witnesses', () => {
    const ops: Raw[] = [];
    for (let k = 0; k < 20; k++) ops.push(...write(100 + k, 1000 + k), ...read(100 + k, 0));
    const r = checkSessionGuarantees(historyFromOps(ops), register(), { violationsMax: 3 });
    expect(guarantee(r.session, 'read-your-writes').count).toBe(20);
    expect(guarantee(r.session, 'read-your-writes').violations).toHaveLength(3);
  });

  it('says why it cannot read other models', () => {
    const r = checkSessionGuarantees(historyFromOps([inv(0, 'enqueue', 1), ok(0, 'enqueue', 1)]), createModel('fifo-queue'));
    expect(r.session.status).toBe('not-applicable');
  });
});
