import { inconsistent, type Model } from './model.js';
import { showValue } from './values.js';

/** Balances by account, as the initial state and every read give them. */
export type Balances = Readonly<Record<string, number>>;

/** The bank's state: balances in the order of `accounts`. */
type BankState = readonly number[];

/**
 * Jepsen's bank as a sequential specification: `transfer {from, to, amount}` moves money between
 * two accounts and is refused (so never `ok`) when the payer would go below zero; `read` returns
 * every balance (`{account: balance}`). Each operation is one transaction, so a linearizable bank
 * history is a strict-serializable one. Init: the opening balances, `{account: balance}`.
 */
export function bankModel(init: unknown): Model<BankState> {
  const opening = openingBalances(init);
  const accounts = Object.keys(opening).sort(compareAccounts);
  const index = new Map(accounts.map((a, i) => [a, i]));
  const start = accounts.map((a) => opening[a]!);
  const show = (s: BankState): string => `{${accounts.map((a, i) => `${a} ${s[i]}`).join(', ')}}`;
  return {
    name: 'bank',
    init: () => start,
    step(state, op) {
      if (op.f === 'read') {
        if (op.status !== 'ok' || op.output === null || op.output === undefined) return state;
        const read = op.output as Record<string, unknown>;
        for (let i = 0; i < accounts.length; i++) {
          if (read[accounts[i]!] !== state[i]) return inconsistent(() => `read ${showValue(op.output)} but the balances are ${show(state)}`);
        }
        return Object.keys(read).length === accounts.length ? state : inconsistent(() => `read ${showValue(op.output)}, which names accounts the bank does not have`);
      }
      if (op.status === 'fail') return state;
      const { from, to, amount } = op.input as { from: unknown; to: unknown; amount: number };
      const f = index.get(String(from))!;
      const t = index.get(String(to))!;
      if (state[f]! < amount) return inconsistent(() => `transfer of ${amount} from ${String(from)} would overdraw it: the balances are ${show(state)}`);
      const next = state.slice();
      next[f] = state[f]! - amount;
      next[t] = state[t]! + amount;
      return next;
    },
    equal: (a, b) => a.every((x, i) => x === b[i]),
    hash: (s) => {
      let h = 0x811c9dc5;
      for (const x of s) h = Math.imul(h ^ (x | 0), 0x01000193);
      return h >>> 0;
    },
    validate(op) {
      if (op.f === 'read') return op.output === undefined || op.output === null || (typeof op.output === 'object' && !Array.isArray(op.output)) ? undefined : `a read must return {account: balance}, got ${showValue(op.output)}`;
      if (op.f !== 'transfer') return `f ${JSON.stringify(op.f)} is not transfer or read`;
      const v = op.input as { from?: unknown; to?: unknown; amount?: unknown } | null;
      if (v === null || typeof v !== 'object') return `a transfer's value must be {from, to, amount}, got ${showValue(op.input)}`;
      if (!index.has(String(v.from)) || !index.has(String(v.to))) return `transfer between ${showValue(v.from)} and ${showValue(v.to)}: not accounts of this bank (${accounts.join(', ')})`;
      return typeof v.amount === 'number' && Number.isInteger(v.amount) && v.amount >= 0 ? undefined : `a transfer's amount must be a non-negative integer, got ${showValue(v.amount)}`;
    },
    isReadOnly: (op) => op.f === 'read',
    describeOperation: (op) => {
      if (op.f === 'read') return `read → ${showValue(op.output)}`;
      const v = op.input as { from: unknown; to: unknown; amount: unknown };
      return `transfer ${showValue(v.amount)} from ${showValue(v.from)} to ${showValue(v.to)}`;
    },
    describeState: show,
  };
}

/** The opening balances: `{account: balance}` (an array is read as accounts 0..n-1). */
export function openingBalances(init: unknown): Balances {
  const entries = Array.isArray(init) ? init.map((b, i) => [String(i), b] as const) : init !== null && typeof init === 'object' ? Object.entries(init) : undefined;
  if (entries === undefined || entries.length < 2) throw new TypeError('bank init must give at least two opening balances, as {account: balance}');
  const out: Record<string, number> = {};
  for (const [a, b] of entries) {
    if (typeof b !== 'number' || !Number.isSafeInteger(b) || b < 0) throw new TypeError(`bank init: account ${a} has balance ${showValue(b)}, not a non-negative integer`);
    out[a] = b;
  }
  return out;
}

/** Accounts in numeric order when they are numbers, else as text. */
function compareAccounts(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}
