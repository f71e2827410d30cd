import fc from 'fast-check';
import type { ClientOp } from '../sim/client-driver.js';
import { sampleStream, type Workload } from './workload.js';

export interface BankOptions {
  ops: number;
  seed: number;
  /** Accounts, numbered 0..accounts-1 (default 5). */
  accounts?: number;
  /** Money in the bank, split evenly at the start (default 100 per account). */
  balancePerAccount?: number;
  /** Largest single transfer (default 5). */
  amountMax?: number;
}

/**
 * Jepsen's bank: `transfer {from, to, amount}` between two accounts, and `read` of every balance
 * (completing as `{account: balance}`). Whatever the interleaving, money is only moved: every read
 * must sum to the same total, and no balance may go below zero.
 */
export function bankWorkload(options: BankOptions): Workload & { readonly accounts: number; readonly initialBalances: Record<string, number> } {
  const accounts = options.accounts ?? 5;
  if (!(accounts >= 2)) throw new RangeError(`a bank needs at least 2 accounts, got ${accounts}`);
  const amountMax = options.amountMax ?? 5;
  const perAccount = options.balancePerAccount ?? 100;
  const shape = fc.oneof(
    { arbitrary: fc.record({ f: fc.constant<'read'>('read') }), weight: 1 },
    {
      arbitrary: fc.record({ f: fc.constant<'transfer'>('transfer'), from: fc.nat({ max: accounts - 1 }), hop: fc.integer({ min: 1, max: accounts - 1 }), amount: fc.integer({ min: 1, max: amountMax }) }),
      weight: 3,
    },
  );
  const shapes = sampleStream(shape, options.seed, options.ops);
  const initialBalances: Record<string, number> = {};
  for (let a = 0; a < accounts; a++) initialBalances[String(a)] = perAccount;
  const all = Array.from({ length: accounts }, (_, a) => a);
  return {
    kind: 'txn',
    size: shapes.size,
    accounts,
    initialBalances,
    next(): ClientOp | undefined {
      const s = shapes.take();
      if (s === undefined) return undefined;
      if (s.f === 'read') return { f: 'read', value: null };
      return { f: 'transfer', value: { from: s.from, to: (s.from + s.hop) % accounts, amount: s.amount } };
    },
    keys: () => all,
    finalReadOps: () => [{ f: 'read', value: null }],
  };
}
