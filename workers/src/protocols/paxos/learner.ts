import type { ClientReply } from '../../sim/node-context.js';
import type { Ballot } from './ballot.js';
import { KvStateMachine, type Command, type SlotValue } from './kv-state-machine.js';
import type { Snapshot } from './messages.js';
import type { SlotLog } from './slot-log.js';

/** Called for each command as it is applied, with the reply it earned (a repeat gets the first reply; a stale copy none). */
export type AppliedListener = (command: Command, reply: ClientReply) => void;

/**
 * The learner: applies chosen slots to the state machine strictly in slot order, so every replica
 * goes through the same states, and compacts the log into a snapshot every `snapshotEverySlots`.
 * On construction it replays what the SlotLog kept: the snapshot, then the chosen slots after it.
 */
export class Learner {
  /** Every slot up to here is chosen and applied. */
  appliedIndex: number;
  private machine: KvStateMachine;
  onApplied: AppliedListener | undefined;

  constructor(private readonly log: SlotLog, private readonly sessionsMax: number, private readonly snapshotEverySlots: number) {
    this.machine = new KvStateMachine(sessionsMax, log.snapshot?.state);
    this.appliedIndex = log.snapshotIndex;
    this.advance();
  }

  get kv(): KvStateMachine {
    return this.machine;
  }

  /** Learns a chosen value (persisted by the log); call `advance` to apply. */
  choose(slot: number, value: SlotValue): void {
    if (slot > this.appliedIndex) this.log.choose(slot, value);
  }

  /**
   * The leader of `ballot` says every slot up to `commitIndex` is chosen. A slot this node
   * accepted in that same ballot holds the leader's value (a leader proposes one value per slot
   * per ballot), so it is chosen; other slots must be fetched. Returns true when caught up.
   */
  commitUpTo(ballot: Ballot, commitIndex: number): boolean {
    const last = Math.min(commitIndex, this.log.highSlot);
    for (let slot = this.appliedIndex + 1; slot <= last; slot++) {
      const entry = this.log.entries.get(slot);
      if (entry !== undefined && !entry.chosen && entry.ballot === ballot) this.log.choose(slot, entry.value);
    }
    this.advance();
    return this.appliedIndex >= commitIndex;
  }

  /** Applies the chosen slots that follow the applied prefix. */
  advance(): void {
    for (;;) {
      const entry = this.log.entries.get(this.appliedIndex + 1);
      if (entry === undefined || !entry.chosen) break;
      this.appliedIndex++;
      for (const command of entry.value) {
        const reply = this.machine.apply(command);
        if (reply !== undefined) this.onApplied?.(command, reply);
      }
    }
    if (this.appliedIndex - this.log.snapshotIndex >= this.snapshotEverySlots) {
      this.log.compact({ index: this.appliedIndex, state: this.machine.snapshot() });
    }
  }

  /** Jumps to a snapshot from another node when it is ahead of what was applied here. */
  install(snapshot: Snapshot): void {
    if (snapshot.index <= this.appliedIndex) return;
    this.machine = new KvStateMachine(this.sessionsMax, snapshot.state);
    this.appliedIndex = snapshot.index;
    this.log.compact(snapshot);
    this.advance();
  }

  /** Chosen slots from `fromSlot` on, at most `max`, for a learner that is behind. */
  chosenFrom(fromSlot: number, max: number): [slot: number, value: SlotValue][] {
    const slots: [number, SlotValue][] = [];
    for (let slot = Math.max(fromSlot, this.log.snapshotIndex + 1); slot <= this.appliedIndex && slots.length < max; slot++) {
      const entry = this.log.entries.get(slot);
      if (entry !== undefined) slots.push([slot, entry.value]);
    }
    return slots;
  }
}
