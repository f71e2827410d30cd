import type { History, Operation } from '../history/op.js';
import type { InvariantResult, InvariantViolation } from './types.js';

/**
 * What one ZooKeeper server answered a guarantee client, as the client recorded it: every answer
 * carries the zxid the server had applied when it answered, and the watch events delivered with it
 * (ahead of its result).
 */
export interface ZkAnswer {
  /** The request: `connect`, `openSession`, `closeSession`, `getData`, `getChildren`, `create`, `multi`. */
  call: string;
  /** The last zxid the answering server had applied when it answered. */
  zxid: number;
  server?: string;
  /** Watch events delivered with this answer, before its result. */
  events?: { type: string; path: string }[];
  /** The ZooKeeper error when the request failed (`SessionExpired`, `NodeExists`, ...). */
  error?: string;
  path?: string;
  /** getData: the node's data and the zxid of its last change. */
  data?: unknown;
  mzxid?: number;
  /** getChildren: the names and the zxid of the last child change. */
  children?: string[];
  pzxid?: number;
  /** create: the path made (sequential names carry their counter) and its zxid. */
  created?: string;
  czxid?: number;
  /** The one-shot watch this read left. */
  watch?: 'data' | 'child';
  /** Answers with the same batch number were given by the server in one step (one state). */
  batch?: number;
}

/** A guarantee client's operation output: its session and the answers it got, in order. */
export interface ZkGuaranteeOutput {
  session: number;
  answers: ZkAnswer[];
}

/** The functions of guarantee client operations (kept apart from the kv reads and writes). */
export const ZK_GUARANTEE_FS: readonly string[] = ['zk-multi', 'zk-read-pair', 'zk-create', 'zk-children', 'zk-close'];

/** The parent of ephemeral-sequential nodes, whose names start with `s<session>-`. */
export const ZK_EPHEMERAL_PARENT = '/g/e';

const VIOLATIONS_KEPT = 5;
const SEQUENTIAL_NAME = /^(.*)\/[^/]*?(\d{10})$/;
const EPHEMERAL_OWNER = /^s(\d+)-/;

interface Seen {
  op: Operation;
  out: ZkGuaranteeOutput;
}

/** A sink for one guarantee's violations: counts by kind, keeps the first few and the first of each kind. */
class Findings {
  readonly counts: Record<string, number> = {};
  readonly violations: InvariantViolation[] = [];
  observations = 0;

  add(kind: string, operations: number[], sentence: () => string): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    // The first few, and the first of every kind: a report names each way the guarantee broke.
    if (this.violations.length < VIOLATIONS_KEPT || this.counts[kind] === 1) this.violations.push({ kind, operations: [...new Set(operations)], sentence: sentence() });
  }

  result(name: string, checks: string, unknownCause: string): InvariantResult {
    const base = { name, checks, observations: this.observations, counts: this.counts, violations: this.violations };
    if (this.violations.length > 0) return { ...base, status: 'violated' };
    if (this.observations === 0) return { ...base, status: 'unknown', cause: unknownCause };
    return { ...base, status: 'holds' };
  }
}

/**
 * ZooKeeper's own guarantees, read from the guarantee clients' operations (`zk-*`; their outputs
 * are `{session, answers}`), each reported on its own: atomic multi, single system image across
 * reconnects, ephemeral nodes gone with their session, sequential names unique and increasing,
 * one-shot watches delivered before any result that reflects their change. A history without such
 * operations gets none of these (an empty list). A guarantee nothing in the history exercised is
 * `unknown`, never a pass.
 */
export function checkZookeeperGuarantees(history: History): InvariantResult[] {
  const seen: Seen[] = [];
  for (const op of history.operations) {
    if (!ZK_GUARANTEE_FS.includes(op.f)) continue;
    const out = op.output as ZkGuaranteeOutput | undefined;
    if (out === undefined || out === null || typeof out !== 'object' || !Array.isArray(out.answers)) continue;
    seen.push({ op, out });
  }
  if (!history.operations.some((o) => ZK_GUARANTEE_FS.includes(o.f))) return [];
  seen.sort((a, b) => a.op.call - b.op.call);
  return [multiAtomic(seen), singleImage(seen), ephemeralGone(seen), sequentialNames(seen), watches(seen)];
}

/** Reads of a pair that multis always set together must never show one without the other. */
function multiAtomic(seen: readonly Seen[]): InvariantResult {
  const f = new Findings();
  // Pairs are read by zk-read-pair, and by a multi that reads its pair back after moving.
  for (const { op, out } of seen) {
    const reads = out.answers.filter((a) => a.call === 'getData' && a.error === undefined && a.mzxid !== undefined);
    const a = reads.find((r) => r.path?.endsWith('/a'));
    const b = reads.find((r) => r.path?.endsWith('/b'));
    if (a === undefined || b === undefined || a.path!.slice(0, -2) !== b.path!.slice(0, -2)) continue;
    f.observations++;
    const pair = a.path!.slice(0, -2);
    const oneStep = a.batch !== undefined && a.batch === b.batch;
    if (oneStep && (a.mzxid !== b.mzxid || !same(a.data, b.data))) {
      f.add('mixed-in-one-read', [op.id], () => `session ${out.session} read ${pair}/a = ${show(a.data)} (zxid ${a.mzxid}) and ${pair}/b = ${show(b.data)} (zxid ${b.mzxid}) in one step: only a multi writes them, always both to one value`);
    } else if (!oneStep && (b.mzxid! < a.mzxid! || (b.mzxid === a.mzxid && !same(a.data, b.data)))) {
      f.add('mixed-in-order', [op.id], () => `session ${out.session} read ${pair}/a = ${show(a.data)} (zxid ${a.mzxid}), then ${pair}/b = ${show(b.data)} (zxid ${b.mzxid}): b is older than the multi that wrote a, which wrote b too`);
    }
  }
  return result(f, 'zookeeper-multi-atomic', 'a multi applies all its operations in one transaction: reads of two nodes only multis write (together, to one value) never show a mix, in one step or one after the other', 'no read of a multi-written pair completed');
}

/** Per session, the zxid of the answers never goes back, also across a move to another server. */
function singleImage(seen: readonly Seen[]): InvariantResult {
  const f = new Findings();
  const last = new Map<number, { zxid: number; op: Operation; server?: string }>();
  for (const { op, out } of seen) {
    for (const a of out.answers) {
      if (typeof a.zxid !== 'number' || a.error === 'ConnectionLoss') continue;
      f.observations++;
      const before = last.get(out.session);
      if (before !== undefined && a.zxid < before.zxid) {
        f.add('time-went-backwards', [before.op.id, op.id], () => `session ${out.session} saw zxid ${before.zxid}${before.server !== undefined ? ` at ${before.server}` : ''}, then ${a.call} answered at zxid ${a.zxid}${a.server !== undefined ? ` by ${a.server}` : ''}: a server older than what the client had seen`);
      }
      if (before === undefined || a.zxid >= before.zxid) last.set(out.session, { zxid: a.zxid, op, ...(a.server !== undefined ? { server: a.server } : {}) });
    }
  }
  return result(f, 'zookeeper-single-image', 'single system image: the zxid a session\'s answers reflect never goes backwards, also after the session moves to another server', 'no guarantee client got an answer');
}

/** Once a session ended (expired or closed), no read reflecting that shows its ephemeral nodes. */
function ephemeralGone(seen: readonly Seen[]): InvariantResult {
  const f = new Findings();
  const ended = new Map<number, { zxid: number; op: Operation; how: string }>();
  for (const { op, out } of seen) {
    for (const a of out.answers) {
      const how = a.error === 'SessionExpired' ? 'expired' : a.call === 'closeSession' && a.error === undefined ? 'closed' : undefined;
      if (how === undefined) continue;
      const before = ended.get(out.session);
      if (before === undefined || a.zxid < before.zxid) ended.set(out.session, { zxid: a.zxid, op, how });
    }
  }
  const earliest = Math.min(...[...ended.values()].map((e) => e.zxid));
  for (const { op, out } of seen) {
    for (const a of out.answers) {
      if (a.call !== 'getChildren' || a.path !== ZK_EPHEMERAL_PARENT || a.children === undefined || a.zxid < earliest) continue;
      f.observations++;
      for (const name of a.children) {
        const owner = Number(EPHEMERAL_OWNER.exec(name)?.[1]);
        const end = ended.get(owner);
        if (end === undefined || a.zxid < end.zxid) continue;
        f.add('ephemeral-outlived-session', [end.op.id, op.id], () => `session ${owner} was ${end.how} (seen at zxid ${end.zxid}), yet a read at zxid ${a.zxid}${a.server !== undefined ? ` by ${a.server}` : ''} still lists its ephemeral node ${ZK_EPHEMERAL_PARENT}/${name}`);
      }
    }
  }
  return result(f, 'zookeeper-ephemeral-expiry', 'ephemeral nodes are gone once their session expired or closed: no read at or past the zxid where a session was seen ended lists its ephemeral nodes', 'no read of the ephemeral nodes came after a session was seen ended');
}

/** Sequential names: unique per parent, and their counters increase in commit (czxid) order. */
function sequentialNames(seen: readonly Seen[]): InvariantResult {
  const f = new Findings();
  const byParent = new Map<string, { name: string; counter: number; czxid: number; op: Operation }[]>();
  for (const { op, out } of seen) {
    for (const a of out.answers) {
      if (a.call !== 'create' || a.created === undefined || a.czxid === undefined) continue;
      const m = SEQUENTIAL_NAME.exec(a.created);
      if (m === null) continue;
      f.observations++;
      const list = byParent.get(m[1]!) ?? [];
      list.push({ name: a.created, counter: Number(m[2]), czxid: a.czxid, op });
      byParent.set(m[1]!, list);
    }
  }
  for (const [parent, creates] of byParent) {
    const byName = new Map<string, (typeof creates)[number]>();
    for (const c of creates) {
      const other = byName.get(c.name);
      if (other !== undefined && other.czxid !== c.czxid) f.add('duplicate-name', [other.op.id, c.op.id], () => `${c.name} was created twice, at zxid ${other.czxid} and ${c.czxid}`);
      byName.set(c.name, c);
    }
    const ordered = [...new Map(creates.map((c) => [c.czxid, c])).values()].sort((x, y) => x.czxid - y.czxid);
    for (let i = 1; i < ordered.length; i++) {
      const prev = ordered[i - 1]!;
      const next = ordered[i]!;
      if (next.counter <= prev.counter && next.name !== prev.name) {
        f.add('name-not-increasing', [prev.op.id, next.op.id], () => `under ${parent}, ${next.name} (zxid ${next.czxid}) was committed after ${prev.name} (zxid ${prev.czxid}) with a counter not above it`);
      }
    }
  }
  return result(f, 'zookeeper-sequential-names', 'sequential names are unique per parent and their counters increase in commit order, across all clients', 'no sequential create succeeded');
}

/**
 * Per session: an event needs a watch set before it and not yet fired (one-shot), and a read that
 * shows a change past a pending watch's version must come after that watch's event.
 */
function watches(seen: readonly Seen[]): InvariantResult {
  const f = new Findings();
  const pending = new Map<number, Map<string, { version: number; op: Operation }>>();
  for (const { op, out } of seen) {
    let table = pending.get(out.session);
    if (table === undefined) pending.set(out.session, (table = new Map()));
    for (const a of out.answers) {
      for (const e of a.events ?? []) {
        f.observations++;
        const key = `${e.type === 'NodeChildrenChanged' ? 'child' : 'data'} ${e.path}`;
        if (!table.delete(key)) f.add('event-without-watch', [op.id], () => `session ${out.session} got ${e.type} for ${e.path} with no watch pending there: fired twice, or never set`);
      }
      const kind = a.call === 'getData' ? 'data' : a.call === 'getChildren' ? 'child' : undefined;
      const version = kind === 'data' ? a.mzxid : a.pzxid;
      if (kind === undefined || a.path === undefined || version === undefined || a.error !== undefined) continue;
      const key = `${kind} ${a.path}`;
      const watch = table.get(key);
      if (watch !== undefined) {
        f.observations++;
        if (version > watch.version) {
          f.add('result-before-event', [watch.op.id, op.id], () => `session ${out.session} read ${a.path} changed at zxid ${version} (${a.call}) before the event of its ${kind} watch set at zxid ${watch.version}`);
          table.delete(key);
        }
      }
      if (a.watch === kind && !table.has(key)) table.set(key, { version, op });
    }
  }
  return result(f, 'zookeeper-watches', 'watches are one-shot (each fires at most once per registration) and their event reaches the client before any later read that reflects the change', 'no watch was set and read again or fired');
}

function result(f: Findings, name: string, checks: string, unknownCause: string): InvariantResult {
  return f.result(name, checks, unknownCause);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function show(v: unknown): string {
  return JSON.stringify(v) ?? 'undefined';
}
