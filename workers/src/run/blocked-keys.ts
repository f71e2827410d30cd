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

/**
 * The keys that stayed unavailable at live nodes once the fault had lasted `graceMs`: every
 * operation touching them, sent to a node that was up, failed or went unanswered until the heal.
 * That is blocking as 2PC blocks — participants in doubt hold their locks while the coordinator
 * is down, so the other coordinator's transactions on those keys fail — and it is invisible in
 * totals, where the other keys keep the system looking busy. Operations sent to the crashed
 * nodes themselves are left out: a dead node not answering is not the system blocking.
 */
export function blockedKeys(ops: readonly Operation[], fault: FaultRecord, stopMs: number, graceMs: number, timeOf: (o: Operation) => { startMs: number; endMs: number }): BlockedKey[] {
  const down = fault.family === 'crash' ? new Set(fault.nodes ?? []) : new Set<string>();
  const from = fault.startMs + graceMs;
  const perKey = new Map<string, BlockedKey & { ok: number }>();
  for (const o of ops) {
    if (o.phase === 'final' || down.has(String(o.node))) continue;
    const { startMs, endMs } = timeOf(o);
    if (startMs < from || startMs >= stopMs) continue;
    for (const key of keysOf(o)) {
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
