import type { ClientOp } from '../../sim/client-driver.js';
import { listAppendWorkload } from '../../workloads/list-append-workload.js';
import { predicateWorkload } from '../../workloads/predicate-workload.js';
import { rwRegisterWorkload } from '../../workloads/rw-register-workload.js';
import type { Workload } from '../../workloads/workload.js';
import type { SqlSession } from '../sql-session.js';
import { numberOf, VoluntaryAbort, type DbWorkloadName, type SqlWorkload } from './sql-workload.js';

export interface TxnWorkloadOptions {
  ops: number;
  seed: number;
  /** Keys (or ranges, for predicate) in play at once. */
  keys: number;
}

/** Elle's list-append over one table: each key's row holds its list as comma-separated text. */
export function listAppendSql(options: TxnWorkloadOptions): SqlWorkload {
  return txnWorkload('list-append', listAppendWorkload({ ops: options.ops, seed: options.seed, keysActive: options.keys }), 'la', {
    pg: 'CREATE TABLE la (k BIGINT PRIMARY KEY, v TEXT NOT NULL)',
    my: 'CREATE TABLE la (k BIGINT PRIMARY KEY, v TEXT NOT NULL) ENGINE=InnoDB',
  });
}

/** Registers, one row per key, written by upsert. */
export function rwRegisterSql(options: TxnWorkloadOptions): SqlWorkload {
  return txnWorkload('rw-register', rwRegisterWorkload({ ops: options.ops, seed: options.seed, keysActive: options.keys }), 'rw', {
    pg: 'CREATE TABLE rw (k BIGINT PRIMARY KEY, v BIGINT)',
    my: 'CREATE TABLE rw (k BIGINT PRIMARY KEY, v BIGINT) ENGINE=InnoDB',
  });
}

/** Range scans against inserts of fresh keys and deletes of inserted ones. */
export function predicateSql(options: TxnWorkloadOptions): SqlWorkload {
  return txnWorkload('predicate', predicateWorkload({ ops: options.ops, seed: options.seed, rangesActive: options.keys }), 'pr', {
    pg: 'CREATE TABLE pr (k BIGINT PRIMARY KEY, v BIGINT NOT NULL)',
    my: 'CREATE TABLE pr (k BIGINT PRIMARY KEY, v BIGINT NOT NULL) ENGINE=InnoDB',
  });
}

type Table = 'la' | 'rw' | 'pr';

function txnWorkload(name: DbWorkloadName, ops: Workload, table: Table, ddl: { pg: string; my: string }): SqlWorkload {
  return {
    name,
    ops,
    checkOptions: {},
    async setup(session) {
      await session.query(session.dialect === 'postgres' ? ddl.pg : ddl.my);
    },
    async execute(session, op: ClientOp) {
      const out: unknown[] = [];
      for (const m of op.value as unknown[][]) out.push(await microOp(session, table, m));
      return out;
    },
  };
}

/**
 * One micro-op on the workload's table; reads come back completed (`["r", k, v]`,
 * `["scan", range, keys]`). List-append rows hold the list as comma-separated text; register rows
 * are written by upsert; the predicate table only ever gets fresh keys, by plain INSERT, and loses
 * them by DELETE. A delete that finds no row rolls the transaction back (`VoluntaryAbort`): the
 * history's `["delete", k]` says the key existed and this transaction removed it.
 */
async function microOp(s: SqlSession, table: Table, m: readonly unknown[]): Promise<unknown[]> {
  const [f, k, v] = m;
  const pg = s.dialect === 'postgres';
  if (f === 'append' && table === 'la') {
    await s.query(
      pg
        ? "INSERT INTO la (k, v) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = la.v || ',' || EXCLUDED.v"
        : "INSERT INTO la (k, v) VALUES (?, ?) ON DUPLICATE KEY UPDATE v = CONCAT(v, ',', VALUES(v))",
      [k, String(v)],
    );
    return ['append', k, v];
  }
  if (f === 'r') {
    const rows = await s.query(pg ? `SELECT v FROM ${table} WHERE k = $1` : `SELECT v FROM ${table} WHERE k = ?`, [k]);
    const raw = rows[0]?.v;
    return ['r', k, table === 'la' ? listOf(raw) : numberOf(raw)];
  }
  if (f === 'w' && table === 'rw') {
    await s.query(pg ? 'INSERT INTO rw (k, v) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v' : 'INSERT INTO rw (k, v) VALUES (?, ?) ON DUPLICATE KEY UPDATE v = VALUES(v)', [k, v]);
    return ['w', k, v];
  }
  if (f === 'w' && table === 'pr') {
    await s.query(pg ? 'INSERT INTO pr (k, v) VALUES ($1, $2)' : 'INSERT INTO pr (k, v) VALUES (?, ?)', [k, v]);
    return ['w', k, v];
  }
  if (f === 'delete' && table === 'pr') {
    // RETURNING (Postgres; MariaDB since 10.5) tells whether a row went, through the same query() as every read.
    const rows = await s.query(pg ? 'DELETE FROM pr WHERE k = $1 RETURNING k' : 'DELETE FROM pr WHERE k = ? RETURNING k', [k]);
    // Named as the runner's own voluntary aborts, which the matrix does not count as the database refusing.
    if (rows.length === 0) throw new VoluntaryAbort('voluntary-abort');
    return ['delete', k, null];
  }
  if (f === 'scan' && table === 'pr') {
    const [lo, hi] = k as [number, number];
    const rows = await s.query(pg ? 'SELECT k FROM pr WHERE k BETWEEN $1 AND $2 ORDER BY k' : 'SELECT k FROM pr WHERE k BETWEEN ? AND ? ORDER BY k', [lo, hi]);
    return ['scan', [lo, hi], rows.map((r) => numberOf(r.k))];
  }
  throw new Error(`micro-op ${JSON.stringify(f)} does not apply to table ${table}`);
}

/** A list-append row's text as the list it holds; no row is the empty list. */
function listOf(raw: unknown): unknown[] {
  if (raw === null || raw === undefined || raw === '') return [];
  return String(raw).split(',').map((x) => numberOf(x));
}
