import type { History, Operation } from '../history/op.js';
import { openingBalances } from '../models/bank.js';
import { showValue } from '../models/values.js';
import type { InvariantResult, InvariantViolation } from './types.js';

/** Violations kept per kind; the counts cover all of them. */
const VIOLATIONS_KEPT_PER_KIND = 5;

/**
 * Jepsen's bank checker: every ok read must name every account, sum to the opening total, and
 * show no negative balance. A wrong total in a read taken while transfers ran is a read that saw
 * part of a transfer (read skew) or money made or lost; a wrong total in a final read, taken after
 * every transfer ended, proves money was made or lost for good: an update overwritten by another
 * (a lost update) or applied twice.
 */
export function checkBankInvariant(history: History, init: unknown): InvariantResult {
  const opening = openingBalances(init);
  const accounts = Object.keys(opening);
  const total = accounts.reduce((sum, a) => sum + opening[a]!, 0);
  const counts: Record<string, number> = {};
  const violations: InvariantViolation[] = [];
  const add = (kind: string, op: Operation, sentence: () => string): void => {
    counts[kind] = (counts[kind] ?? 0) + 1;
    if (counts[kind]! <= VIOLATIONS_KEPT_PER_KIND) violations.push({ kind, operations: [op.id], sentence: sentence() });
  };
  let observations = 0;
  for (const op of history.operations) {
    if (op.f !== 'read' || op.status !== 'ok' || op.output === null || typeof op.output !== 'object') continue;
    observations++;
    const read = op.output as Record<string, unknown>;
    const missing = accounts.filter((a) => !(a in read));
    if (missing.length > 0) {
      add('missing-account', op, () => `read by process ${String(op.process)} has no balance for account(s) ${missing.join(', ')}`);
      continue;
    }
    let sum = 0;
    for (const a of Object.keys(read)) {
      const b = read[a];
      if (typeof b !== 'number') {
        sum = Number.NaN;
        break;
      }
      sum += b;
      if (b < 0) add('negative-balance', op, () => `read by process ${String(op.process)} shows account ${a} at ${b}: below zero`);
    }
    if (sum === total) continue;
    const final = op.phase === 'final';
    add(final ? 'total-changed' : 'wrong-total', op, () =>
      final
        ? `the final read (after every transfer ended) sums to ${showValue(sum)}, not the ${total} the bank opened with: money was ${sum > total ? 'made' : 'lost'} for good, so some transfer's update was lost or applied twice`
        : `read by process ${String(op.process)} sums to ${showValue(sum)}, not ${total}: it saw part of a transfer, or money made or lost (${showValue(read)})`,
    );
  }
  const violated = Object.keys(counts).length > 0;
  return {
    name: 'bank',
    status: violated ? 'violated' : 'holds',
    checks: `every read names all ${accounts.length} accounts, sums to ${total} and shows no negative balance`,
    observations,
    counts,
    violations,
  };
}
