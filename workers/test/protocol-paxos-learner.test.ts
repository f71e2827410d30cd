import { describe, expect, it } from 'vitest';
import { ballotOf } from '../src/protocols/paxos/ballot.js';
import { KvStateMachine, NOOP, type Command } from '../src/protocols/paxos/kv-state-machine.js';
import { Learner } from '../src/protocols/paxos/learner.js';
import { SlotLog } from '../src/protocols/paxos/slot-log.js';
import { MemoryStorage } from './support/paxos-fake-context.js';

/** A command of client `client` (by default its own client per id, as fresh processes are). */
const cmd = (id: number, f: string, value: unknown, client = id): Command => ({ id, client, origin: 'n1', f, value });

function learner(storage = new MemoryStorage(), snapshotEverySlots = 100) {
  const log = new SlotLog(storage);
  const l = new Learner(log, 1_000, snapshotEverySlots);
  const applied: [number, unknown][] = [];
  l.onApplied = (c, reply) => applied.push([c.id, reply.type === 'ok' ? reply.value : reply.type]);
  return { storage, log, learner: l, applied };
}

describe('paxos learner', () => {
  it('applies chosen slots strictly in slot order, waiting for gaps', () => {
    const { learner: l, applied } = learner();
    l.choose(2, [cmd(2, 'write', ['a', 2])]);
    l.choose(3, [cmd(3, 'read', ['a', null])]);
    l.advance();
    expect(l.appliedIndex).toBe(0);
    l.choose(1, [cmd(1, 'write', ['a', 1])]);
    l.advance();
    expect(l.appliedIndex).toBe(3);
    expect(applied).toEqual([[1, ['a', 1]], [2, ['a', 2]], [3, ['a', 2]]]);
  });

  it('treats a no-op slot as applied with no effect', () => {
    const { learner: l, applied } = learner();
    l.choose(1, NOOP);
    l.choose(2, [cmd(1, 'read', ['a', null])]);
    l.advance();
    expect(applied).toEqual([[1, ['a', null]]]);
  });

  it('marks slots accepted in the leader ballot chosen up to its commit index, and reports gaps', () => {
    const { log, learner: l } = learner();
    const b = ballotOf(2, 0);
    log.accept(1, b, [cmd(1, 'write', ['a', 1])]);
    log.accept(2, ballotOf(1, 3), [cmd(2, 'write', ['a', 2])]);
    log.accept(3, b, [cmd(3, 'write', ['a', 3])]);
    expect(l.commitUpTo(b, 3)).toBe(false);
    expect(l.appliedIndex).toBe(1);
    expect(log.entries.get(3)?.chosen).toBe(true);
    l.choose(2, [cmd(2, 'write', ['a', 2])]);
    expect(l.commitUpTo(b, 3)).toBe(true);
    expect(l.appliedIndex).toBe(3);
  });

  it('applies a command that reached the log twice only once, answering the copy like the first', () => {
    const { learner: l, applied } = learner();
    l.choose(1, [cmd(7, 'write', ['a', 1])]);
    l.choose(2, [cmd(8, 'write', ['a', 2])]);
    l.choose(3, [cmd(7, 'write', ['a', 1])]);
    l.choose(4, [cmd(9, 'read', ['a', null])]);
    l.advance();
    expect(applied).toEqual([[7, ['a', 1]], [8, ['a', 2]], [7, ['a', 1]], [9, ['a', 2]]]);
  });

  it('snapshots every N slots, drops the covered slots from storage, and a restart replays snapshot then log', () => {
    const storage = new MemoryStorage();
    const { learner: l } = learner(storage, 4);
    for (let s = 1; s <= 6; s++) l.choose(s, [cmd(s, 'write', [`k${s % 2}`, s])]);
    l.advance();
    expect(storage.load<{ index: number }>('paxos/snapshot')?.index).toBe(6);
    expect(storage.load('paxos/slot/3')).toBeUndefined();
    l.choose(7, [cmd(7, 'write', ['k1', 7])]);
    l.advance();
    const again = learner(storage, 4);
    expect(again.learner.appliedIndex).toBe(7);
    expect(again.learner.kv.read(['k0', null])).toEqual({ type: 'ok', value: ['k0', 6] });
    expect(again.learner.kv.read(['k1', null])).toEqual({ type: 'ok', value: ['k1', 7] });
    expect(again.applied).toEqual([]);
  });

  it('installs a snapshot from another node when it is ahead', () => {
    const other = new KvStateMachine(1_000);
    other.apply(cmd(1, 'write', ['a', 'x']));
    const { learner: l, log } = learner();
    l.install({ index: 40, state: other.snapshot() });
    expect(l.appliedIndex).toBe(40);
    expect(log.snapshotIndex).toBe(40);
    expect(l.kv.read(['a', null])).toEqual({ type: 'ok', value: ['a', 'x'] });
  });
});

describe('paxos kv state machine', () => {
  it('answers read, write and cas in the history format; a mismatched cas fails', () => {
    const kv = new KvStateMachine(10);
    expect(kv.apply(cmd(1, 'read', ['a', null]))).toEqual({ type: 'ok', value: ['a', null] });
    expect(kv.apply(cmd(2, 'cas', ['a', [null, 1]]))).toEqual({ type: 'ok', value: ['a', [null, 1]] });
    expect(kv.apply(cmd(3, 'cas', ['a', [5, 6]]))).toEqual({ type: 'fail', error: 'cas-mismatch' });
    expect(kv.apply(cmd(4, 'write', ['a', 2]))).toEqual({ type: 'ok', value: ['a', 2] });
    expect(kv.read(['a', null])).toEqual({ type: 'ok', value: ['a', 2] });
    expect(kv.apply(cmd(5, 'frobnicate', ['a', 1]))?.type).toBe('fail');
  });

  it('applies a client request once however many commands come between its copies (issue 10: a bounded id window forgot it)', () => {
    const kv = new KvStateMachine(4);
    expect(kv.apply(cmd(1, 'write', ['a', 37], 100))).toEqual({ type: 'ok', value: ['a', 37] });
    for (let id = 2; id <= 20_000; id++) kv.apply(cmd(id, 'write', ['a', id], 101 + (id % 3)));
    expect(kv.apply(cmd(1, 'write', ['a', 37], 100))).toEqual({ type: 'ok', value: ['a', 37] });
    expect(kv.read(['a', null])).toEqual({ type: 'ok', value: ['a', 20_000] });
  });

  it('ignores a copy older than the last request applied for its client, without answering it', () => {
    const kv = new KvStateMachine(4);
    kv.apply(cmd(1, 'cas', ['a', [null, 1]], 7));
    kv.apply(cmd(5, 'write', ['a', 5], 7));
    expect(kv.apply(cmd(1, 'cas', ['a', [null, 1]], 7))).toBeUndefined();
    expect(kv.apply(cmd(5, 'write', ['a', 5], 7))).toEqual({ type: 'ok', value: ['a', 5] });
    expect(kv.read(['a', null])).toEqual({ type: 'ok', value: ['a', 5] });
  });

  it('expires the least recently used session beyond the bound and never executes its requests again', () => {
    const kv = new KvStateMachine(2);
    kv.apply(cmd(1, 'write', ['a', 1], 1));
    kv.apply(cmd(2, 'write', ['a', 2], 2));
    kv.apply(cmd(3, 'write', ['b', 3], 1)); // client 1 used again: client 2 is now the oldest
    kv.apply(cmd(4, 'write', ['b', 4], 3)); // expires client 2, whose last request was 2
    expect(kv.snapshot().sessions).toEqual({ sessions: [[1, 3, { type: 'ok', value: ['b', 3] }], [3, 4, { type: 'ok', value: ['b', 4] }]], expiredUpTo: 2 });
    expect(kv.apply(cmd(2, 'write', ['a', 2], 2))).toBeUndefined();
    expect(kv.read(['a', null])).toEqual({ type: 'ok', value: ['a', 2] });
    expect(kv.apply(cmd(5, 'write', ['a', 5], 2))).toEqual({ type: 'ok', value: ['a', 5] });
  });

  it('keeps sessions and replies in snapshots, so a replica restored from one still applies a request once', () => {
    const kv = new KvStateMachine(8);
    kv.apply(cmd(1, 'write', ['a', 1], 9));
    kv.apply(cmd(2, 'write', ['a', 2], 8));
    const restored = new KvStateMachine(8, structuredClone(kv.snapshot()));
    expect(restored.apply(cmd(1, 'write', ['a', 1], 9))).toEqual({ type: 'ok', value: ['a', 1] });
    expect(restored.read(['a', null])).toEqual({ type: 'ok', value: ['a', 2] });
  });
});
