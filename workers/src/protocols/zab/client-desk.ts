import type { ClientReply, ClientRequest, NodeContext, NodeId } from '../../sim/node-context.js';
import { digestId, type Identity } from './acl.js';
import type { Applied, Txn, ZkDatabase } from './database.js';
import type { ZabParams } from './params.js';
import { WatchTable, type WatchEvent } from './watches.js';
import type { OpResult, WriteOp } from './znode-tree.js';
import { readOp, WRITE_FS, type ReadF } from './zk-requests.js';

/** What the desk needs from its server. */
export interface DeskHost {
  readonly role: string;
  readonly serving: boolean;
  readonly leaderId: NodeId | undefined;
  readonly db: ZkDatabase;
  propose(txn: Omit<Txn, 'zxid'>): void;
  /** At the leader: these sessions are alive. */
  touch(sessions: readonly number[]): void;
}

type Kind = 'kv-write' | 'kv-cas' | 'kv-sync-read' | 'zk-write' | 'zk-sync';

interface Pending {
  requestId: number;
  kind: Kind;
  f: string;
  value: unknown;
  session: number;
  step: number;
  txn: Omit<Txn, 'zxid'>;
  /** It left this server at least once: it may take effect, so it is never failed. */
  sent: boolean;
  sinceMs: number;
}

/** Steps a kv write may take (create, then setData, ...) before it gives up having changed nothing. */
const KV_WRITE_STEPS_MAX = 3;
const CONNECTION_LOSS: ClientReply = { type: 'fail', error: 'ConnectionLoss' };

/**
 * The client side of one server: a client talks to the server it is connected to, which serves
 * reads from its own copy (after `sync` with `--reads sync`), and forwards writes to the leader,
 * answering once it has applied the write itself (so a session reads its own writes). Each request
 * goes in the log as (session, cxid); sent again after a leader change, it applies at most once.
 *
 * The kv workload's operations map onto the ZooKeeper API: `read [k, null]` is getData of `/k`
 * (null when there is no such node); `write [k, v]` is setData with version -1, or create when the
 * node is missing (as Curator's create-or-set does, one request at a time); `cas [k, [old, new]]`
 * reads `/k` locally and, if it holds `old`, is setData with the version read, so it takes effect
 * only if nothing changed `/k` in between: a cas register on znode versions.
 */
export class ClientDesk {
  private readonly pending = new Map<string, Pending>();
  /** How many pending requests each session has here. */
  private readonly pendingSessions = new Map<number, number>();
  private readonly identities = new Map<number, Identity>();
  /** Sessions that sent anything since the last tick: their keep-alive for the leader. */
  private readonly heard = new Set<number>();
  readonly watches = new WatchTable();
  private parkArmed = false;

  constructor(private readonly ctx: NodeContext, private readonly params: ZabParams, private readonly host: DeskHost) {}

  onClientRequest(request: ClientRequest): void {
    const session = sessionOf(request);
    if (request.final === true) return this.answerFinal(request);
    this.heard.add(session);
    switch (request.f) {
      case 'read':
        if (!this.host.serving) return this.ctx.reply(request.id, CONNECTION_LOSS);
        if (this.params.syncReads === 1) return this.start(request, 'kv-sync-read', session, { session, cxid: cxidOf(request, 0), kind: 'sync' });
        return this.ctx.reply(request.id, { type: 'ok', value: this.kvRead(request.value) });
      case 'write':
        return this.kvWrite(request, session);
      case 'cas':
        return this.kvCas(request, session);
      case 'sync':
        return this.start(request, 'zk-sync', session, { session, cxid: cxidOf(request, 0), kind: 'sync' });
      case 'openSession': {
        const timeoutMs = (request.value as { timeoutMs?: number } | null)?.timeoutMs ?? this.params.sessionTimeoutMs;
        return this.start(request, 'zk-write', session, { session, cxid: cxidOf(request, 0), kind: 'create-session', timeoutMs });
      }
      case 'ping':
        // A keep-alive: the session is relayed to the leader with this server's next tick.
        this.identityOf(session);
        return this.ctx.reply(request.id, this.host.serving ? this.withEvents(session, { type: 'ok', value: null }) : CONNECTION_LOSS);
      case 'closeSession':
        return this.start(request, 'zk-write', session, { session, cxid: cxidOf(request, 0), kind: 'close-session' });
      case 'addAuth': {
        const auth = (request.value as { scheme?: string; auth?: string }) ?? {};
        if (auth.scheme !== 'digest' || typeof auth.auth !== 'string' || !auth.auth.includes(':')) return this.ctx.reply(request.id, { type: 'fail', error: 'AuthFailed' });
        const who = this.identityOf(session);
        this.identities.set(session, { ...who, digests: [...who.digests, digestId(auth.auth)] });
        return this.ctx.reply(request.id, { type: 'ok', value: null });
      }
      default:
        if ((WRITE_FS as readonly string[]).includes(request.f)) {
          const op = { type: request.f, ...(request.value as object) } as WriteOp;
          return this.start(request, 'zk-write', session, { session, cxid: cxidOf(request, 0), kind: 'op', op, who: this.identityOf(session) });
        }
        if (!this.host.serving) return this.ctx.reply(request.id, CONNECTION_LOSS);
        return this.ctx.reply(request.id, this.withEvents(session, readOp(this.host.db, request.f as ReadF, request.value, this.identityOf(session), session, this.watches)));
    }
  }

  /** A transaction reached this server's database: continue or answer the request it belongs to. */
  onApplied(a: Applied): void {
    this.watches.onChanges(a.changes);
    // Most transactions applied here come from clients of other servers: skip building their key.
    if (!this.pendingSessions.has(a.txn.session)) return;
    const key = keyOf(a.txn.session, a.txn.cxid);
    const p = this.pending.get(key);
    if (p === undefined) return;
    this.dropPending(key, p);
    switch (p.kind) {
      case 'kv-sync-read':
        return this.ctx.reply(p.requestId, { type: 'ok', value: this.kvRead(p.value) });
      case 'zk-sync':
        return this.ctx.reply(p.requestId, this.withEvents(p.session, { type: 'ok', value: null }));
      case 'zk-write':
        return this.ctx.reply(p.requestId, this.withEvents(p.session, resultReply(a.result, p.txn.kind === 'create-session' ? p.session : undefined)));
      case 'kv-write':
        return this.kvWriteStep(p, a.result);
      case 'kv-cas':
        return this.ctx.reply(p.requestId, a.result.ok ? { type: 'ok', value: p.value } : { type: 'fail', value: p.value, error: a.result.error });
    }
  }

  /** A new leader is known (or this server became one): everything waiting goes (again) its way. */
  onLeader(): void {
    for (const p of this.pending.values()) this.submit(p);
  }

  /** The leader is gone. Sync'd reads waiting on it fail (a read changes nothing); writes wait for the next leader. */
  onLeaderLost(): void {
    for (const [key, p] of this.pending) {
      if (p.kind !== 'kv-sync-read') continue;
      this.dropPending(key, p);
      this.ctx.reply(p.requestId, CONNECTION_LOSS);
    }
  }

  /** The database was rebuilt after a sync: watches set on the old copy would never fire right. */
  onDatabaseReset(): void {
    this.watches.clear();
  }

  onTick(): void {
    // Session keep-alives for the sessions connected here, relayed to the leader that expires them.
    const sessions = [...this.heard];
    this.heard.clear();
    if (sessions.length > 0 && this.host.leaderId !== undefined) {
      if (this.host.role === 'leading') this.host.touch(sessions);
      else this.ctx.send(this.host.leaderId, { type: 'touch', sessions });
    }
  }

  /** The `park` timer: fails requests that never left this server and waited too long for a leader. */
  expireParked(): void {
    this.parkArmed = false;
    const now = this.ctx.now();
    let waiting = false;
    for (const [key, p] of this.pending) {
      if (p.sent) continue;
      if (now - p.sinceMs >= this.params.parkMs - 1) {
        this.dropPending(key, p);
        this.ctx.reply(p.requestId, { type: 'fail', value: p.value, error: 'ConnectionLoss' });
      } else waiting = true;
    }
    if (waiting) this.armPark();
  }

  private start(request: ClientRequest, kind: Kind, session: number, txn: Omit<Txn, 'zxid'>): void {
    if (this.pending.size >= this.params.queueMax) return this.ctx.reply(request.id, { type: 'fail', value: request.value, error: 'ConnectionLoss' });
    const p: Pending = { requestId: request.id, kind, f: request.f, value: request.value, session, step: 0, txn, sent: false, sinceMs: this.ctx.now() };
    this.addPending(p);
    this.submit(p);
  }

  private submit(p: Pending): void {
    if (this.host.role === 'leading' && this.host.serving) {
      p.sent = true;
      this.host.propose(p.txn);
    } else if (this.host.serving && this.host.leaderId !== undefined) {
      p.sent = true;
      this.ctx.send(this.host.leaderId, { type: 'forward', txn: p.txn });
    } else if (!p.sent) {
      this.armPark();
    }
  }

  /** Pending requests are keyed by their transaction's (session, cxid); `pendingSessions` counts them per session. */
  private addPending(p: Pending): void {
    const key = keyOf(p.txn.session, p.txn.cxid);
    if (!this.pending.has(key)) this.pendingSessions.set(p.txn.session, (this.pendingSessions.get(p.txn.session) ?? 0) + 1);
    this.pending.set(key, p);
  }

  private dropPending(key: string, p: Pending): void {
    this.pending.delete(key);
    const left = this.pendingSessions.get(p.txn.session)! - 1;
    if (left > 0) this.pendingSessions.set(p.txn.session, left);
    else this.pendingSessions.delete(p.txn.session);
  }

  private armPark(): void {
    if (this.parkArmed) return;
    this.parkArmed = true;
    this.ctx.setTimer(this.params.parkMs, 'park');
  }

  private kvRead(value: unknown): [unknown, unknown] {
    const key = (value as [unknown, unknown])[0];
    const node = this.host.db.tree.get(kvPath(key));
    return [key, node === undefined ? null : node.data];
  }

  private kvWrite(request: ClientRequest, session: number): void {
    const [key, v] = request.value as [unknown, unknown];
    const path = kvPath(key);
    const exists = this.host.db.tree.get(path) !== undefined;
    const op: WriteOp = exists ? { type: 'setData', path, data: v, version: -1 } : { type: 'create', path, data: v, mode: 'persistent' };
    this.start(request, 'kv-write', session, { session, cxid: cxidOf(request, 0), kind: 'op', op, who: this.identityOf(session) });
  }

  private kvWriteStep(p: Pending, result: OpResult): void {
    if (result.ok) return this.ctx.reply(p.requestId, { type: 'ok', value: p.value });
    const [key, v] = p.value as [unknown, unknown];
    const path = kvPath(key);
    // Another client created the node first (NodeExists), or deleted it (NoNode): try the other request.
    if ((result.error !== 'NodeExists' && result.error !== 'NoNode') || p.step + 1 >= KV_WRITE_STEPS_MAX) {
      return this.ctx.reply(p.requestId, { type: 'fail', value: p.value, error: result.error });
    }
    const op: WriteOp = result.error === 'NodeExists' ? { type: 'setData', path, data: v, version: -1 } : { type: 'create', path, data: v, mode: 'persistent' };
    const next: Pending = { ...p, step: p.step + 1, sent: false, txn: { ...p.txn, cxid: p.txn.cxid + 1, op } };
    this.addPending(next);
    this.submit(next);
  }

  private kvCas(request: ClientRequest, session: number): void {
    if (!this.host.serving) return this.ctx.reply(request.id, { type: 'fail', value: request.value, error: 'ConnectionLoss' });
    const [key, [expected, v]] = request.value as [unknown, [unknown, unknown]];
    const path = kvPath(key);
    const node = this.host.db.tree.get(path);
    const current = node === undefined ? null : node.data;
    if (current !== expected) return this.ctx.reply(request.id, { type: 'fail', value: request.value, error: 'cas mismatch' });
    const op: WriteOp = node === undefined ? { type: 'create', path, data: v, mode: 'persistent' } : { type: 'setData', path, data: v, version: node.stat.version };
    this.start(request, 'kv-cas', session, { session, cxid: cxidOf(request, 0), kind: 'op', op, who: this.identityOf(session) });
  }

  private answerFinal(request: ClientRequest): void {
    if (!this.host.serving) return this.ctx.reply(request.id, CONNECTION_LOSS);
    this.ctx.reply(request.id, { type: 'ok', value: this.kvRead(request.value) });
  }

  private identityOf(session: number): Identity {
    let who = this.identities.get(session);
    if (who === undefined) {
      who = { digests: [], ip: `10.0.${(session >> 8) & 255}.${session & 255}` };
      this.identities.set(session, who);
    }
    return who;
  }

  /** Watch events for this session fired since its last answer go first, ahead of any result that reflects them. */
  private withEvents(session: number, reply: ClientReply): ClientReply {
    const events: WatchEvent[] = this.watches.take(session);
    if (events.length === 0 || reply.type === 'info') return reply;
    const value = reply.value === undefined || reply.value === null || typeof reply.value !== 'object' ? { result: reply.value ?? null } : reply.value;
    return { ...reply, value: { ...value, events } };
  }
}

/** A client's ZooKeeper session: its process (a process that timed out continues under a new one). */
function sessionOf(request: ClientRequest): number {
  const given = (request.value as { session?: unknown } | null)?.session;
  return typeof given === 'number' && Number.isInteger(given) && given > 0 ? given : request.process + 1;
}

/** Request numbers grow with the simulator's request ids; a multi-step request takes consecutive ones. */
function cxidOf(request: ClientRequest, step: number): number {
  return request.id * KV_WRITE_STEPS_MAX + step;
}

function keyOf(session: number, cxid: number): string {
  return `${session}:${cxid}`;
}

export function kvPath(key: unknown): string {
  return `/${String(key)}`;
}

function resultReply(result: OpResult, session: number | undefined): ClientReply {
  if (!result.ok) return { type: 'fail', error: result.error, value: result.results === undefined ? null : { results: result.results } };
  const value: Record<string, unknown> = {};
  if (result.path !== undefined) value.path = result.path;
  if (result.stat !== undefined) value.stat = result.stat;
  if (result.results !== undefined) value.results = result.results;
  if (session !== undefined) value.session = session;
  return { type: 'ok', value };
}
