import type { Op } from '@verdict/checker';
import type { ClientOp } from '../sim/client-driver.js';
import type { SeededRng } from '../sim/rng.js';
import { killConnection } from './connection-killer.js';
import { beginStatement, prepareSession, type SessionLevel, type SqlIsolationLevel } from './isolation-levels.js';
import { classifyError } from './sql-errors.js';
import type { SqlConnector, SqlSession } from './sql-session.js';
import type { DbTarget } from './target.js';
import { VoluntaryAbort, type SqlWorkload } from './workloads/sql-workload.js';
import { WorkersError } from '../errors.js';

/** Everything one recorded run against a real database needs. */
export interface DbRunConfig {
  target: DbTarget;
  connect: SqlConnector;
  /** The test's own schema or database (see test-namespace.ts). */
  namespace: string;
  workload: SqlWorkload;
  isolation: SqlIsolationLevel;
  /** Concurrent clients, each on its own connection. */
  clients: number;
  /** No new transaction starts after this long (ms of wall time). */
  timeLimitMs: number;
  /** A client gives up on a transaction after this long: it drops its connection, and the operation is `info`. */
  txnTimeoutMs: number;
  /** The server refuses a statement (or a lock wait) longer than this: the transaction is rolled back, `fail`. */
  statementTimeoutMs: number;
  /** Fraction of transactions that roll themselves back after doing their work (aborted writes for G1a). */
  abortRate: number;
  /** Mean pause between kills of the test's own connections; 0: no kills. */
  killEveryMsMean: number;
  /** Draws the voluntary aborts (per operation, in stream order) and the kills. */
  rng: SeededRng;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** What the run did, beside its history. */
export interface DbRunStats {
  level: SessionLevel;
  serverVersion: string;
  wallMs: number;
  /** Client operations completed, by outcome. */
  ok: number;
  fail: number;
  info: number;
  /** Why operations failed (`serialization-failure`, `deadlock`, `voluntary-abort`...) or ended `info`. */
  failReasons: Record<string, number>;
  infoReasons: Record<string, number>;
  /** Connections the test killed. */
  kills: number;
  /** Committed or refused transactions per second of wall time. */
  txnPerSecond: number;
}

export interface DbRunOutcome {
  ops: Omit<Op, 'index'>[];
  stats: DbRunStats;
}

type Completion = { type: 'ok'; value: unknown } | { type: 'fail'; reason: string } | { type: 'info'; reason: string };

const CONNECT_ATTEMPTS_MAX = 5;
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Runs a workload against a real database: `clients` concurrent clients, each on its own
 * connection at the requested isolation level, every transaction recorded as invoke then ok, fail
 * or info with wall-clock times (ns since the start, as Jepsen records). A refused transaction is
 * `fail`; a dropped connection or a client timeout is `info`, and that client carries on under a
 * fresh process id (Jepsen's rule: a process that got `info` issues nothing more). Then a final
 * phase, after every client stopped, reads everything once more.
 */
export async function runAgainstDatabase(config: DbRunConfig): Promise<DbRunOutcome> {
  const started = process.hrtime.bigint();
  const now = (): number => Number(process.hrtime.bigint() - started);
  const ops: Omit<Op, 'index'>[] = [];
  const stats: Omit<DbRunStats, 'level' | 'serverVersion' | 'wallMs' | 'txnPerSecond'> = { ok: 0, fail: 0, info: 0, failReasons: {}, infoReasons: {}, kills: 0 };
  const aborts = config.rng.fork('voluntary-aborts');
  const killRng = config.rng.fork('kills');
  const total = config.workload.ops.size;
  let taken = 0;
  let nextProcess = config.clients;
  let stopping = false;
  const deadline = performance.now() + config.timeLimitMs;
  const live = new Map<number, { session: SqlSession; inTxn: boolean }>();

  const open = async (proc: number): Promise<SqlSession> => {
    const session = await connectWithRetry(config);
    live.set(proc, { session, inTxn: false });
    return session;
  };

  const admin = await connectWithRetry(config);
  let level: SessionLevel | undefined;
  let serverVersion = '';
  try {
    serverVersion = await versionOf(admin);
    const killer = config.killEveryMsMean > 0 ? killLoop() : Promise.resolve();
    const clients = Array.from({ length: config.clients }, (_, c) => client(c));
    await Promise.all(clients);
    stopping = true;
    await killer;
    await finalPhase();
  } finally {
    stopping = true;
    for (const { session } of live.values()) session.destroy();
    await admin.close();
  }
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  return {
    ops,
    stats: { ...stats, level: level!, serverVersion, wallMs: Math.round(wallMs), txnPerSecond: Math.round(((stats.ok + stats.fail) / Math.max(1, wallMs)) * 1000 * 10) / 10 },
  };

  async function client(c: number): Promise<void> {
    let proc = c;
    let session = await open(proc);
    level = await prepareSession(session, config.isolation, config.statementTimeoutMs);
    for (;;) {
      if (stopping || performance.now() >= deadline || config.signal?.aborted === true) break;
      const op = config.workload.ops.next();
      if (op === undefined) break;
      const abort = aborts.chance(config.abortRate);
      ops.push({ process: proc, type: 'invoke', f: op.f, value: op.value, time: now() });
      live.get(proc)!.inTxn = true;
      const done = await transaction(session, op, abort);
      live.get(proc)!.inTxn = false;
      record(proc, op, done);
      config.onProgress?.(++taken, total);
      if (done.type === 'info') {
        session.destroy();
        live.delete(proc);
        proc = nextProcess++;
        session = await open(proc);
        await prepareSession(session, config.isolation, config.statementTimeoutMs);
      }
    }
    live.delete(proc);
    await session.close();
  }

  function record(proc: number, op: ClientOp, done: Completion): void {
    const time = now();
    if (done.type === 'ok') {
      stats.ok++;
      ops.push({ process: proc, type: 'ok', f: op.f, value: done.value, time });
    } else if (done.type === 'fail') {
      stats.fail++;
      stats.failReasons[done.reason] = (stats.failReasons[done.reason] ?? 0) + 1;
      ops.push({ process: proc, type: 'fail', f: op.f, value: op.value, time, error: done.reason });
    } else {
      stats.info++;
      stats.infoReasons[done.reason] = (stats.infoReasons[done.reason] ?? 0) + 1;
      ops.push({ process: proc, type: 'info', f: op.f, value: op.value, time, error: done.reason });
    }
  }

  /** One transaction, bounded by the client timeout: past it the connection is dropped and the outcome is unknown. */
  async function transaction(session: SqlSession, op: ClientOp, abort: boolean): Promise<Completion> {
    let timer: NodeJS.Timeout | undefined;
    const work = attempt(session, op, abort);
    const timeout = new Promise<Completion>((resolve) => {
      timer = setTimeout(() => {
        session.destroy();
        resolve({ type: 'info', reason: 'client-timeout' });
      }, config.txnTimeoutMs);
    });
    work.catch(() => undefined); // it may reject after the timeout won; the outcome is already `info`
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function attempt(session: SqlSession, op: ClientOp, abort: boolean): Promise<Completion> {
    let committing = false;
    try {
      await session.query(beginStatement(session.dialect));
      const value = await config.workload.execute(session, op);
      if (abort) {
        await session.query('ROLLBACK');
        return { type: 'fail', reason: 'voluntary-abort' };
      }
      committing = true;
      await session.query('COMMIT');
      return { type: 'ok', value };
    } catch (e) {
      if (e instanceof VoluntaryAbort) {
        await rollbackQuietly(session);
        return { type: 'fail', reason: e.reason };
      }
      const c = classifyError(session.dialect, e);
      if (c.kind === 'refused') {
        // The server rolled the transaction (or, for a MySQL lock wait, the statement) back; end it.
        await rollbackQuietly(session);
        return { type: 'fail', reason: c.reason };
      }
      if (c.kind === 'broken') return { type: 'info', reason: committing ? `${c.reason}-during-commit` : c.reason };
      throw new WorkersError('VRD_ERR_TARGET_SQL', `${op.f} ${JSON.stringify(op.value)}: ${c.reason}`, { cause: e });
    }
  }

  async function killLoop(): Promise<void> {
    while (!stopping && config.signal?.aborted !== true) {
      await sleep(killRng.exponential(config.killEveryMsMean));
      if (stopping) return;
      const inTxn = [...live.entries()].filter(([, l]) => l.inTxn);
      if (inTxn.length === 0) continue;
      const [proc, victim] = inTxn[killRng.int(0, inTxn.length - 1)]!;
      const killed = await killConnection(admin, victim.session.backendId, config.namespace).catch(() => false);
      if (!killed) continue;
      stats.kills++;
      ops.push({ process: 'nemesis', type: 'info', f: 'kill-connection', value: { process: proc, connection: victim.session.backendId }, time: now() });
    }
  }

  /** After every client stopped: the workload's final reads, from a fresh connection, recorded with `phase: "final"`. */
  async function finalPhase(): Promise<void> {
    if (config.signal?.aborted === true) return;
    const proc = nextProcess++;
    const session = await open(proc);
    await prepareSession(session, config.isolation, config.statementTimeoutMs);
    for (const op of config.workload.ops.finalReadOps(config.workload.ops.keys())) {
      ops.push({ process: proc, type: 'invoke', f: op.f, value: op.value, time: now(), phase: 'final' });
      const done = await transaction(session, op, false);
      if (done.type === 'ok') ops.push({ process: proc, type: 'ok', f: op.f, value: done.value, time: now(), phase: 'final' });
      else {
        ops.push({ process: proc, type: done.type, f: op.f, value: op.value, time: now(), phase: 'final', error: done.reason });
        break; // a final read that did not complete ends the phase: its process may not go on
      }
    }
    live.delete(proc);
    await session.close();
  }
}

async function connectWithRetry(config: DbRunConfig): Promise<SqlSession> {
  let last: unknown;
  for (let attempt = 1; attempt <= CONNECT_ATTEMPTS_MAX; attempt++) {
    try {
      return await config.connect(config.target, { connectTimeoutMs: CONNECT_TIMEOUT_MS, namespace: config.namespace });
    } catch (e) {
      last = e;
      if (config.signal?.aborted === true) break;
      await sleep(50 * 2 ** attempt);
    }
  }
  throw new WorkersError('VRD_ERR_TARGET_CONNECT', `${config.target.display}: ${last instanceof Error ? last.message : String(last)}`, { cause: last });
}

async function rollbackQuietly(session: SqlSession): Promise<void> {
  await session.query('ROLLBACK').catch(() => undefined);
}

async function versionOf(session: SqlSession): Promise<string> {
  const rows = await session.query(session.dialect === 'postgres' ? 'SELECT version() AS v' : 'SELECT VERSION() AS v');
  return String(rows[0]?.v ?? '');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
