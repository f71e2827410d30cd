import { allowed, OPEN_ACL, PERM, type AclEntry, type Identity } from './acl.js';
import type { Zxid } from './zxid.js';

export type CreateMode = 'persistent' | 'ephemeral' | 'persistent-sequential' | 'ephemeral-sequential';

/** A znode's metadata, field for field as ZooKeeper's Stat (times omitted: the simulator's clocks are per node). */
export interface Stat {
  czxid: Zxid;
  mzxid: Zxid;
  pzxid: Zxid;
  version: number;
  cversion: number;
  aversion: number;
  /** The session that owns an ephemeral node; 0 otherwise. */
  ephemeralOwner: number;
  dataLength: number;
  numChildren: number;
}

export interface ZNode {
  data: unknown;
  acl: readonly AclEntry[];
  stat: Stat;
  children: string[];
}

/** ZooKeeper's error names, as a client sees them. */
export type ZkError = 'NoNode' | 'NodeExists' | 'NotEmpty' | 'BadVersion' | 'NoAuth' | 'NoChildrenForEphemerals' | 'BadArguments' | 'SessionExpired' | 'RuntimeInconsistency' | 'ConnectionLoss';

/** The write operations a transaction carries (reads never enter the log). */
export type WriteOp =
  | { type: 'create'; path: string; data: unknown; mode: CreateMode; acl?: readonly AclEntry[] }
  | { type: 'delete'; path: string; version: number }
  | { type: 'setData'; path: string; data: unknown; version: number }
  | { type: 'setACL'; path: string; acl: readonly AclEntry[]; version: number }
  | { type: 'check'; path: string; version: number }
  | { type: 'multi'; ops: readonly WriteOp[] };

export type OpResult = { ok: true; path?: string; stat?: Stat; results?: OpResult[] } | { ok: false; error: ZkError; results?: OpResult[] };

/** What a write changed, for the watches of the server that applies it. */
export interface TreeChange {
  path: string;
  kind: 'created' | 'deleted' | 'data' | 'children';
}

const ROOT = '/';

/**
 * ZooKeeper's data model: a tree of znodes addressed by absolute paths, each with data, an ACL and
 * a stat. `apply` is deterministic, so every server that applies the same transactions in zxid
 * order holds the same tree; `multi` applies all its operations or none (an undo log rolls back).
 */
export class ZnodeTree {
  private readonly nodes = new Map<string, ZNode>();
  private undo: Map<string, ZNode | undefined> | undefined;
  /** What the writes since the last `takeChanges` changed. */
  changes: TreeChange[] = [];

  constructor() {
    this.nodes.set(ROOT, { data: null, acl: OPEN_ACL, stat: freshStat(0, 0), children: [] });
  }

  /** The changes recorded so far, handed over; recording starts afresh. */
  takeChanges(): TreeChange[] {
    const changes = this.changes;
    this.changes = [];
    return changes;
  }

  get(path: string): ZNode | undefined {
    return this.nodes.get(path);
  }

  /** Applies one write as session `session` (identity `who`) at `zxid`. */
  apply(op: WriteOp, zxid: Zxid, session: number, who: Identity): OpResult {
    if (op.type === 'multi') return this.multi(op.ops, zxid, session, who);
    return this.applyOne(op, zxid, session, who);
  }

  /** Deletes every ephemeral node `session` owns (a session's expiry or close), as one transaction. */
  closeSession(session: number, zxid: Zxid): string[] {
    const owned = [...this.nodes.entries()].filter(([, n]) => n.stat.ephemeralOwner === session).map(([p]) => p).sort();
    for (const path of owned) this.remove(path, zxid);
    return owned;
  }

  read(path: string, who: Identity, perm: number = PERM.READ): { node: ZNode } | { error: ZkError } {
    const node = this.nodes.get(path);
    if (node === undefined) return { error: 'NoNode' };
    if (!allowed(node.acl, perm, who)) return { error: 'NoAuth' };
    return { node };
  }

  /** The tree as plain data (a snapshot), and back. */
  toSnapshot(): [string, ZNode][] {
    return [...this.nodes.entries()].map(([p, n]) => [p, { ...n, stat: { ...n.stat }, children: [...n.children] }]);
  }

  static fromSnapshot(entries: readonly [string, ZNode][]): ZnodeTree {
    const tree = new ZnodeTree();
    tree.nodes.clear();
    for (const [p, n] of entries) tree.nodes.set(p, { ...n, stat: { ...n.stat }, children: [...n.children] });
    return tree;
  }

  private multi(ops: readonly WriteOp[], zxid: Zxid, session: number, who: Identity): OpResult {
    this.undo = new Map();
    const changesBefore = this.changes.length;
    const results: OpResult[] = [];
    let failed: OpResult | undefined;
    for (const op of ops) {
      const r = op.type === 'multi' ? ({ ok: false, error: 'BadArguments' } as const) : this.applyOne(op, zxid, session, who);
      results.push(r);
      if (!r.ok) {
        failed = r;
        break;
      }
    }
    const undo = this.undo;
    this.undo = undefined;
    if (failed === undefined) return { ok: true, results };
    // All or nothing: put back every node the earlier operations touched.
    for (const [path, node] of undo) {
      if (node === undefined) this.nodes.delete(path);
      else this.nodes.set(path, node);
    }
    this.changes.length = changesBefore;
    const error = (failed as { error: ZkError }).error;
    return { ok: false, error, results: ops.map((_, i) => (i === results.length - 1 ? failed! : { ok: false, error: 'RuntimeInconsistency' })) };
  }

  private applyOne(op: Exclude<WriteOp, { type: 'multi' }>, zxid: Zxid, session: number, who: Identity): OpResult {
    switch (op.type) {
      case 'create':
        return this.create(op, zxid, session, who);
      case 'delete': {
        const node = this.nodes.get(op.path);
        if (node === undefined) return { ok: false, error: 'NoNode' };
        const parent = this.nodes.get(parentOf(op.path));
        if (parent !== undefined && !allowed(parent.acl, PERM.DELETE, who)) return { ok: false, error: 'NoAuth' };
        if (op.version !== -1 && op.version !== node.stat.version) return { ok: false, error: 'BadVersion' };
        if (node.children.length > 0) return { ok: false, error: 'NotEmpty' };
        this.remove(op.path, zxid);
        return { ok: true };
      }
      case 'setData': {
        const node = this.nodes.get(op.path);
        if (node === undefined) return { ok: false, error: 'NoNode' };
        if (!allowed(node.acl, PERM.WRITE, who)) return { ok: false, error: 'NoAuth' };
        if (op.version !== -1 && op.version !== node.stat.version) return { ok: false, error: 'BadVersion' };
        const stat = copyStat(node.stat);
        stat.version++;
        stat.mzxid = zxid;
        stat.dataLength = dataLength(op.data);
        this.put(op.path, { data: op.data, acl: node.acl, stat, children: node.children });
        this.changes.push({ path: op.path, kind: 'data' });
        return { ok: true, stat };
      }
      case 'setACL': {
        const node = this.nodes.get(op.path);
        if (node === undefined) return { ok: false, error: 'NoNode' };
        if (!allowed(node.acl, PERM.ADMIN, who)) return { ok: false, error: 'NoAuth' };
        if (op.version !== -1 && op.version !== node.stat.aversion) return { ok: false, error: 'BadVersion' };
        if (op.acl.length === 0) return { ok: false, error: 'BadArguments' };
        const stat = copyStat(node.stat);
        stat.aversion++;
        this.put(op.path, { data: node.data, acl: op.acl, stat, children: node.children });
        return { ok: true, stat };
      }
      case 'check': {
        const node = this.nodes.get(op.path);
        if (node === undefined) return { ok: false, error: 'NoNode' };
        if (op.version !== -1 && op.version !== node.stat.version) return { ok: false, error: 'BadVersion' };
        return { ok: true };
      }
    }
  }

  private create(op: Extract<WriteOp, { type: 'create' }>, zxid: Zxid, session: number, who: Identity): OpResult {
    const sequential = op.mode.endsWith('sequential');
    if (!validPath(sequential ? `${op.path}0` : op.path) || op.path === ROOT) return { ok: false, error: 'BadArguments' };
    const parentPath = parentOf(sequential ? `${op.path}0` : op.path);
    const parent = this.nodes.get(parentPath);
    if (parent === undefined) return { ok: false, error: 'NoNode' };
    if (!allowed(parent.acl, PERM.CREATE, who)) return { ok: false, error: 'NoAuth' };
    if (parent.stat.ephemeralOwner !== 0) return { ok: false, error: 'NoChildrenForEphemerals' };
    // The sequence number is the parent's cversion before this create, ten digits, zero padded.
    const path = sequential ? `${op.path}${String(parent.stat.cversion).padStart(10, '0')}` : op.path;
    if (this.nodes.has(path)) return { ok: false, error: 'NodeExists' };
    const acl = op.acl !== undefined && op.acl.length > 0 ? op.acl : OPEN_ACL;
    const ephemeral = op.mode.startsWith('ephemeral') ? session : 0;
    const stat = freshStat(zxid, ephemeral);
    stat.dataLength = dataLength(op.data);
    this.put(path, { data: op.data, acl, stat, children: [] });
    const name = path.slice(parentPath === ROOT ? 1 : parentPath.length + 1);
    this.put(parentPath, childrenChanged(parent, parent.children.concat(name), 1, zxid));
    this.changes.push({ path, kind: 'created' }, { path: parentPath, kind: 'children' });
    return { ok: true, path, stat };
  }

  private remove(path: string, zxid: Zxid): void {
    const parentPath = parentOf(path);
    const parent = this.nodes.get(parentPath);
    this.put(path, undefined);
    if (parent !== undefined) {
      const name = path.slice(parentPath === ROOT ? 1 : parentPath.length + 1);
      this.put(parentPath, childrenChanged(parent, parent.children.filter((c) => c !== name), -1, zxid));
    }
    this.changes.push({ path, kind: 'deleted' }, { path: parentPath, kind: 'children' });
  }

  /** Replaces a node (never mutated in place, so a multi's undo log can keep the old object). */
  private put(path: string, node: ZNode | undefined): void {
    if (this.undo !== undefined && !this.undo.has(path)) this.undo.set(path, this.nodes.get(path));
    if (node === undefined) this.nodes.delete(path);
    else this.nodes.set(path, node);
  }
}

function freshStat(zxid: Zxid, ephemeralOwner: number): Stat {
  return { czxid: zxid, mzxid: zxid, pzxid: zxid, version: 0, cversion: 0, aversion: 0, ephemeralOwner, dataLength: 0, numChildren: 0 };
}

/** A copy of a stat, written out field by field: an object spread with overrides is several times slower, and this runs on every write on every server. */
function copyStat(s: Stat): Stat {
  return { czxid: s.czxid, mzxid: s.mzxid, pzxid: s.pzxid, version: s.version, cversion: s.cversion, aversion: s.aversion, ephemeralOwner: s.ephemeralOwner, dataLength: s.dataLength, numChildren: s.numChildren };
}

/** A parent after a child was created or deleted: its new children, cversion and pzxid. */
function childrenChanged(parent: ZNode, children: string[], added: 1 | -1, zxid: Zxid): ZNode {
  const stat = copyStat(parent.stat);
  stat.cversion++;
  stat.pzxid = zxid;
  stat.numChildren += added;
  return { data: parent.data, acl: parent.acl, stat, children };
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? ROOT : path.slice(0, i);
}

function validPath(path: string): boolean {
  return path.startsWith('/') && !path.endsWith('/') && !path.includes('//');
}

function dataLength(data: unknown): number {
  if (data === null || data === undefined) return 0;
  if (typeof data === 'string') return data.length;
  if (typeof data !== 'number') return JSON.stringify(data).length;
  return Number.isSafeInteger(data) ? decimalDigits(data) : String(data).length;
}

/** `String(n).length` of a safe integer, counted without making the string (every server does it on every write). */
function decimalDigits(n: number): number {
  const a = Math.abs(n);
  let length = n < 0 ? 2 : 1;
  for (let power = 10; a >= power; power *= 10) length++;
  return length;
}
