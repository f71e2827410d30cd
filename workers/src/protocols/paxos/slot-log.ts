import type { NodeContext } from '../../sim/node-context.js';
import { NO_BALLOT, type Ballot } from './ballot.js';
import type { SlotValue } from './kv-state-machine.js';
import type { ReportedSlot, Snapshot } from './messages.js';

/** One log slot as this node holds it: the acceptor's accepted (ballot, value), and whether it is known chosen. */
export interface SlotEntry {
  ballot: Ballot;
  value: SlotValue;
  chosen: boolean;
}

interface Meta {
  promised: Ballot;
  highSlot: number;
}

const META_KEY = 'paxos/meta';
const SNAPSHOT_KEY = 'paxos/snapshot';
const slotKey = (slot: number): string => `paxos/slot/${slot}`;

/**
 * The durable half of a node: the acceptor's promise, the accepted and chosen slots above the
 * latest snapshot, and the snapshot. Every change is written with `ctx.persist` before the method
 * returns, so a reply built afterwards never promises what a crash could forget. One key per slot
 * keeps each write small; slots at or below the snapshot are deleted.
 */
export class SlotLog {
  promised: Ballot = NO_BALLOT;
  /** The highest slot ever accepted or chosen here. */
  highSlot = 0;
  snapshot: Snapshot | undefined;
  readonly entries = new Map<number, SlotEntry>();
  /** True when this node found state from an earlier incarnation. */
  readonly restarted: boolean;

  constructor(private readonly storage: Pick<NodeContext, 'persist' | 'load'>) {
    const meta = storage.load<Meta>(META_KEY);
    this.restarted = meta !== undefined;
    if (meta === undefined) return;
    this.promised = meta.promised;
    this.highSlot = meta.highSlot;
    this.snapshot = storage.load<Snapshot>(SNAPSHOT_KEY);
    for (let slot = this.snapshotIndex + 1; slot <= this.highSlot; slot++) {
      const entry = storage.load<SlotEntry>(slotKey(slot));
      if (entry !== undefined) this.entries.set(slot, entry);
    }
  }

  get snapshotIndex(): number {
    return this.snapshot?.index ?? 0;
  }

  promise(ballot: Ballot): void {
    if (ballot <= this.promised) return;
    this.promised = ballot;
    this.writeMeta();
  }

  /** Records an accepted value; a slot known chosen (or compacted) keeps its value. */
  accept(slot: number, ballot: Ballot, value: SlotValue): void {
    if (slot <= this.snapshotIndex) return;
    const entry = this.entries.get(slot);
    if (entry?.chosen === true) return;
    this.write(slot, { ballot, value, chosen: false });
  }

  /** Records a chosen value; true when it was not known chosen before. */
  choose(slot: number, value: SlotValue): boolean {
    if (slot <= this.snapshotIndex) return false;
    const entry = this.entries.get(slot);
    if (entry?.chosen === true) return false;
    this.write(slot, { ballot: entry?.ballot ?? NO_BALLOT, value, chosen: true });
    return true;
  }

  /** What phase 1 reports from `fromSlot` on, in slot order. */
  report(fromSlot: number): ReportedSlot[] {
    const slots: ReportedSlot[] = [];
    for (let slot = Math.max(fromSlot, this.snapshotIndex + 1); slot <= this.highSlot; slot++) {
      const entry = this.entries.get(slot);
      if (entry !== undefined) slots.push({ slot, ballot: entry.ballot, value: entry.value, chosen: entry.chosen });
    }
    return slots;
  }

  /** Stores a snapshot and drops the slots it covers. */
  compact(snapshot: Snapshot): void {
    const previous = this.snapshotIndex;
    if (snapshot.index <= previous) return;
    this.snapshot = snapshot;
    this.storage.persist(SNAPSHOT_KEY, snapshot);
    for (let slot = previous + 1; slot <= snapshot.index; slot++) {
      if (this.entries.delete(slot)) this.storage.persist(slotKey(slot), undefined);
    }
    if (snapshot.index > this.highSlot) this.highSlot = snapshot.index;
    this.writeMeta();
  }

  private write(slot: number, entry: SlotEntry): void {
    this.entries.set(slot, entry);
    this.storage.persist(slotKey(slot), entry);
    if (slot > this.highSlot) {
      this.highSlot = slot;
      this.writeMeta();
    }
  }

  private writeMeta(): void {
    this.storage.persist(META_KEY, { promised: this.promised, highSlot: this.highSlot } satisfies Meta);
  }
}
