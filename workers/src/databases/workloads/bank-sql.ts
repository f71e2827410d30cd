import type { ClientOp } from '../../sim/client-driver.js';
import { bankWorkload } from '../../workloads/bank-workload.js';
import type { SqlSession } from '../sql-session.js';
import { numberOf, VoluntaryAbort, type SqlWorkload } from './sql-workload.js';

export interface BankSqlOptions {
  ops: number;
  seed: number;
  accounts: number;
}

/**
 * Jepsen's bank on one `accounts` table. A transfer reads both balances, refuses (rolls back) when
 * the payer is short, and writes both new balances as absolute values: under an isolation level
 * that lets two transfers read the same balance, one update overwrites the other and money is
 * made or lost (a lost update). A read selects each balance in its own statement, so a level that
 * takes a fresh snapshot per statement can show a total that never existed (read skew).
 */
export function bankSql(options: BankSqlOptions): SqlWorkload {
  const ops = bankWorkload({ ops: options.ops, seed: options.seed, accounts: options.accounts });
  return {
    name: 'bank',
    ops,
    checkOptions: { model: 'bank', init: ops.initialBalances },
    async setup(session) {
      const pg = session.dialect === 'postgres';
      await session.query(pg ? 'CREATE TABLE accounts (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL)' : 'CREATE TABLE accounts (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL) ENGINE=InnoDB');
      for (const [id, balance] of Object.entries(ops.initialBalances)) {
        await session.query(pg ? 'INSERT INTO accounts (id, balance) VALUES ($1, $2)' : 'INSERT INTO accounts (id, balance) VALUES (?, ?)', [Number(id), balance]);
      }
    },
    async execute(session, op: ClientOp) {
      if (op.f === 'read') {
        const balances: Record<string, unknown> = {};
        for (let a = 0; a < ops.accounts; a++) balances[String(a)] = await balanceOf(session, a);
        return balances;
      }
      const { from, to, amount } = op.value as { from: number; to: number; amount: number };
      const payer = await balanceOf(session, from);
      const payee = await balanceOf(session, to);
      if (typeof payer !== 'number' || typeof payee !== 'number') throw new Error(`account ${from} or ${to} has no balance`);
      if (payer < amount) throw new VoluntaryAbort('insufficient-funds');
      await setBalance(session, from, payer - amount);
      await setBalance(session, to, payee + amount);
      return op.value;
    },
  };
}

async function balanceOf(s: SqlSession, id: number): Promise<number | bigint | string | null> {
  const rows = await s.query(s.dialect === 'postgres' ? 'SELECT balance FROM accounts WHERE id = $1' : 'SELECT balance FROM accounts WHERE id = ?', [id]);
  return numberOf(rows[0]?.balance);
}

async function setBalance(s: SqlSession, id: number, balance: number): Promise<void> {
  await s.query(s.dialect === 'postgres' ? 'UPDATE accounts SET balance = $1 WHERE id = $2' : 'UPDATE accounts SET balance = ? WHERE id = ?', [balance, id]);
}
