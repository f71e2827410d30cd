import { describe, expect, it } from 'vitest';
import { Acceptor } from '../src/protocols/paxos/acceptor.js';
import { ballotOf } from '../src/protocols/paxos/ballot.js';
import type { Command } from '../src/protocols/paxos/kv-state-machine.js';
import { LeaseGrantor } from '../src/protocols/paxos/lease.js';
import type { PromiseMessage, RejectMessage } from '../src/protocols/paxos/messages.js';
import { SlotLog } from '../src/protocols/paxos/slot-log.js';
import { MemoryStorage } from './support/paxos-fake-context.js';

const write = (id: number, key: string, v: number): Command => ({ id, client: id, origin: 'n1', f: 'write', value: [key, v] });
const b = (round: number, node: number) => ballotOf(round, node);

function fresh(leaseMs = 0, storage = new MemoryStorage()) {
  const log = new SlotLog(storage);
  return { storage, log, acceptor: new Acceptor(log, new LeaseGrantor(leaseMs, 0, log.restarted)) };
}

describe('paxos acceptor: phase 1', () => {
  it('promises a higher ballot, persists the promise first, and rejects lower ones', () => {
    const { acceptor, storage } = fresh();
    const promise = acceptor.onPrepare({ type: 'prepare', ballot: b(2, 1), fromSlot: 1 }, 'n2', 0);
    expect(promise.type).toBe('promise');
    expect(storage.load<{ promised: number }>('paxos/meta')?.promised).toBe(b(2, 1));
    const low = acceptor.onPrepare({ type: 'prepare', ballot: b(1, 4), fromSlot: 1 }, 'n5', 0) as RejectMessage;
    expect(low).toEqual({ type: 'reject', ballot: b(1, 4), promised: b(2, 1), leaseBlockedMs: 0 });
  });

  it('reports what it accepted from the asked slot on, with ballots and chosen flags', () => {
    const { acceptor, log } = fresh();
    acceptor.onAccept({ type: 'accept', ballot: b(1, 0), slots: [[1, [write(1, 'a', 1)]], [2, [write(2, 'a', 2)]], [4, [write(3, 'b', 1)]]], commitIndex: 0 });
    log.choose(1, [write(1, 'a', 1)]);
    const p = acceptor.onPrepare({ type: 'prepare', ballot: b(2, 1), fromSlot: 2 }, 'n2', 0) as PromiseMessage;
    expect(p.slots.map((s) => [s.slot, s.ballot, s.chosen])).toEqual([[2, b(1, 0), false], [4, b(1, 0), false]]);
    const all = acceptor.onPrepare({ type: 'prepare', ballot: b(2, 1), fromSlot: 1 }, 'n2', 0) as PromiseMessage;
    expect(all.slots[0]).toMatchObject({ slot: 1, chosen: true });
  });
});

describe('paxos acceptor: probe (pre-vote)', () => {
  it('answers whether it would promise, without promising anything', () => {
    const { acceptor, log, storage } = fresh(400);
    expect(acceptor.onProbe({ type: 'probe', ballot: b(1, 1) }, 'n2', 0)).toEqual({ type: 'probe-ok', ballot: b(1, 1) });
    expect(log.promised).toBe(0);
    expect(storage.writes).toBe(0);
    acceptor.onPrepare({ type: 'prepare', ballot: b(2, 0), fromSlot: 1 }, 'n1', 0);
    expect(acceptor.onProbe({ type: 'probe', ballot: b(2, 0) }, 'n1', 0).type).toBe('reject');
    acceptor.onHeartbeat({ type: 'heartbeat', ballot: b(2, 0), round: 1, commitIndex: 0 }, 'n1', 100);
    expect(acceptor.onProbe({ type: 'probe', ballot: b(3, 1) }, 'n2', 200)).toEqual({ type: 'reject', ballot: b(3, 1), promised: b(2, 0), leaseBlockedMs: 300 });
  });
});

describe('paxos acceptor: phase 2', () => {
  it('accepts at or above its promise, persisting each slot before acknowledging', () => {
    const { acceptor, storage } = fresh();
    acceptor.onPrepare({ type: 'prepare', ballot: b(3, 2), fromSlot: 1 }, 'n3', 0);
    const stale = acceptor.onAccept({ type: 'accept', ballot: b(2, 0), slots: [[1, [write(1, 'a', 1)]]], commitIndex: 0 });
    expect(stale.type).toBe('reject');
    expect(storage.load('paxos/slot/1')).toBeUndefined();
    const ok = acceptor.onAccept({ type: 'accept', ballot: b(3, 2), slots: [[1, [write(2, 'a', 2)]]], commitIndex: 0 });
    expect(ok).toEqual({ type: 'accepted', ballot: b(3, 2), slots: [1] });
    expect(storage.load('paxos/slot/1')).toEqual({ ballot: b(3, 2), value: [write(2, 'a', 2)], chosen: false });
  });

  it('keeps a value it knows chosen even when a later ballot sends another', () => {
    const { acceptor, log } = fresh();
    log.choose(1, [write(1, 'a', 1)]);
    acceptor.onAccept({ type: 'accept', ballot: b(9, 0), slots: [[1, []]], commitIndex: 0 });
    expect(log.entries.get(1)?.value).toEqual([write(1, 'a', 1)]);
  });
});

describe('paxos acceptor: restart', () => {
  it('rebuilds promise, accepted slots and chosen flags from storage', () => {
    const storage = new MemoryStorage();
    const first = fresh(0, storage);
    first.acceptor.onPrepare({ type: 'prepare', ballot: b(5, 1), fromSlot: 1 }, 'n2', 0);
    first.acceptor.onAccept({ type: 'accept', ballot: b(5, 1), slots: [[1, [write(1, 'a', 1)]], [3, [write(2, 'a', 2)]]], commitIndex: 0 });
    first.log.choose(1, [write(1, 'a', 1)]);
    const again = new SlotLog(storage);
    expect(again.restarted).toBe(true);
    expect(again.promised).toBe(b(5, 1));
    expect(again.highSlot).toBe(3);
    expect([...again.entries.keys()]).toEqual([1, 3]);
    expect(again.entries.get(1)?.chosen).toBe(true);
    expect(again.entries.get(3)).toEqual({ ballot: b(5, 1), value: [write(2, 'a', 2)], chosen: false });
  });
});

describe('paxos acceptor: leases', () => {
  it('refuses to promise another candidate while a lease it granted runs on its own clock', () => {
    const { acceptor } = fresh(400);
    acceptor.onHeartbeat({ type: 'heartbeat', ballot: b(1, 0), round: 1, commitIndex: 0 }, 'n1', 1_000);
    const blocked = acceptor.onPrepare({ type: 'prepare', ballot: b(2, 1), fromSlot: 1 }, 'n2', 1_399);
    expect(blocked).toMatchObject({ type: 'reject', leaseBlockedMs: 1 });
    const holder = acceptor.onPrepare({ type: 'prepare', ballot: b(2, 0), fromSlot: 1 }, 'n1', 1_399);
    expect(holder.type).toBe('promise');
    const after = acceptor.onPrepare({ type: 'prepare', ballot: b(3, 1), fromSlot: 1 }, 'n2', 1_400);
    expect(after.type).toBe('promise');
  });

  it('after a restart reports the lease it may have forgotten, for one lease length', () => {
    const storage = new MemoryStorage();
    fresh(400, storage).log.promise(b(1, 0));
    const log = new SlotLog(storage);
    const acceptor = new Acceptor(log, new LeaseGrantor(400, 5_000, log.restarted));
    const p = acceptor.onPrepare({ type: 'prepare', ballot: b(2, 1), fromSlot: 1 }, 'n2', 5_100) as PromiseMessage;
    expect(p.forgottenLeaseMs).toBe(300);
    const later = acceptor.onPrepare({ type: 'prepare', ballot: b(3, 1), fromSlot: 1 }, 'n2', 5_500) as PromiseMessage;
    expect(later.forgottenLeaseMs).toBe(0);
  });
});
