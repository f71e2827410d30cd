import type { NodeContext } from '../../sim/node-context.js';
import type { Snapshot, Txn } from './database.js';
import { NO_ZXID, type Zxid } from './zxid.js';

interface Meta {
  acceptedEpoch: number;
  currentEpoch: number;
  /** The first log position in use; the log runs from here to the first position never written. */
  base: number;
}

const META_KEY = 'zab/meta';
const SNAPSHOT_KEY = 'zab/snapshot';
const entryKey = (position: number): string => `zab/log/${position}`;

/**
 * A server's durable state: the epochs it accepted (ZAB's acceptedEpoch, from discovery, and
 * currentEpoch, from the last NEWLEADER it acknowledged), its transaction log in zxid order and the
 * latest snapshot. Every change is persisted before the method returns, so an acknowledgement
 * sent afterwards never promises what a crash could lose. One key per entry keeps writes small.
 */
export class TxnLog {
  acceptedEpoch = 0;
  currentEpoch = 0;
  snapshot: Snapshot | undefined;
  private entries: Txn[] = [];
  private base = 0;

  constructor(private readonly storage: Pick<NodeContext, 'persist' | 'load'>) {
    const meta = storage.load<Meta>(META_KEY);
    if (meta === undefined) return;
    this.acceptedEpoch = meta.acceptedEpoch;
    this.currentEpoch = meta.currentEpoch;
    this.base = meta.base;
    this.snapshot = storage.load<Snapshot>(SNAPSHOT_KEY);
    // Appends do not rewrite the meta record: the log runs on to the first position never written
    // (truncation and compaction delete what they drop, so nothing stale lies past the end).
    for (let p = meta.base; ; p++) {
      const txn = storage.load<Txn>(entryKey(p));
      if (txn === undefined) break;
      this.entries.push(txn);
    }
  }

  get lastZxid(): Zxid {
    return this.entries.length > 0 ? this.entries[this.entries.length - 1]!.zxid : this.snapshotZxid;
  }

  get snapshotZxid(): Zxid {
    return this.snapshot?.zxid ?? NO_ZXID;
  }

  get length(): number {
    return this.entries.length;
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
    this.storage.persist(entryKey(this.base + this.entries.length), txn);
    this.entries.push(txn);
    if (this.entries.length === 1 && this.storage.load<Meta>(META_KEY) === undefined) this.writeMeta();
  }

  /** True when the log holds `zxid` (or it is the snapshot's point, or the empty start). */
  holds(zxid: Zxid): boolean {
    if (zxid === this.snapshotZxid) return true;
    return this.indexOf(zxid) >= 0;
  }

  /** Entries with zxid > `after`, at most `max` of them. */
  after(after: Zxid, max = Infinity): Txn[] {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.entries[mid]!.zxid <= after) lo = mid + 1;
      else hi = mid;
    }
    return this.entries.slice(lo, Math.min(this.entries.length, lo + max));
  }

  /** The largest zxid held that is ≤ `zxid`. */
  floor(zxid: Zxid): Zxid {
    let best = this.snapshotZxid;
    for (const e of this.entries) {
      if (e.zxid > zxid) break;
      best = e.zxid;
    }
    return best;
  }

  /** Drops every entry past `zxid` (ZAB's TRUNC). */
  truncate(zxid: Zxid): void {
    const keep = this.entries.filter((e) => e.zxid <= zxid).length;
    if (keep === this.entries.length) return;
    for (let i = keep; i < this.entries.length; i++) this.storage.persist(entryKey(this.base + i), undefined);
    this.entries.length = keep;
    this.writeMeta();
  }

  /** Replaces everything with a snapshot from the leader (ZAB's SNAP). */
  install(snapshot: Snapshot): void {
    this.snapshot = snapshot;
    this.storage.persist(SNAPSHOT_KEY, snapshot);
    for (let i = 0; i < this.entries.length; i++) this.storage.persist(entryKey(this.base + i), undefined);
    this.base += this.entries.length;
    this.entries = [];
    this.writeMeta();
  }

  /** Stores a snapshot of committed state and drops the entries it covers. */
  compact(snapshot: Snapshot): void {
    if (snapshot.zxid <= this.snapshotZxid) return;
    const drop = this.entries.filter((e) => e.zxid <= snapshot.zxid).length;
    this.snapshot = snapshot;
    this.storage.persist(SNAPSHOT_KEY, snapshot);
    for (let i = 0; i < drop; i++) this.storage.persist(entryKey(this.base + i), undefined);
    this.entries = this.entries.slice(drop);
    this.base += drop;
    this.writeMeta();
  }

  private indexOf(zxid: Zxid): number {
    let lo = 0;
    let hi = this.entries.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const z = this.entries[mid]!.zxid;
      if (z === zxid) return mid;
      if (z < zxid) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private writeMeta(): void {
    this.storage.persist(META_KEY, { acceptedEpoch: this.acceptedEpoch, currentEpoch: this.currentEpoch, base: this.base } satisfies Meta);
  }
}
