import type { ClientReply, ClientRequest, NodeBehaviour, NodeContext, NodeId } from '../../sim/node-context.js';
import { forwardingContext } from '../zab/forwarding-context.js';
import { zabBugs, zabParams } from '../zab/params.js';
import { ZabNode } from '../zab/zab-node.js';

/** What a recipe client may do: ZooKeeper requests on its session, timers, and answering its process. */
export interface RecipeSession {
  /** This client's ZooKeeper session id (unique in the run: never reused, also across restarts). */
  readonly id: number;
  /** Takes a fresh session id (the old session, no longer pinged, expires at the leader). */
  renew(): void;
  /** Takes up `id` again: a session this process opened before its client was lost in a crash. */
  resume(id: number): void;
  /**
   * What the client must still know after a crash of its node, kept on the node's disk per process
   * (undefined forgets it). The driver's process outlives the client beside the crashed server: it
   * goes on (a holder releases), so its client recovers what it held, as an application that
   * restarts its ZooKeeper client knows which lock it took.
   */
  remember(state: unknown): void;
  /** What `remember` kept for this process, across crashes; undefined when nothing. */
  recall(): unknown;
  now(): number;
  /** A ZooKeeper request (`create`, `delete`, `setData`, `multi`, `getData`, `exists`, `getChildren`, `sync`, `ping`, `openSession`) on this session. */
  call(f: string, value: Record<string, unknown>, then: (reply: ClientReply) => void): void;
  /** `onTimer(data)` after `delayMs` of this node's clock. */
  after(delayMs: number, data: unknown): void;
  reply(requestId: number, reply: ClientReply): void;
  log(message: string, fields?: Record<string, unknown>): void;
}

/** One client process's recipe state machine, living next to the server it is connected to. */
export interface RecipeClient {
  onRequest(request: ClientRequest): void;
  onTimer(data: unknown): void;
}

export type RecipeClientFactory = (session: RecipeSession) => RecipeClient;

/** Session ids: ((incarnation × 16) + node index) × 2^24 + a counter of this incarnation's sessions. */
const NODE_SLOTS = 16;
const SESSION_SLOTS = 2 ** 24;
const INCARNATION_KEY = 'recipe-incarnation';
/**
 * Request ids (hence cxids) of one incarnation start past every earlier incarnation's, so a
 * session taken up again after a crash (`resume`) numbers its requests above those it applied
 * before: a lower cxid would be answered as a retry of an old request.
 */
const REQUEST_SLOTS = 2 ** 32;
const RECIPE_TIMER = 'recipe';
const CLIENT_STATE_KEY = 'recipe-client:';

/**
 * A ZooKeeper server (the ZAB node, unchanged) with the recipe clients of the processes connected
 * to it beside it, as a client library runs beside its application: the driver's operations
 * (acquire, release, add, read) go to the client of their process, which issues ZooKeeper requests
 * to its server exactly as a remote client would, on its own session, and learns of watch events
 * only with its requests' answers. A crash of the node takes its clients with it; their sessions
 * then expire at the leader, as a dead client's do.
 */
export class RecipeHost implements NodeBehaviour {
  private readonly server: ZabNode;
  private readonly clients = new Map<number, RecipeClient>();
  private readonly waiting = new Map<number, (reply: ClientReply) => void>();
  private readonly ready: [(reply: ClientReply) => void, ClientReply][] = [];
  private readonly sessionBase: number;
  private nextRequestId: number;
  private nextSession = 1;

  constructor(private readonly ctx: NodeContext, zabOverrides: Readonly<Record<string, number>>, observers: readonly NodeId[], private readonly factory: RecipeClientFactory) {
    const incarnation = (ctx.load<number>(INCARNATION_KEY) ?? 0) + 1;
    ctx.persist(INCARNATION_KEY, incarnation);
    this.nextRequestId = (incarnation - 1) * REQUEST_SLOTS + 1;
    this.sessionBase = (incarnation * NODE_SLOTS + ctx.peers.indexOf(ctx.id)) * SESSION_SLOTS;
    // The server answers this host's requests through here; everything else goes to the node.
    const serverCtx = forwardingContext(ctx, (requestId, reply) => this.onServerReply(requestId, reply));
    this.server = new ZabNode(serverCtx, zabParams(zabOverrides), zabBugs(undefined), observers);
  }

  onStart(): void {
    this.server.onStart();
  }

  onMessage(from: NodeId, message: unknown): void {
    this.server.onMessage(from, message);
    this.drain();
  }

  onTimer(tag: string, data: unknown): void {
    if (tag === RECIPE_TIMER) {
      const { process, payload } = data as { process: number; payload: unknown };
      this.clients.get(process)?.onTimer(payload);
    } else this.server.onTimer(tag, data);
    this.drain();
  }

  onClientRequest(request: ClientRequest): void {
    if (request.final === true) {
      // Recipe workloads issue no final reads: their checks judge the client operations alone.
      this.ctx.reply(request.id, { type: 'fail', error: 'NoFinalReads' });
      return;
    }
    this.clientOf(request.process).onRequest(request);
    this.drain();
  }

  private clientOf(process: number): RecipeClient {
    let client = this.clients.get(process);
    if (client !== undefined) return client;
    const ctx = this.ctx;
    const host = this;
    const fresh = (): number => this.sessionBase + (this.nextSession++ % SESSION_SLOTS);
    let id = fresh();
    const session: RecipeSession = {
      get id() {
        return id;
      },
      renew() {
        id = fresh();
      },
      resume(old) {
        id = old;
      },
      remember: (state) => ctx.persist(`${CLIENT_STATE_KEY}${process}`, state ?? null),
      recall: () => ctx.load(`${CLIENT_STATE_KEY}${process}`) ?? undefined,
      now: () => ctx.now(),
      call(f, value, then) {
        const id = host.nextRequestId++;
        host.waiting.set(id, then);
        host.server.onClientRequest({ id, f, value: { ...value, session: session.id }, process });
      },
      after(delayMs, payload) {
        ctx.setTimer(delayMs, RECIPE_TIMER, { process, payload });
      },
      reply: (requestId, reply) => ctx.reply(requestId, reply),
      log: (message, fields) => ctx.log(message, { process, ...fields }),
    };
    client = this.factory(session);
    this.clients.set(process, client);
    return client;
  }

  private onServerReply(requestId: number, reply: ClientReply): void {
    const then = this.waiting.get(requestId);
    if (then === undefined) return;
    this.waiting.delete(requestId);
    // Answers may come while the server is still inside the call that caused them: hand them over afterwards.
    this.ready.push([then, reply]);
  }

  private drain(): void {
    for (let next = this.ready.shift(); next !== undefined; next = this.ready.shift()) next[0](next[1]);
  }
}
