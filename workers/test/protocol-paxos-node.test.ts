import { describe, expect, it } from 'vitest';
import { ask, paxosCluster } from './support/paxos-harness.js';

describe('paxos node: election and the replicated kv', () => {
  it('elects one leader that announces itself; the others announce follower', () => {
    const c = paxosCluster({ seed: 3 });
    const [leader] = c.leaders();
    expect(c.ids.filter((id) => id !== leader).map((id) => c.role(id))).toEqual(['follower', 'follower', 'follower', 'follower']);
  });

  it('serves writes, cas and reads from any node (followers forward to the leader)', () => {
    const c = paxosCluster();
    const follower = c.ids.find((id) => c.role(id) !== 'leader')!;
    expect(ask(c, follower, 'write', ['x', 1])).toEqual({ type: 'ok', value: ['x', 1] });
    expect(ask(c, 'n5', 'cas', ['x', [1, 2]])).toEqual({ type: 'ok', value: ['x', [1, 2]] });
    expect(ask(c, 'n4', 'cas', ['x', [1, 3]])).toMatchObject({ type: 'fail' });
    for (const id of c.ids) expect(ask(c, id, 'read', ['x', null])).toEqual({ type: 'ok', value: ['x', 2] });
  });

  it('the master answers reads from its lease without a message; without a lease reads go through the log', () => {
    for (const leaseMs of [400, 0]) {
      const c = paxosCluster({ params: { leaseMs } });
      const leader = c.leaders()[0]!;
      ask(c, leader, 'write', ['x', 1]);
      c.run(100);
      c.recordSends = true;
      const id = c.request(leader, 'read', ['x', null]);
      const immediately = c.replies.get(id);
      c.run(50);
      const accepts = c.sent.filter((s) => (s.message as { type: string }).type === 'accept').length;
      if (leaseMs > 0) {
        expect(immediately).toEqual({ type: 'ok', value: ['x', 1] });
        expect(accepts).toBe(0);
      } else {
        expect(immediately).toBeUndefined();
        expect(c.replies.get(id)).toEqual({ type: 'ok', value: ['x', 1] });
        expect(accepts).toBeGreaterThan(0);
      }
    }
  });
});

describe('paxos node: faults', () => {
  it('the minority side of a partition is unavailable: no write completes there, reads fail; the majority goes on', () => {
    const c = paxosCluster({ seed: 5 });
    const old = c.leaders()[0]!;
    const minority = [old, c.ids.find((id) => id !== old)!];
    const majority = c.ids.filter((id) => !minority.includes(id));
    c.partition([minority, majority]);
    c.run(1_500);
    const write = c.request(minority[1]!, 'write', ['x', 'minority']);
    const writeAtOld = c.request(old, 'write', ['x', 'old-leader']);
    c.run(2_000);
    expect([c.replies.get(write)?.type ?? 'none', c.replies.get(writeAtOld)?.type ?? 'none'].every((t) => t !== 'ok')).toBe(true);
    expect(ask(c, minority[1]!, 'read', ['x', null])?.type).toBe('fail');
    expect(ask(c, old, 'read', ['x', null])?.type).not.toBe('ok');
    expect(c.leaders().filter((id) => majority.includes(id))).toHaveLength(1);
    expect(ask(c, majority[0]!, 'write', ['x', 'majority'])).toEqual({ type: 'ok', value: ['x', 'majority'] });
    c.heal();
    c.run(2_000);
    expect(c.leaders()).toHaveLength(1);
    for (const id of c.ids) expect(ask(c, id, 'read', ['x', null])).toEqual({ type: 'ok', value: ['x', 'majority'] });
  });

  it('a node cut off alone raises no ballots (its probes fail), so when it returns the leader stays', () => {
    const c = paxosCluster({ seed: 17 });
    const leader = c.leaders()[0]!;
    const loner = c.ids.find((id) => id !== leader)!;
    const promisedBefore = c.storage(leader).load<{ promised: number }>('paxos/meta')!.promised;
    c.partition([[loner], c.ids.filter((id) => id !== loner)]);
    c.run(3_000);
    expect(c.storage(loner).load<{ promised: number }>('paxos/meta')!.promised).toBe(promisedBefore);
    c.heal();
    c.run(1_000);
    expect(c.leaders()).toEqual([leader]);
    expect(ask(c, loner, 'write', ['x', 1])).toEqual({ type: 'ok', value: ['x', 1] });
  });

  it('a request that reaches a node during an election waits for the leader instead of failing', () => {
    const c = paxosCluster({ seed: 19 }, false);
    const id = c.request('n3', 'write', ['x', 1]);
    c.runUntil(() => c.replies.has(id), 3_000);
    expect(c.replies.get(id)).toEqual({ type: 'ok', value: ['x', 1] });
  });

  it('a crashed leader is replaced only after its lease has run out, and nothing acknowledged is lost', () => {
    const c = paxosCluster({ seed: 7 });
    const old = c.leaders()[0]!;
    for (let i = 1; i <= 20; i++) expect(ask(c, c.ids[i % 5]!, 'write', [`k${i % 3}`, i])?.type).toBe('ok');
    const crashedAt = c.nowMs;
    c.crash(old);
    expect(c.runUntil(() => c.leaders().length === 1, 3_000)).toBe(true);
    expect(c.nowMs - crashedAt).toBeGreaterThanOrEqual(400 - 50 - 2);
    const other = c.ids.find((id) => id !== old)!;
    expect(ask(c, other, 'read', ['k0', null])).toEqual({ type: 'ok', value: ['k0', 18] });
    expect(ask(c, other, 'read', ['k1', null])).toEqual({ type: 'ok', value: ['k1', 19] });
    expect(ask(c, other, 'read', ['k2', null])).toEqual({ type: 'ok', value: ['k2', 20] });
  });

  it('every node crashing and restarting rebuilds from persisted state; the new master waits out forgotten leases', () => {
    const c = paxosCluster({ seed: 11, params: { snapshotEverySlots: 8 } });
    for (let i = 1; i <= 30; i++) ask(c, 'n1', 'write', [`k${i % 4}`, i]);
    for (const id of c.ids) c.crash(id);
    c.run(100);
    for (const id of c.ids) c.restart(id);
    expect(c.storage('n1').load('paxos/snapshot')).toBeDefined();
    const restartedAt = c.nowMs;
    expect(c.runUntil(() => c.leaders().length === 1, 3_000)).toBe(true);
    const leader = c.leaders()[0]!;
    const read = c.request(leader, 'read', ['k2', null]);
    c.runUntil(() => c.replies.has(read), 3_000);
    expect(c.replies.get(read)).toEqual({ type: 'ok', value: ['k2', 30] });
    // Restarted acceptors cannot rule out a lease they granted just before the crash.
    expect(c.nowMs - restartedAt).toBeGreaterThanOrEqual(400);
    for (const [key, last] of [['k0', 28], ['k1', 29], ['k2', 30], ['k3', 27]]) expect(ask(c, 'n3', 'read', [key, null])).toEqual({ type: 'ok', value: [key, last] });
  });

  it('a restarted follower catches up and can lead with the full state', () => {
    const c = paxosCluster({ seed: 13, params: { snapshotEverySlots: 8 } });
    const leader = c.leaders()[0]!;
    const lagger = c.ids.find((id) => id !== leader)!;
    c.crash(lagger);
    for (let i = 1; i <= 40; i++) ask(c, leader, 'write', ['k', i]);
    c.restart(lagger);
    c.run(1_000);
    for (const id of c.ids.filter((id) => id !== lagger)) c.crash(id);
    for (const id of c.ids.filter((id) => id !== lagger)) c.restart(id);
    c.partition([[lagger, ...c.ids.filter((id) => id !== lagger).slice(0, 2)], c.ids.filter((id) => id !== lagger).slice(2)]);
    c.run(3_000);
    expect(ask(c, lagger, 'read', ['k', null])).toEqual({ type: 'ok', value: ['k', 40] });
  });
});
