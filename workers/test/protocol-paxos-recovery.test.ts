import { describe, expect, it } from 'vitest';
import { ballotOf } from '../src/protocols/paxos/ballot.js';
import { NOOP, type Command } from '../src/protocols/paxos/kv-state-machine.js';
import type { PromiseMessage, ReportedSlot } from '../src/protocols/paxos/messages.js';
import { planRecovery } from '../src/protocols/paxos/recovery.js';

const write = (id: number, v: number): Command => ({ id, client: id, origin: 'n1', f: 'write', value: ['k', v] });
const promise = (slots: ReportedSlot[], extra: Partial<PromiseMessage> = {}): PromiseMessage => ({
  type: 'promise', ballot: ballotOf(9, 0), slots, forgottenLeaseMs: 0, ...extra,
});
const accepted = (slot: number, round: number, value: Command[], chosen = false): ReportedSlot => ({ slot, ballot: ballotOf(round, 1), value, chosen });

describe('paxos phase 1: what the new leader proposes', () => {
  it('adopts, per slot, the value accepted with the highest ballot in the quorum', () => {
    const plan = planRecovery([
      promise([accepted(1, 1, [write(1, 10)]), accepted(2, 3, [write(2, 20)])]),
      promise([accepted(1, 2, [write(3, 11)]), accepted(2, 1, [write(4, 21)])]),
      promise([]),
    ], 1, false);
    expect(plan.propose).toEqual([[1, [write(3, 11)]], [2, [write(2, 20)]]]);
    expect(plan.endSlot).toBe(2);
  });

  it('fills gaps nobody accepted with no-ops so later slots can apply', () => {
    const plan = planRecovery([promise([accepted(2, 1, [write(1, 1)]), accepted(5, 1, [write(2, 2)])]), promise([])], 1, false);
    expect(plan.propose).toEqual([[1, NOOP], [2, [write(1, 1)]], [3, NOOP], [4, NOOP], [5, [write(2, 2)]]]);
  });

  it('learns slots some acceptor knows chosen instead of proposing them', () => {
    const plan = planRecovery([promise([accepted(1, 1, [write(1, 1)], true)]), promise([accepted(1, 4, [write(9, 9)])])], 1, false);
    expect(plan.chosen).toEqual([[1, [write(1, 1)]]]);
    expect(plan.propose).toEqual([]);
  });

  it('starts after the most advanced snapshot reported', () => {
    const snapshot = { index: 3, state: { data: [['k', 3]] as [string, unknown][], sessions: { sessions: [], expiredUpTo: 0 } } };
    const plan = planRecovery([promise([accepted(4, 1, [write(4, 4)])], { snapshot }), promise([])], 2, false);
    expect(plan.snapshot).toBe(snapshot);
    expect(plan.propose).toEqual([[4, [write(4, 4)]]]);
  });

  it('waits out the longest lease a restarted acceptor may have forgotten', () => {
    const plan = planRecovery([promise([], { forgottenLeaseMs: 120 }), promise([], { forgottenLeaseMs: 300 })], 1, false);
    expect(plan.forgottenLeaseMs).toBe(300);
  });

  it('with forget-highest-accepted, proposes no-ops over the accepted values (the bug)', () => {
    const plan = planRecovery([promise([accepted(1, 2, [write(1, 1)])]), promise([accepted(1, 1, [write(2, 2)])])], 1, true);
    expect(plan.propose).toEqual([[1, NOOP]]);
  });
});
