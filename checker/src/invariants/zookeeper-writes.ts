import type { History } from '../history/op.js';
import { checkSync } from '../linearizability/check.js';
import { kvModel } from '../models/kv.js';
import type { InvariantResult } from './types.js';

/** Each search's budget: writes alone are few per path and cheap to order. */
const TIME_LIMIT_MS = 5_000;

/**
 * ZooKeeper's first guarantee: linearizable writes. Every write and conditional write (cas) is
 * ordered by the leader, so on their own they must be linearizable, whatever the reads saw: a
 * server may answer reads from a stale copy (sequential consistency), but never reorder writes or
 * let a conditional write act on a value that was already replaced.
 */
export function checkZookeeperWrites(history: History, init: unknown): InvariantResult {
  const writes = history.operations.filter((o) => (o.f === 'write' || o.f === 'cas') && o.phase !== 'final');
  const result = checkSync(kvModel({ init }), writes, { timeLimitMs: TIME_LIMIT_MS });
  const checks = 'writes and conditional writes (setData with the version read) are linearizable on their own: the leader orders them, whatever a server\'s reads showed';
  const base = { name: 'zookeeper-writes', checks, observations: writes.length };
  if (result.outcome === 'ok') return { ...base, status: 'holds', counts: {}, violations: [] };
  if (result.outcome === 'unknown') return { ...base, status: 'unknown', counts: {}, violations: [], cause: result.cause?.message ?? 'the search ran out of budget' };
  const witness = result.counterexample?.witness;
  const ops = witness?.operations.map((o) => o.id) ?? [];
  const sentence = `path ${result.counterexample?.partition ?? '?'}: ${witness?.explanation ?? 'the writes cannot be put in one order that respects real time'}`;
  return { ...base, status: 'violated', counts: { 'writes-not-linearizable': 1 }, violations: [{ kind: 'writes-not-linearizable', operations: ops, sentence }] };
}
