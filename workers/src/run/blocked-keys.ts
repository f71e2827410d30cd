import type { Operation } from '@verdict/checker';
import type { FaultRecord } from '../sim/nemesis.js';

/** A key nobody could use while a fault lasted, though the nodes asked were up. */
export interface BlockedKey {
  key: unknown;
  /** Settled operations on the key at live nodes; none succeeded before the heal. */
  attempted: number;
  fail: number;
  unanswered: number;
  /** The transaction that held the key's lock throughout, when the protocol names lock holders. */
  heldBy?: string;
}

/**
 * Operations a key must see, all unsuccessful, before it counts as blocked rather than unlucky.
 * No-wait locking fails a hot key's transactions now and then, more so while faults slow every
 * transaction down: three failures in a row were seen with no lock held in doubt, while keys held
 * in doubt by a dead coordinator fail tens of times.
 */
const ATTEMPTS_MIN = 6;
const KEYS_LISTED_MAX = 20;

/** Where a key lives (sharded stores); undefined: on every node. */
export type KeyOwners = (key: unknown) => readonly string[] | undefined;

/** Reads a refusal from an operation's error: the key whose lock refused it, and who held it. */
export type LockConflictOf = (error: string) => { key: unknown; holder: string } | undefined;

/** What the analysis knows beyond the fault: see `blockedKeys`. */
export interface BlockedKeysContext {
  timeOf: (o: Operation) => { startMs: number; endMs: number };
  owners?: KeyOwners;
  /** Faults started in the same nemesis cycle (clock skew with an isolated leader). */
  alongside?: readonly FaultRecord[];
  /**
   * Names lock holders. Then a key also needs one holder whose refusals of it, over the whole
   * fault, span `graceMs` or more: a lock held longer than a client waits, as an in-doubt lock is
   * held until the heal — while under contention (3PC's doomed transactions waiting out a vote
   * timeout) the holder changes every ~100 ms.
   */
  lockConflictOf?: LockConflictOf;
}

/**
 * The keys that stayed unavailable at live nodes once the fault had lasted `graceMs`: every
 * operation touching them, sent to a node that was up, failed or went unanswered until the heal.
 * That is blocking as 2PC blocks — participants in doubt hold their locks while the coordinator
 * is down, so the other coordinator's transactions on those keys fail — and it is invisible in
 * totals, where the other keys keep the system looking busy. Left out, because they fail for
 * loss, not blocking: operations sent to crashed nodes, and operations needing a key whose every
 * owner was down or cut off from the node asked — by this fault or by the faults `alongside` it.
 * When the protocol names lock holders, a key must also have been held, not merely contended
 * (see `lockConflictOf`).
 */
export function blockedKeys(ops: readonly Operation[], fault: FaultRecord, stopMs: number, graceMs: number, context: BlockedKeysContext): BlockedKey[] {
  const reach = faultReach([fault, ...(context.alongside ?? [])]);
  const owners = context.owners;
  const from = fault.startMs + graceMs;
  const perKey = new Map<string, BlockedKey & { ok: number; holders: Map<string, { firstMs: number; lastMs: number }> }>();
  for (const o of ops) {
    const node = String(o.node);
    if (o.phase === 'final' || !reach(node, node)) continue;
    const { startMs, endMs } = context.timeOf(o);
    if (startMs < fault.startMs || startMs >= stopMs) continue;
    const keys = keysOf(o);
    // An operation that needs a key no reachable owner holds fails for loss, whatever its other keys.
    if (owners !== undefined && keys.some((key) => !(owners(key) ?? [node]).some((h) => reach(node, h)))) continue;
    const conflict = o.status === 'fail' && typeof o.error === 'string' ? context.lockConflictOf?.(o.error) : undefined;
    for (const key of keys) {
      const id = JSON.stringify(key);
      let entry = perKey.get(id);
      if (entry === undefined) perKey.set(id, (entry = { key, attempted: 0, fail: 0, unanswered: 0, ok: 0, holders: new Map() }));
      if (conflict !== undefined && JSON.stringify(conflict.key) === id) {
        const held = entry.holders.get(conflict.holder);
        if (held === undefined) entry.holders.set(conflict.holder, { firstMs: startMs, lastMs: startMs });
        else held.lastMs = startMs;
      }
      if (startMs < from) continue;
      entry.attempted++;
      if (o.status === 'info' || endMs >= stopMs) entry.unanswered++;
      else entry[o.status]++;
    }
  }
  const out: BlockedKey[] = [];
  for (const { key, attempted, fail, unanswered, ok, holders } of perKey.values()) {
    if (ok > 0 || attempted < ATTEMPTS_MIN) continue;
    const longest = [...holders].sort(([, a], [, b]) => (b.lastMs - b.firstMs) - (a.lastMs - a.firstMs))[0];
    if (context.lockConflictOf !== undefined && (longest === undefined || longest[1].lastMs - longest[1].firstMs < graceMs)) continue;
    out.push({ key, attempted, fail, unanswered, ...(longest !== undefined ? { heldBy: longest[0] } : {}) });
    if (out.length >= KEYS_LISTED_MAX) break;
  }
  return out;
}

/** The keys an operation touches: `[key, v]` for single-object ops, every micro-op's key for txns. */
function keysOf(o: Operation): unknown[] {
  if (!Array.isArray(o.input)) return [];
  if (o.f === 'txn') return [...new Set(o.input.filter((m): m is unknown[] => Array.isArray(m)).map((m) => m[1]))];
  return [o.input[0]];
}

/** Whether `to` was up and could talk with `from` both ways while these faults (one cycle's) lasted. */
export function faultReach(faults: readonly FaultRecord[]): (from: string, to: string) => boolean {
  const reaches = faults.map(reachability);
  return (from, to) => reaches.every((r) => r(from, to));
}

/** Whether `to` was up and could talk with `from` both ways while the fault lasted. */
function reachability(fault: FaultRecord): (from: string, to: string) => boolean {
  if (fault.family === 'crash') {
    const down = new Set(fault.nodes ?? []);
    return (_from, to) => !down.has(to);
  }
  if (fault.family === 'partition' && fault.views !== undefined) {
    const views = fault.views;
    return (from, to) => from === to || ((views[to]?.includes(from) ?? false) && (views[from]?.includes(to) ?? false));
  }
  if (fault.family === 'partition' && fault.groups !== undefined) {
    const groups = fault.groups;
    return (from, to) => from === to || groups.some((g) => g.includes(from) && g.includes(to));
  }
  return () => true;
}
