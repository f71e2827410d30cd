import type { Operation } from '@verdict/checker';
import type { FaultRecord } from '../sim/nemesis.js';

/** A key nobody could use while a fault lasted, though the nodes asked were up. */
export interface BlockedKey {
  key: unknown;
  /** Settled operations on the key at live nodes; none succeeded before the heal. */
  attempted: number;
  fail: number;
  unanswered: number;
}

/** Operations a key must see, all unsuccessful, before it counts as blocked (not bad luck). */
const ATTEMPTS_MIN = 3;
const KEYS_LISTED_MAX = 20;

/** Where a key lives (sharded stores); undefined: on every node. */
export type KeyOwners = (key: unknown) => readonly string[] | undefined;

/**
 * The keys that stayed unavailable at live nodes once the fault had lasted `graceMs`: every
 * operation touching them, sent to a node that was up, failed or went unanswered until the heal.
 * That is blocking as 2PC blocks — participants in doubt hold their locks while the coordinator
 * is down, so the other coordinator's transactions on those keys fail — and it is invisible in
 * totals, where the other keys keep the system looking busy. Left out, because they fail for
 * loss, not blocking: operations sent to crashed nodes, and operations needing a key whose every
 * owner was down or cut off from the node asked.
 */
export function blockedKeys(ops: readonly Operation[], fault: FaultRecord, stopMs: number, graceMs: number, timeOf: (o: Operation) => { startMs: number; endMs: number }, owners?: KeyOwners): BlockedKey[] {
  const reach = reachability(fault);
  const from = fault.startMs + graceMs;
  const perKey = new Map<string, BlockedKey & { ok: number }>();
  for (const o of ops) {
    const node = String(o.node);
    if (o.phase === 'final' || !reach(node, node)) continue;
    const { startMs, endMs } = timeOf(o);
    if (startMs < from || startMs >= stopMs) continue;
    const keys = keysOf(o);
    // An operation that needs a key no reachable owner holds fails for loss, whatever its other keys.
    if (owners !== undefined && keys.some((key) => !(owners(key) ?? [node]).some((h) => reach(node, h)))) continue;
    for (const key of keys) {
      const id = JSON.stringify(key);
      let entry = perKey.get(id);
      if (entry === undefined) perKey.set(id, (entry = { key, attempted: 0, fail: 0, unanswered: 0, ok: 0 }));
      entry.attempted++;
      if (o.status === 'info' || endMs >= stopMs) entry.unanswered++;
      else entry[o.status]++;
    }
  }
  return [...perKey.values()]
    .filter((k) => k.ok === 0 && k.attempted >= ATTEMPTS_MIN)
    .slice(0, KEYS_LISTED_MAX)
    .map(({ key, attempted, fail, unanswered }) => ({ key, attempted, fail, unanswered }));
}

/** The keys an operation touches: `[key, v]` for single-object ops, every micro-op's key for txns. */
function keysOf(o: Operation): unknown[] {
  if (!Array.isArray(o.input)) return [];
  if (o.f === 'txn') return [...new Set(o.input.filter((m): m is unknown[] => Array.isArray(m)).map((m) => m[1]))];
  return [o.input[0]];
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
