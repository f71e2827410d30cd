import { describe, expect, it } from 'vitest';
import type { PaxosFakeCluster } from './support/paxos-fake-context.js';
import { ask, paxosCluster } from './support/paxos-harness.js';

/**
 * Each named bug, shown deterministically on the fake context: the same script passes with the
 * correct protocol and breaks an invariant with the bug. (The simulator tests in
 * protocol-paxos-run.test.ts find the same bugs from seeds, with the checker.)
 */

/** Writes at the leader and crashes it the moment it acknowledges: acceptors hold the value, none knows it chosen. */
function crashRightAfterAck(c: PaxosFakeCluster): string {
  const leader = c.leaders()[0]!;
  expect(ask(c, leader, 'write', ['x', 1])?.type).toBe('ok');
  c.run(200);
  const id = c.request(leader, 'write', ['x', 2]);
  expect(c.runUntil(() => c.replies.has(id), 1_000)).toBe(true);
  expect(c.replies.get(id)).toEqual({ type: 'ok', value: ['x', 2] });
  c.crash(leader);
  return leader;
}

describe('paxos bug: forget-highest-accepted', () => {
  it('correct: the next leader adopts the acknowledged value the quorum accepted', () => {
    const c = paxosCluster({ seed: 21 });
    const old = crashRightAfterAck(c);
    expect(c.runUntil(() => c.leaders().length === 1, 3_000)).toBe(true);
    c.run(200);
    expect(ask(c, c.ids.find((id) => id !== old)!, 'read', ['x', null])).toEqual({ type: 'ok', value: ['x', 2] });
  });

  it('bug: the next leader proposes a no-op over it, and an acknowledged write is lost', () => {
    const c = paxosCluster({ seed: 21, bug: 'forget-highest-accepted' });
    const old = crashRightAfterAck(c);
    expect(c.runUntil(() => c.leaders().length === 1, 3_000)).toBe(true);
    c.run(200);
    expect(ask(c, c.ids.find((id) => id !== old)!, 'read', ['x', null])).toEqual({ type: 'ok', value: ['x', 1] });
  });
});

/** Splits 2 | 3 with the leader on the small side, then writes on both sides. */
function splitBrain(c: PaxosFakeCluster) {
  const leader = c.leaders()[0]!;
  const small = [leader, c.ids.find((id) => id !== leader)!];
  const large = c.ids.filter((id) => !small.includes(id));
  c.partition([small, large]);
  c.run(1_500);
  const left = c.request(leader, 'write', ['x', 'left']);
  const right = c.request(large[0]!, 'write', ['x', 'right']);
  c.run(1_000);
  return { leader, large, left: c.replies.get(left), right: c.replies.get(right) };
}

describe('paxos bug: no-quorum-intersection', () => {
  it('correct: only the majority side completes a write', () => {
    const s = splitBrain(paxosCluster({ seed: 23 }));
    expect(s.left?.type).not.toBe('ok');
    expect(s.right).toEqual({ type: 'ok', value: ['x', 'right'] });
  });

  it('bug: quorums of 2 of 5 let both sides choose, and reads after both writes disagree', () => {
    const c = paxosCluster({ seed: 23, bug: 'no-quorum-intersection' });
    const s = splitBrain(c);
    expect(s.left).toEqual({ type: 'ok', value: ['x', 'left'] });
    expect(s.right).toEqual({ type: 'ok', value: ['x', 'right'] });
    expect(ask(c, s.leader, 'read', ['x', null])).toEqual({ type: 'ok', value: ['x', 'left'] });
    expect(ask(c, s.large[0]!, 'read', ['x', null])).toEqual({ type: 'ok', value: ['x', 'right'] });
  });
});

/**
 * The master's clock runs 10% slow and everyone else's 10% fast; the master is cut off from the
 * other nodes (not from clients). Returns what the old master answered to reads issued after a
 * new master acknowledged a write.
 */
function deposeUnderDrift(bug: string | undefined) {
  const c = paxosCluster({ seed: 29, ...(bug !== undefined ? { bug } : {}) });
  const old = c.leaders()[0]!;
  expect(ask(c, old, 'write', ['x', 'before'])?.type).toBe('ok');
  for (const id of c.ids) c.setClock(id, { rate: id === old ? 0.9 : 1.1 });
  c.run(500);
  c.partition([[old], c.ids.filter((id) => id !== old)]);
  const others = c.ids.filter((id) => id !== old);
  expect(c.runUntil(() => c.leaders().some((id) => id !== old), 3_000)).toBe(true);
  const fresh = c.leaders().find((id) => id !== old)!;
  const write = c.request(fresh, 'write', ['x', 'after']);
  c.runUntil(() => c.replies.has(write), 1_000);
  expect(c.replies.get(write)?.type).toBe('ok');
  const answers: unknown[] = [];
  for (let i = 0; i < 40; i++) {
    const read = c.request(old, 'read', ['x', null]);
    if (c.replies.has(read)) answers.push(c.replies.get(read));
    c.run(2);
  }
  expect(others).toContain(fresh);
  return answers;
}

describe('paxos bug: lease-without-drift-margin', () => {
  it('correct: the deposed master has stopped serving reads before the new master serves', () => {
    const answers = deposeUnderDrift(undefined);
    expect(answers.filter((a) => (a as { type: string }).type === 'ok')).toEqual([]);
  });

  it('bug: the deposed master still trusts its lease and serves the old value after the new write', () => {
    const answers = deposeUnderDrift('lease-without-drift-margin');
    expect(answers).toContainEqual({ type: 'ok', value: ['x', 'before'] });
  });
});
