import type { NodeContext, NodeId } from '../../sim/node-context.js';
import type { SettledOutcome } from './client-outcome.js';
import { keyId, type MicroOp, type TxnKey } from './list-append.js';
import { LockTable, lockRequests, type LockRequest } from './lock-table.js';

/**
 * Where a participant's transaction stands: `locked` (locks held, nothing written; volatile, a
 * crash forgets it, unless its yes vote was logged: see `vote`), `prepared` (executed in place
 * with its undo/redo record logged: durable), then `committed` or `aborted` (durable, kept so
 * late or duplicated messages get the same answer).
 */
export type TxnState = 'locked' | 'prepared' | 'committed' | 'aborted';

/** The participant's log record of one transaction: its undo/redo log entry. */
export interface TxnRecord {
  id: string;
  coordinator: NodeId;
  state: TxnState;
  /** This participant's share of the transaction's micro-ops. */
  ops: MicroOp[];
  locks: LockRequest[];
  /** Undo: each appended key's list length before this transaction touched it. */
  undo: { key: TxnKey; length: number }[];
  /** Redo: the appends this transaction made, in order. */
  redo: { key: TxnKey; value: unknown }[];
  /** The share as completed, reads filled in; sent back with the vote. */
  results: MicroOp[];
  /** Who settled the outcome: the coordinator's decision, or this participant alone (a timeout). */
  decidedBy?: 'coordinator' | 'participant';
  /** 3PC: the yes vote was logged, so a crash keeps the share locked and able to commit. */
  voted?: true;
}

const OPEN_KEY = 'rm/open';
const LOCK_CONFLICT = /^lock-conflict: key (.+) is held by (\S+)$/;

/** Why a no-wait lock request failed; the coordinator hands it to the client as the error. */
function lockConflictReason(key: TxnKey, holder: string): string {
  return `lock-conflict: key ${JSON.stringify(key)} is held by ${holder}`;
}

/** Reads `lockConflictReason` back from a client's error (ProtocolDefinition.lockConflict). */
export function parseLockConflict(error: string): { key: TxnKey; holder: string } | undefined {
  const m = LOCK_CONFLICT.exec(error);
  if (m === null) return undefined;
  try {
    return { key: JSON.parse(m[1]!) as TxnKey, holder: m[2]! };
  } catch {
    return undefined;
  }
}
const txnKey = (id: string): string => `rm/txn/${id}`;
const listKey = (key: TxnKey): string => `rm/kv/${keyId(key)}`;

/**
 * A participant's data and transaction log, shared by the 2PC and 3PC participants: a
 * list-append store, strict two-phase locks (no-wait, see LockTable), and per-transaction
 * undo/redo records. Preparing executes a transaction in place — appends go into the lists — after
 * logging its undo (previous lengths) and redo (the appends); commit keeps them, abort truncates
 * back with the undo. Everything a restart needs is persisted: the lists, each record, and the
 * ids of prepared transactions; locks of prepared transactions are taken again on recovery.
 */
export class ResourceManager {
  private readonly locks = new LockTable();
  /** Transactions in `locked` or `prepared` state. */
  private readonly open = new Map<string, TxnRecord>();
  private readonly lists = new Map<string, unknown[]>();

  constructor(private readonly ctx: NodeContext) {}

  /** Rebuilds from the log after a (re)start: the prepared (and voted) transactions, with their locks held again. */
  recover(): TxnRecord[] {
    const recovered: TxnRecord[] = [];
    for (const id of this.ctx.load<string[]>(OPEN_KEY) ?? []) {
      const record = this.ctx.load<TxnRecord>(txnKey(id));
      if (record === undefined || !durablyOpen(record)) continue;
      const granted = this.locks.acquire(id, record.locks);
      if (!granted.ok) throw new Error(`recovery: prepared transactions ${id} and ${granted.holder} both lock ${String(granted.key)}`);
      this.open.set(id, record);
      recovered.push(record);
    }
    return recovered;
  }

  /** A transaction's record: in memory while open, from the log once settled. */
  get(id: string): TxnRecord | undefined {
    return this.open.get(id) ?? this.ctx.load<TxnRecord>(txnKey(id));
  }

  /** Takes every lock the share needs or none (no-wait); on success the transaction is `locked`. */
  lock(id: string, coordinator: NodeId, ops: readonly MicroOp[]): { ok: true; record: TxnRecord } | { ok: false; reason: string } {
    const requests = lockRequests(ops);
    const granted = this.locks.acquire(id, requests);
    if (!granted.ok) return { ok: false, reason: lockConflictReason(granted.key, granted.holder) };
    const record: TxnRecord = { id, coordinator, state: 'locked', ops: [...ops], locks: requests, undo: [], redo: [], results: [] };
    this.open.set(id, record);
    return { ok: true, record };
  }

  /**
   * Logs a `locked` transaction's yes vote (3PC): the vote promises the coordinator that this
   * share can commit, a promise a crash must not break, so its locks and operations are logged
   * and taken again on recovery.
   */
  vote(id: string): TxnRecord {
    const record = this.open.get(id);
    if (record === undefined || record.state !== 'locked') throw new Error(`vote: ${id} is not locked here`);
    record.voted = true;
    this.ctx.persist(txnKey(id), record);
    this.persistOpen();
    return record;
  }

  /** Executes a `locked` transaction in place and logs its undo/redo record: it is now `prepared`. */
  execute(id: string): TxnRecord {
    const record = this.open.get(id);
    if (record === undefined || record.state !== 'locked') throw new Error(`execute: ${id} is not locked here`);
    const undone = new Set<string>();
    const touched = new Set<TxnKey>();
    for (const op of record.ops) {
      const list = this.list(op[1]);
      if (op[0] === 'r') {
        record.results.push(['r', op[1], [...list]]);
        continue;
      }
      if (!undone.has(keyId(op[1]))) {
        undone.add(keyId(op[1]));
        record.undo.push({ key: op[1], length: list.length });
      }
      list.push(op[2]);
      touched.add(op[1]);
      record.redo.push({ key: op[1], value: op[2] });
      record.results.push(op);
    }
    record.state = 'prepared';
    // Write-ahead: the undo/redo record goes to the log before the lists it changes.
    this.ctx.persist(txnKey(id), record);
    for (const key of touched) this.ctx.persist(listKey(key), this.list(key));
    this.persistOpen();
    return record;
  }

  /** Locks and executes in one step (2PC's prepare). */
  prepare(id: string, coordinator: NodeId, ops: readonly MicroOp[]): { ok: true; record: TxnRecord } | { ok: false; reason: string } {
    const locked = this.lock(id, coordinator, ops);
    if (!locked.ok) return locked;
    return { ok: true, record: this.execute(id) };
  }

  /** Makes an open transaction's appends permanent and releases its locks. */
  commit(id: string, decidedBy: TxnRecord['decidedBy']): TxnRecord {
    const record = this.open.get(id);
    if (record === undefined) throw new Error(`commit: ${id} is not open here`);
    if (record.state === 'locked') this.execute(id);
    return this.settle(record, 'committed', decidedBy);
  }

  /** Rolls an open transaction back with its undo record and releases its locks. */
  abort(id: string, decidedBy: TxnRecord['decidedBy']): TxnRecord {
    const record = this.open.get(id);
    if (record === undefined) throw new Error(`abort: ${id} is not open here`);
    if (record.state === 'prepared') {
      for (const { key, length } of record.undo) {
        this.list(key).length = length;
        this.ctx.persist(listKey(key), this.list(key));
      }
    }
    return this.settle(record, 'aborted', decidedBy);
  }

  /**
   * Records that a transaction this participant never prepared is aborted, so a prepare that
   * arrives late (delayed or duplicated by the network) is refused rather than executed.
   * `decidedBy`: the coordinator's abort, or this participant's refusal of a commit it cannot run.
   */
  refuse(id: string, coordinator: NodeId, decidedBy: TxnRecord['decidedBy'] = 'coordinator'): TxnRecord {
    const record: TxnRecord = { id, coordinator, state: 'aborted', ops: [], locks: [], undo: [], redo: [], results: [], decidedBy };
    this.ctx.persist(txnKey(id), record);
    return record;
  }

  /**
   * Answers reads from committed state, without locks: a key held by a prepared transaction is
   * read as it was before that transaction (its undo length). Used for the final reads.
   */
  readCommitted(ops: readonly MicroOp[]): MicroOp[] {
    return ops.map((op): MicroOp => (op[0] === 'r' ? ['r', op[1], this.committedList(op[1])] : op));
  }

  lockedKeys(): TxnKey[] {
    return this.locks.lockedKeys();
  }

  private committedList(key: TxnKey): unknown[] {
    const list = this.list(key);
    const holder = this.locks.exclusiveHolder(key);
    const record = holder === undefined ? undefined : this.open.get(holder);
    if (record?.state !== 'prepared') return [...list];
    const undo = record.undo.find((u) => keyId(u.key) === keyId(key));
    return list.slice(0, undo?.length ?? list.length);
  }

  private settle(record: TxnRecord, state: 'committed' | 'aborted', decidedBy: TxnRecord['decidedBy']): TxnRecord {
    const wasLogged = durablyOpen(record);
    record.state = state;
    record.decidedBy = decidedBy;
    this.ctx.persist(txnKey(record.id), record);
    this.open.delete(record.id);
    this.locks.release(record.id, record.locks.map((l) => l.key));
    if (wasLogged) this.persistOpen();
    return record;
  }

  private list(key: TxnKey): unknown[] {
    const id = keyId(key);
    let list = this.lists.get(id);
    if (list === undefined) {
      // `load` returns a copy: the lists change in memory first and are persisted at the points the log says.
      list = this.ctx.load<unknown[]>(listKey(key)) ?? [];
      this.lists.set(id, list);
    }
    return list;
  }

  private persistOpen(): void {
    this.ctx.persist(OPEN_KEY, [...this.open.values()].filter(durablyOpen).map((r) => r.id));
  }
}

/** Open and in the log: prepared, or locked with its yes vote logged. */
function durablyOpen(record: TxnRecord): boolean {
  return record.state === 'prepared' || (record.state === 'locked' && record.voted === true);
}

/** How a settled record is reported to its coordinator. */
export function settledOutcome(record: TxnRecord): SettledOutcome {
  const decidedBy = record.decidedBy ?? 'coordinator';
  return record.state === 'committed' ? { outcome: 'committed', decidedBy, results: record.results } : { outcome: 'aborted', decidedBy };
}
