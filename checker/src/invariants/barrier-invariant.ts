import type { History, Operation } from '../history/op.js';
import type { InvariantResult, InvariantViolation } from './types.js';

const VIOLATIONS_KEPT_PER_KIND = 5;

/** The round an enter or leave names in its output (`{round}`), or undefined when unknown (info). */
function roundOf(op: Operation): number | undefined {
  const out = op.output as { round?: unknown } | null | undefined;
  return out !== null && typeof out === 'object' && typeof out.round === 'number' ? out.round : undefined;
}

/**
 * A double barrier's entry rule, in real time: nobody passes the barrier before everyone of its
 * round has entered. For a barrier of `size` per round:
 * - an `enter` of round r answered ok must have at least `size` enters of round r invoked before
 *   its answer (`entered-early`);
 * - a `leave` of round r must be invoked after at least `size` enters of round r were
 *   (`left-early`);
 * - no round lets more than `size` enters through (`round-overfull`).
 * An enter whose outcome is unknown (`info`, no round) may belong to any round: it counts for
 * every round, so an indeterminate operation is never a false alarm. The leaving side is not
 * judged: a participant whose session expires leaves without ever invoking `leave`.
 */
export function checkBarrierInvariant(history: History, init: unknown): InvariantResult {
  const size = typeof init === 'number' ? init : 2;
  const counts: Record<string, number> = {};
  const violations: InvariantViolation[] = [];
  const add = (kind: string, ops: number[], sentence: () => string): void => {
    counts[kind] = (counts[kind] ?? 0) + 1;
    if (counts[kind]! <= VIOLATIONS_KEPT_PER_KIND) violations.push({ kind, operations: ops, sentence: sentence() });
  };
  const enters = history.operations.filter((o) => o.f === 'enter');
  const unknownCalls = enters.filter((o) => roundOf(o) === undefined && o.status === 'info').map((o) => o.call);
  const callsByRound = new Map<number, number[]>();
  for (const o of enters) {
    const r = roundOf(o);
    if (r === undefined) continue;
    const calls = callsByRound.get(r) ?? [];
    calls.push(o.call);
    callsByRound.set(r, calls);
  }
  /** Enters that may be of round r, invoked before event index `before`. */
  const enteredBefore = (r: number, before: number): number =>
    (callsByRound.get(r) ?? []).filter((c) => c < before).length + unknownCalls.filter((c) => c < before).length;

  let observations = 0;
  const passedByRound = new Map<number, number>();
  for (const o of history.operations) {
    const r = roundOf(o);
    if (r === undefined || o.status !== 'ok') continue;
    if (o.f === 'enter') {
      observations++;
      const entered = enteredBefore(r, o.ret);
      if (entered < size) add('entered-early', [o.id], () => `enter of process ${String(o.process)} passed barrier round ${r} when only ${entered} of ${size} had entered`);
      passedByRound.set(r, (passedByRound.get(r) ?? 0) + 1);
    } else if (o.f === 'leave') {
      observations++;
      const entered = enteredBefore(r, o.call);
      if (entered < size) add('left-early', [o.id], () => `process ${String(o.process)} left barrier round ${r} when only ${entered} of ${size} had entered`);
    }
  }
  for (const [r, passed] of passedByRound) {
    if (passed > size) add('round-overfull', [], () => `barrier round ${r} let ${passed} participants through, more than its ${size}`);
  }
  return {
    name: 'barrier',
    status: violations.length === 0 ? 'holds' : 'violated',
    checks: `a double barrier of ${size}: no enter passes, and nobody leaves, before all ${size} of its round have entered`,
    observations,
    counts,
    violations,
  };
}
