import type { DurableLog, NodeContext } from '../../sim/node-context.js';
import type { Snapshot, Txn } from './database.js';
import { NO_ZXID, type Zxid } from './zxid.js';

interface Meta {
  acceptedEpoch: number;
  currentEpoch: number;
}

const META_KEY = 'zab/meta';
/** Snapshots are kept in a durable log of their own, by reference (each is a fresh copy of the tree, never mutated), the latest alone. */
const SNAPSHOTS_LOG = 'zab/snapshots';
const LOG_NAME = 'zab/log';

/**
 * A server's durable state: the epochs it accepted (ZAB's acceptedEpoch, from discovery, and
 * currentEpoch, from the last NEWLEADER it acknowledged), its transaction log in zxid order and the
 * latest snapshot. Every change is persisted before the method returns, so an acknowledgement
 * sent afterwards never promises what a crash could lose. The log is the node's append-only
 * durable log: a proposal is appended by reference (transactions are never mutated, like the
 * messages that carry them), not copied under a key of its own.
 */
export class TxnLog {
  acceptedEpoch = 0;
  currentEpoch = 0;
  snapshot: Snapshot | undefined;
  private readonly entries: DurableLog<Txn>;
  private readonly snapshots: DurableLog<Snapshot>;

  constructor(private readonly storage: Pick<NodeContext, 'persist' | 'load' | 'durableLog'>) {
    this.entries = storage.durableLog<Txn>(LOG_NAME);
    this.snapshots = storage.durableLog<Snapshot>(SNAPSHOTS_LOG);
    this.snapshot = this.snapshots.at(this.snapshots.end - 1);
    const meta = storage.load<Meta>(META_KEY);
    if (meta === undefined) return;
    this.acceptedEpoch = meta.acceptedEpoch;
    this.currentEpoch = meta.currentEpoch;
  }

  get lastZxid(): Zxid {
    const log = this.entries;
    return log.end > log.start ? log.at(log.end - 1)!.zxid : this.snapshotZxid;
  }

  get snapshotZxid(): Zxid {
    return this.snapshot?.zxid ?? NO_ZXID;
  }

  get length(): number {
    return this.entries.end - this.entries.start;
  }

  setAcceptedEpoch(epoch: number): void {
    this.acceptedEpoch = epoch;
    this.writeMeta();
  }

  setCurrentEpoch(epoch: number): void {
    this.currentEpoch = epoch;
    this.writeMeta();
  }

  append(txn: Txn): void {
    if (txn.zxid <= this.lastZxid) return; // A resent proposal already logged.
    this.entries.append(txn);
  }

  /** True when the log holds `zxid` (or it is the snapshot's point, or the empty start). */
  holds(zxid: Zxid): boolean {
    if (zxid === this.snapshotZxid) return true;
    return this.indexOf(zxid) >= 0;
  }

  /** Entries with zxid > `after`, at most `max` of them. */
  after(after: Zxid, max = Infinity): Txn[] {
    const log = this.entries;
    const from = this.positionAfter(after);
    return log.slice(from, Math.min(log.end, from + max));
  }

  /** Entries with `after` < zxid ≤ `upTo`, in zxid order. */
  between(after: Zxid, upTo: Zxid): Txn[] {
    const from = this.positionAfter(after);
    return this.entries.slice(from, Math.max(from, this.positionAfter(upTo)));
  }

  /** The largest zxid held that is ≤ `zxid`. */
  floor(zxid: Zxid): Zxid {
    const log = this.entries;
    const p = this.positionAfter(zxid);
    return p > log.start ? log.at(p - 1)!.zxid : this.snapshotZxid;
  }

  /** Drops every entry past `zxid` (ZAB's TRUNC). */
  truncate(zxid: Zxid): void {
    this.entries.truncateFrom(this.positionAfter(zxid));
  }

  /** Replaces everything with a snapshot from the leader (ZAB's SNAP). */
  install(snapshot: Snapshot): void {
    this.keepSnapshot(snapshot);
    this.entries.dropBefore(this.entries.end);
  }

  /** Stores a snapshot of committed state and drops the entries it covers. */
  compact(snapshot: Snapshot): void {
    if (snapshot.zxid <= this.snapshotZxid) return;
    this.keepSnapshot(snapshot);
    this.entries.dropBefore(this.positionAfter(snapshot.zxid));
  }

  private keepSnapshot(snapshot: Snapshot): void {
    this.snapshot = snapshot;
    this.snapshots.append(snapshot);
    this.snapshots.dropBefore(this.snapshots.end - 1);
  }

  /** The position of the first entry with zxid > `zxid` (the log's end if none). */
  private positionAfter(zxid: Zxid): number {
    const log = this.entries;
    // Usually asked about a point near the end (what was applied, or committed): strides back from
    // the end, doubling, bracket it in a few steps; then a search by halves within the bracket.
    let lo = log.start; // Entries before lo are ≤ zxid.
    let hi = log.end; // Entries from hi on are > zxid.
    for (let stride = 1; hi > lo; stride *= 2) {
      const probe = Math.max(lo, hi - stride);
      if (log.at(probe)!.zxid <= zxid) {
        lo = probe + 1;
        break;
      }
      hi = probe;
    }
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (log.at(mid)!.zxid <= zxid) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private indexOf(zxid: Zxid): number {
    const log = this.entries;
    let lo = log.start;
    let hi = log.end - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const z = log.at(mid)!.zxid;
      if (z === zxid) return mid;
      if (z < zxid) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private writeMeta(): void {
    this.storage.persist(META_KEY, { acceptedEpoch: this.acceptedEpoch, currentEpoch: this.currentEpoch } satisfies Meta);
  }
}
