import { NOOP, type SlotValue } from './kv-state-machine.js';
import type { PromiseMessage, Snapshot } from './messages.js';

/** What a new leader learns from a quorum of promises and must do before serving. */
export interface RecoveryPlan {
  /** The most advanced snapshot reported, when one covers slots the leader asked for. */
  snapshot?: Snapshot;
  /** Slots some acceptor knows chosen: learned as they are. */
  chosen: [slot: number, value: SlotValue][];
  /** Slots to propose in the new ballot, in order: adopted values, and no-ops in the gaps. */
  propose: [slot: number, value: SlotValue][];
  /** The highest slot the quorum reported: the leader serves reads once it has applied it. */
  endSlot: number;
  /** The longest lease the quorum's restarted acceptors may have granted and forgotten. */
  forgottenLeaseMs: number;
}

/**
 * Phase 1's decision for every slot from `fromSlot` to the highest reported: a slot some acceptor
 * knows chosen keeps that value; otherwise the value accepted with the highest ballot must be
 * proposed again (Paxos's rule: it may have been chosen); a slot nobody accepted gets a no-op,
 * so the log has no holes and later slots can apply.
 *
 * With `forgetHighestAccepted` (a bug) the accepted values are ignored and no-ops proposed in
 * their place, which erases values that were chosen but not yet known chosen anywhere.
 */
export function planRecovery(promises: readonly PromiseMessage[], fromSlot: number, forgetHighestAccepted: boolean): RecoveryPlan {
  let snapshot: Snapshot | undefined;
  let endSlot = fromSlot - 1;
  let forgottenLeaseMs = 0;
  const chosen = new Map<number, SlotValue>();
  const highest = new Map<number, { ballot: number; value: SlotValue }>();
  for (const promise of promises) {
    if (promise.snapshot !== undefined && (snapshot === undefined || promise.snapshot.index > snapshot.index)) snapshot = promise.snapshot;
    forgottenLeaseMs = Math.max(forgottenLeaseMs, promise.forgottenLeaseMs);
    for (const reported of promise.slots) {
      if (reported.slot > endSlot) endSlot = reported.slot;
      if (reported.chosen) {
        chosen.set(reported.slot, reported.value);
        continue;
      }
      const best = highest.get(reported.slot);
      if (best === undefined || reported.ballot > best.ballot) highest.set(reported.slot, { ballot: reported.ballot, value: reported.value });
    }
  }
  const start = Math.max(fromSlot, (snapshot?.index ?? 0) + 1);
  if (snapshot !== undefined && snapshot.index > endSlot) endSlot = snapshot.index;
  const plan: RecoveryPlan = { chosen: [], propose: [], endSlot, forgottenLeaseMs };
  if (snapshot !== undefined) plan.snapshot = snapshot;
  for (let slot = start; slot <= endSlot; slot++) {
    const known = chosen.get(slot);
    if (known !== undefined) {
      plan.chosen.push([slot, known]);
      continue;
    }
    const adopted = forgetHighestAccepted ? undefined : highest.get(slot);
    plan.propose.push([slot, adopted === undefined ? NOOP : adopted.value]);
  }
  return plan;
}
