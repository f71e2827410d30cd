import { ZK_GUARANTEE_FS } from '@verdict/checker';
import type { ClientReply, ClientRequest, NodeBehaviour, NodeContext, NodeId, Rng } from '../../sim/node-context.js';
import { GuaranteeClient, type GuaranteeCall, type GuaranteeLink, type ServerAnswer } from './guarantee-client.js';
import type { ZkDatabase } from './database.js';
import { forwardingContext } from './forwarding-context.js';
import type { ZabBugs, ZabParams } from './params.js';
import { ZabNode } from './zab-node.js';

/** Bugs of the session layer, planted in this host rather than in ZAB. */
export const GUARANTEE_BUG_NAMES = ['no-last-zxid-check', 'watch-after-result'] as const;

export interface GuaranteeBugs {
  /** A server takes a reconnecting session although it has not seen the client's last zxid. */
  noLastZxidCheck: boolean;
  /** A server sends a fired watch's event one answer late: after the result that reflects the change. */
  watchAfterResult: boolean;
}

interface CallMessage {
  type: 'zkg-call';
  id: number;
  session: number;
  seq: number;
  calls: readonly GuaranteeCall[];
}

interface AnswerMessage {
  type: 'zkg-answer';
  id: number;
  answers: ServerAnswer[];
}

interface Job {
  origin: NodeId;
  session: number;
  id: number;
  answers: ServerAnswer[];
  left: number;
}

/** Request ids of guarantee calls at the server: above every simulator request id, and growing per session with its calls' seq, so its cxids grow too. */
const DESK_ID_BASE = 2 ** 40;
const DESK_ID_SEQ = 2 ** 20;
/** Session ids of guarantee clients: above the kv workload's (a process number + 1). */
const SESSION_BASE = 2 ** 30;
const SESSION_SLOTS = 2 ** 16;
const NODE_SLOTS = 64;
const INCARNATION_KEY = 'guarantee-incarnation';
const CALL_TIMER = 'zkg';
/** Calls remembered for dropping a duplicate delivery. */
const SERVED_MAX = 4096;
const CALL_ID_SLOTS = 2 ** 32;

/**
 * A ZooKeeper server (the ZAB node, unchanged) with ZooKeeper's client connections around it: the
 * kv workload's requests go straight to the server; the guarantee clients' (`zk-*`) go to a client
 * library of their process living here (GuaranteeClient), which may be connected to any server of
 * the ensemble. As the server side of those connections this host keeps which sessions are
 * connected here (a crash, a resync or a lost leader drops them all, as a closed TCP connection
 * would), accepts a moving session only once its server has seen the client's last zxid, sets the
 * session's watches again relative to the versions the client read (firing at once those whose
 * node changed since), and stamps every answer with the zxid its server had applied.
 */
export class ZkServerHost implements NodeBehaviour {
  readonly server: ZabNode;
  private readonly clients = new Map<number, GuaranteeClient>();
  private readonly connected = new Set<number>();
  private readonly routes = new Map<number, { job: Job; index: number; call: GuaranteeCall }>();
  private readonly waiting = new Map<number, { then: (answers: ServerAnswer[] | undefined) => void; timer: number }>();
  private readonly localCalls: CallMessage[] = [];
  /** Calls served lately, by origin and call id (oldest first). */
  private readonly served = new Set<string>();
  private readonly localAnswers: AnswerMessage[] = [];
  /** Bug watch-after-result: events held back until the session's next answer. */
  private readonly lateEvents = new Map<number, unknown[]>();
  private readonly sessionBase: number;
  private readonly rng: Rng;
  private lastDb: ZkDatabase | undefined;
  private nextSession = 0;
  /** Call ids, unique across this node's incarnations (servers drop a call id seen before). */
  private nextCallId: number;
  private deskCounter = 0;

  constructor(private readonly ctx: NodeContext, params: ZabParams, bugs: ZabBugs, observers: readonly NodeId[], private readonly bugsHere: GuaranteeBugs) {
    const incarnation = (ctx.load<number>(INCARNATION_KEY) ?? 0) + 1;
    ctx.persist(INCARNATION_KEY, incarnation);
    this.sessionBase = SESSION_BASE + (incarnation * NODE_SLOTS + ctx.peers.indexOf(ctx.id)) * SESSION_SLOTS;
    this.nextCallId = incarnation * CALL_ID_SLOTS + 1;
    this.rng = ctx.rng.fork('guarantee-clients');
    const serverCtx = forwardingContext(ctx, (requestId, reply) => this.onServerReply(requestId, reply));
    this.server = new ZabNode(serverCtx, params, bugs, observers);
  }

  onStart(): void {
    this.server.onStart();
    this.settle();
  }

  onMessage(from: NodeId, message: unknown): void {
    const m = message as { type?: string };
    if (m.type === 'zkg-call') this.serve(from, message as CallMessage);
    else if (m.type === 'zkg-answer') this.onAnswer(message as AnswerMessage);
    else this.server.onMessage(from, message);
    this.settle();
  }

  onTimer(tag: string, data: unknown): void {
    if (tag === CALL_TIMER) this.onCallTimeout(data as number);
    else this.server.onTimer(tag, data);
    this.settle();
  }

  onClientRequest(request: ClientRequest): void {
    if (request.final !== true && ZK_GUARANTEE_FS.includes(request.f)) this.clientOf(request.process).onRequest(request);
    else this.server.onClientRequest(request);
    this.settle();
  }

  // --- Client side ---------------------------------------------------------------------------

  private clientOf(process: number): GuaranteeClient {
    let client = this.clients.get(process);
    if (client !== undefined) return client;
    const host = this;
    const link: GuaranteeLink = {
      servers: this.ctx.peers,
      rng: this.rng,
      now: () => this.ctx.now(),
      freshSession: () => this.sessionBase + (this.nextSession++ % SESSION_SLOTS),
      send(server, session, seq, calls, timeoutMs, then) {
        const id = host.nextCallId++;
        host.waiting.set(id, { then, timer: host.ctx.setTimer(timeoutMs, CALL_TIMER, id) });
        const m: CallMessage = { type: 'zkg-call', id, session, seq, calls };
        if (server === host.ctx.id) host.localCalls.push(m);
        else host.ctx.send(server, m);
      },
      reply: (requestId, reply) => this.ctx.reply(requestId, reply),
    };
    // Clients start on different servers: the one after this node, shifted by the process.
    client = new GuaranteeClient(link, this.ctx.peers.indexOf(this.ctx.id) + 1 + process);
    this.clients.set(process, client);
    return client;
  }

  private onAnswer(m: AnswerMessage): void {
    const w = this.waiting.get(m.id);
    if (w === undefined) return; // Timed out: the client moved on.
    this.waiting.delete(m.id);
    this.ctx.cancelTimer(w.timer);
    w.then(m.answers);
  }

  private onCallTimeout(id: number): void {
    const w = this.waiting.get(id);
    if (w === undefined) return;
    this.waiting.delete(id);
    w.then(undefined);
  }

  // --- Server side ---------------------------------------------------------------------------

  private serve(origin: NodeId, m: CallMessage): void {
    // A call the network delivered twice is served once (a write would otherwise apply twice).
    const key = `${origin}:${m.id}`;
    if (this.served.has(key)) return;
    this.served.add(key);
    if (this.served.size > SERVED_MAX) this.served.delete(this.served.values().next().value!);
    const job: Job = { origin, session: m.session, id: m.id, answers: new Array<ServerAnswer>(m.calls.length), left: m.calls.length };
    m.calls.forEach((call, index) => {
      if (call.f === 'connect') return this.connect(job, index, m, call);
      if (!this.connected.has(m.session)) return this.answer(job, index, call, { type: 'fail', error: 'ConnectionLoss' });
      if (!this.server.db.hasSession(m.session)) return this.answer(job, index, call, { type: 'fail', error: 'SessionExpired' });
      this.toDesk(job, index, m, call);
    });
  }

  /** A session opens here, or moves here with the last zxid it saw and the watches it holds. */
  private connect(job: Job, index: number, m: CallMessage, call: GuaranteeCall): void {
    const z = this.server;
    const v = call.value as { open?: boolean; timeoutMs?: number; lastZxid?: number; watches?: { path: string; kind: 'data' | 'child'; version: number }[] };
    if (!z.serving) return this.answer(job, index, call, { type: 'fail', error: 'ConnectionLoss' });
    if (v.open === true) {
      this.connected.add(m.session);
      z.watches.dropSession(m.session);
      return this.toDesk(job, index, m, { f: 'openSession', value: { timeoutMs: v.timeoutMs ?? 0 } });
    }
    // ZooKeeper's last-zxid check: a server behind the client would show it the past.
    if (!this.bugsHere.noLastZxidCheck && z.db.appliedZxid < (v.lastZxid ?? 0)) return this.answer(job, index, call, { type: 'fail', error: 'ConnectionLoss', value: { behind: true } });
    if (!z.db.hasSession(m.session)) return this.answer(job, index, call, { type: 'fail', error: 'SessionExpired' });
    this.connected.add(m.session);
    z.watches.dropSession(m.session);
    const events: { type: string; path: string }[] = [];
    for (const w of v.watches ?? []) {
      const node = z.db.tree.get(w.path);
      if (node === undefined) events.push({ type: 'NodeDeleted', path: w.path });
      else if (w.kind === 'data' && node.stat.mzxid !== w.version) events.push({ type: 'NodeDataChanged', path: w.path });
      else if (w.kind === 'child' && node.stat.pzxid !== w.version) events.push({ type: 'NodeChildrenChanged', path: w.path });
      else if (w.kind === 'data') z.watches.watchData(w.path, m.session);
      else z.watches.watchChildren(w.path, m.session);
    }
    this.answer(job, index, call, { type: 'ok', value: events.length > 0 ? { events } : {} });
  }

  private toDesk(job: Job, index: number, m: CallMessage, call: GuaranteeCall): void {
    const id = DESK_ID_BASE + m.seq * DESK_ID_SEQ + (this.deskCounter++ % DESK_ID_SEQ);
    this.routes.set(id, { job, index, call });
    this.server.onClientRequest({ id, f: call.f, value: { ...call.value, session: m.session }, process: -1 });
  }

  private onServerReply(requestId: number, reply: ClientReply): void {
    if (requestId < DESK_ID_BASE) return this.ctx.reply(requestId, reply);
    const route = this.routes.get(requestId);
    if (route === undefined) return;
    this.routes.delete(requestId);
    this.answer(route.job, route.index, route.call, reply);
  }

  /** Stamps an answer with the zxid its server has applied now, and sends the job's answers once all are in. */
  private answer(job: Job, index: number, call: GuaranteeCall, given: ClientReply): void {
    const reply = this.bugsHere.watchAfterResult ? this.holdEventsBack(job.session, given) : given;
    const a: ServerAnswer = { reply, zxid: this.server.db.appliedZxid, server: this.ctx.id };
    if (call.f === 'getChildren' && reply.type === 'ok') {
      const pzxid = this.server.db.tree.get(String(call.value.path))?.stat.pzxid;
      if (pzxid !== undefined) a.pzxid = pzxid;
    }
    job.answers[index] = a;
    if (--job.left > 0) return;
    const m: AnswerMessage = { type: 'zkg-answer', id: job.id, answers: job.answers };
    if (job.origin === this.ctx.id) this.localAnswers.push(m);
    else this.ctx.send(job.origin, m);
  }

  /** Bug watch-after-result: this answer carries the events the previous one should have, and keeps its own for the next. */
  private holdEventsBack(session: number, reply: ClientReply): ClientReply {
    const value = reply.type !== 'info' && reply.value !== null && typeof reply.value === 'object' ? (reply.value as Record<string, unknown>) : undefined;
    const own = Array.isArray(value?.events) ? (value!.events as unknown[]) : [];
    const late = this.lateEvents.get(session) ?? [];
    this.lateEvents.set(session, own);
    if (reply.type === 'info' || (own.length === 0 && late.length === 0)) return reply;
    const { events: _, ...rest } = value ?? {};
    return { ...reply, value: late.length > 0 ? { ...rest, events: late } : rest } as ClientReply;
  }

  /**
   * At the end of every event: a server that resynced (a new database) or stopped serving drops
   * its connections, as ZooKeeper closes them; then this node's own calls and answers are handed
   * over, outside the handlers that made them.
   */
  private settle(): void {
    for (;;) {
      if (this.server.db !== this.lastDb || !this.server.serving) {
        this.connected.clear();
        this.lastDb = this.server.db;
      }
      const call = this.localCalls.shift();
      if (call !== undefined) {
        this.serve(this.ctx.id, call);
        continue;
      }
      const answer = this.localAnswers.shift();
      if (answer === undefined) return;
      this.onAnswer(answer);
    }
  }
}
