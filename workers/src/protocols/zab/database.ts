import type { Identity } from './acl.js';
import { ZnodeTree, type OpResult, type TreeChange, type WriteOp, type ZNode } from './znode-tree.js';
import type { Zxid } from './zxid.js';

/** One entry of the replicated log: what a client (or the leader) asked, and who asked. */
export interface Txn {
  zxid: Zxid;
  /** The session that issued it, and its request number there (ZooKeeper's cxid): the exactly-once key. */
  session: number;
  cxid: number;
  kind: 'op' | 'sync' | 'create-session' | 'close-session';
  op?: WriteOp;
  who?: Identity;
  /** For create-session: the session's timeout. */
  timeoutMs?: number;
}

interface SessionEntry {
  /** The highest cxid applied for the session, and its result (answered again to a retry of it). */
  lastCxid: number;
  lastResult: OpResult;
  timeoutMs: number;
  /** Closed or expired: its later requests are refused, and its ephemeral nodes are gone. */
  closed?: true;
}

export interface Snapshot {
  zxid: Zxid;
  tree: [string, ZNode][];
  sessions: [number, SessionEntry][];
}

/** What applying one transaction did. */
export interface Applied {
  txn: Txn;
  result: OpResult;
  /** True when the (session, cxid) had been applied before: nothing changed this time. */
  duplicate: boolean;
  changes: TreeChange[];
  /** Ephemeral paths deleted by a session's close. */
  closedPaths?: string[];
}

const OK: OpResult = { ok: true };

/**
 * The state every server replicates: the znode tree and the session table. Transactions apply in
 * zxid order; a (session, cxid) applies at most once, so a request retried through a second leader
 * or delivered twice never takes effect twice (a retry gets the first application's result).
 */
export class ZkDatabase {
  tree = new ZnodeTree();
  private sessions = new Map<number, SessionEntry>();
  appliedZxid: Zxid = 0;

  static fromSnapshot(snapshot: Snapshot): ZkDatabase {
    const db = new ZkDatabase();
    db.tree = ZnodeTree.fromSnapshot(snapshot.tree);
    db.sessions = new Map(snapshot.sessions.map(([id, s]) => [id, { ...s }]));
    db.appliedZxid = snapshot.zxid;
    return db;
  }

  snapshot(): Snapshot {
    return { zxid: this.appliedZxid, tree: this.tree.toSnapshot(), sessions: [...this.sessions.entries()].map(([id, s]) => [id, { ...s }]) };
  }

  hasSession(session: number): boolean {
    const entry = this.sessions.get(session);
    return entry !== undefined && entry.closed === undefined;
  }

  sessionIds(): number[] {
    return [...this.sessions.entries()].filter(([, s]) => s.closed === undefined).map(([id]) => id);
  }

  sessionTimeoutMs(session: number): number | undefined {
    return this.sessions.get(session)?.timeoutMs;
  }

  apply(txn: Txn): Applied {
    if (txn.zxid <= this.appliedZxid) throw new Error(`zookeeper: transaction ${txn.zxid} applied after ${this.appliedZxid}`);
    this.appliedZxid = txn.zxid;
    const session = this.sessions.get(txn.session);
    if (session !== undefined && txn.cxid <= session.lastCxid) {
      return { txn, result: txn.cxid === session.lastCxid ? session.lastResult : OK, duplicate: true, changes: [] };
    }
    if (txn.kind === 'create-session') {
      this.sessions.set(txn.session, { lastCxid: txn.cxid, lastResult: OK, timeoutMs: txn.timeoutMs ?? 0 });
      return { txn, result: OK, duplicate: false, changes: [] };
    }
    if (txn.kind === 'close-session') {
      if (session === undefined || session.closed !== undefined) return { txn, result: { ok: false, error: 'SessionExpired' }, duplicate: false, changes: [] };
      session.closed = true;
      this.tree.changes.length = 0;
      const closedPaths = this.tree.closeSession(txn.session, txn.zxid);
      return { txn, result: OK, duplicate: false, changes: this.tree.takeChanges(), closedPaths };
    }
    // Sessions of the kv workload are opened by their first request (ZooKeeper's client opens one
    // before its first request; the simulated clients skip that round trip). A closed session's
    // later requests are refused.
    const entry = session ?? { lastCxid: 0, lastResult: OK, timeoutMs: 0 };
    if (session === undefined) this.sessions.set(txn.session, entry);
    let result: OpResult = OK;
    this.tree.changes.length = 0;
    if (entry.closed !== undefined) result = { ok: false, error: 'SessionExpired' };
    else if (txn.kind === 'op' && txn.op !== undefined) result = this.tree.apply(txn.op, txn.zxid, txn.session, txn.who ?? { digests: [], ip: '' });
    entry.lastCxid = txn.cxid;
    entry.lastResult = result;
    return { txn, result, duplicate: false, changes: this.tree.takeChanges() };
  }
}
