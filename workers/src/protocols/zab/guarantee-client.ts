import type { ZkAnswer } from '@verdict/checker';
import type { ClientReply, ClientRequest, NodeId, Rng } from '../../sim/node-context.js';

/** One request inside a guarantee call; several in one call are answered by the server in one step. */
export interface GuaranteeCall {
  f: string;
  value: Record<string, unknown>;
}

/** A server's answer to one request: the reply, and the zxid it had applied when it gave it. */
export interface ServerAnswer {
  reply: ClientReply;
  zxid: number;
  server: NodeId;
  /** getChildren: the parent's pzxid at the same moment. */
  pzxid?: number;
}

/** What a guarantee client needs of the node it lives on. */
export interface GuaranteeLink {
  /** Every server of the ensemble, in a fixed order. */
  readonly servers: readonly NodeId[];
  now(): number;
  /** A session id never used before in the run. */
  freshSession(): number;
  /** Sends `calls` to `server` on `session`; `then(undefined)` when no answer came in time (a lost connection). */
  send(server: NodeId, session: number, seq: number, calls: readonly GuaranteeCall[], timeoutMs: number, then: (answers: ServerAnswer[] | undefined) => void): void;
  reply(requestId: number, reply: ClientReply): void;
  readonly rng: Rng;
}

/** The session timeout guarantee clients ask for: below the nemesis's shortest fault, so a long isolation expires it. */
export const GUARANTEE_SESSION_TIMEOUT_MS = 1_200;
/** A request unanswered this long is a lost connection. */
const CALL_TIMEOUT_MS = 500;
const CONNECT_TIMEOUT_MS = 250;
/**
 * An operation gives up within this long, inside the driver's default 1 s timeout: a client that
 * failed (rather than timed out) keeps its session, so it learns later that the session expired.
 */
const OP_BUDGET_MS = 850;
/** Servers tried per operation to (re)connect before it fails with ConnectionLoss. */
const CONNECT_TRIES_MAX = 3;
/** Chance that the connection drops before an operation (a client-side network blip): the session moves. */
const MOVE_PROBABILITY = 0.1;
/** Chance that a multi's session moves right after its answer and reads the pair back on the new server. */
const READ_BACK_PROBABILITY = 0.5;

type Outcome = 'ok' | 'fail' | 'info';

interface OpState {
  requestId: number;
  deadlineMs: number;
  session: number;
  answers: ZkAnswer[];
}

interface Watch {
  path: string;
  kind: 'data' | 'child';
  version: number;
}

/**
 * A ZooKeeper client library, one per guarantee process, living on the node its process talks
 * to but connected to any server of the ensemble: it opens a session, keeps the last zxid it saw,
 * and when a server stops answering it moves the session to the next server, which accepts it
 * only if it has seen at least that zxid (single system image). It sets its watches again on the
 * new server, relative to the versions it read. Every answer it gets goes into the operation's
 * output, `{session, answers}`, for the checker's `zookeeper-*` guarantees.
 */
export class GuaranteeClient {
  private session: number | undefined;
  private connected = false;
  private server: number;
  private lastZxid = 0;
  private seq = 0;
  private readonly watches = new Map<string, Watch>();
  private readonly made = new Set<string>();

  constructor(private readonly link: GuaranteeLink, firstServer: number) {
    this.server = firstServer % link.servers.length;
  }

  onRequest(request: ClientRequest): void {
    if (this.connected && this.link.rng.chance(MOVE_PROBABILITY)) this.moveAway();
    const value = (request.value ?? {}) as Record<string, unknown>;
    this.ready(request.id, (op) => this.body(request.f, value, op));
  }

  private body(f: string, v: Record<string, unknown>, op: OpState): void {
    switch (f) {
      case 'zk-multi': {
        const pair = pairPath(v.pair);
        return this.makePair(op, pair, () =>
          this.write(op, [{ f: 'multi', value: { ops: [setData(`${pair}/a`, v.value), setData(`${pair}/b`, v.value)] } }], (a) => {
            if (a.error !== undefined || !this.link.rng.chance(READ_BACK_PROBABILITY)) return this.finish(op, a.error === undefined ? 'ok' : 'fail', a.error);
            // The connection drops right after the answer: the session moves, and reads the pair back there.
            this.moveAway();
            this.connect(op, false, CONNECT_TRIES_MAX, () =>
              this.read(op, [{ f: 'getData', value: { path: `${pair}/a`, watch: true } }, { f: 'getData', value: { path: `${pair}/b`, watch: true } }], () => this.finish(op, 'ok')));
          }));
      }
      case 'zk-read-pair': {
        const pair = pairPath(v.pair);
        const a = { f: 'getData', value: { path: `${pair}/a`, watch: true } };
        const b = { f: 'getData', value: { path: `${pair}/b`, watch: true } };
        if (v.batch === true) return this.read(op, [a, b], (answers) => this.finish(op, answers.every((x) => x.error === undefined) ? 'ok' : 'fail', answers.find((x) => x.error !== undefined)?.error));
        return this.read(op, [a], ([x]) => {
          if (x!.error !== undefined) return this.finish(op, 'fail', x!.error);
          this.read(op, [b], ([y]) => this.finish(op, y!.error === undefined ? 'ok' : 'fail', y!.error));
        });
      }
      case 'zk-create': {
        const parent = v.parent === '/g/s' ? '/g/s' : '/g/e';
        const mode = parent === '/g/s' ? 'persistent-sequential' : 'ephemeral-sequential';
        return this.makeBase(op, () =>
          this.write(op, [{ f: 'create', value: { path: `${parent}/s${op.session}-`, data: op.session, mode } }], (a) => this.finish(op, a.error === undefined ? 'ok' : 'fail', a.error)));
      }
      case 'zk-children': {
        const parent = v.parent === '/g/s' ? '/g/s' : '/g/e';
        return this.makeBase(op, () => this.read(op, [{ f: 'getChildren', value: { path: parent, watch: true } }], ([a]) => this.finish(op, a!.error === undefined ? 'ok' : 'fail', a!.error)));
      }
      case 'zk-close':
        return this.write(op, [{ f: 'closeSession', value: {} }], (a) => {
          if (a.error === undefined) this.endSession();
          this.finish(op, a.error === undefined ? 'ok' : 'fail', a.error);
        });
      default:
        return this.finish(op, 'fail', 'Unimplemented');
    }
  }

  /** Opens a session or moves it to a server that has seen what it saw; then runs `then`. */
  private ready(requestId: number, then: (op: OpState) => void): void {
    const opening = this.session === undefined;
    if (opening) {
      this.session = this.link.freshSession();
      this.connected = false;
      this.watches.clear();
      this.made.clear();
    }
    const op: OpState = { requestId, deadlineMs: this.link.now() + OP_BUDGET_MS, session: this.session!, answers: [] };
    if (this.connected) return then(op);
    this.connect(op, opening, CONNECT_TRIES_MAX, then);
  }

  private connect(op: OpState, opening: boolean, tries: number, then: (op: OpState) => void): void {
    if (tries === 0) {
      // An open that never got an answer may have taken effect: that session is abandoned (it expires).
      if (opening) this.endSession();
      return this.finish(op, 'fail', 'ConnectionLoss');
    }
    const watches = [...this.watches.values()];
    const value = opening ? { open: true, timeoutMs: GUARANTEE_SESSION_TIMEOUT_MS } : { lastZxid: this.lastZxid, watches };
    this.call(op, [{ f: 'connect', value }], CONNECT_TIMEOUT_MS, (answers) => {
      const a = answers?.[0];
      if (a?.error === undefined && a !== undefined) {
        this.connected = true;
        return then(op);
      }
      if (a?.error === 'SessionExpired') return this.finish(op, 'fail', 'SessionExpired');
      this.server = (this.server + 1) % this.link.servers.length;
      this.connect(op, opening, tries - 1, then);
    });
  }

  private makeBase(op: OpState, then: () => void): void {
    if (this.made.has('/g')) return then();
    const paths = ['/g', '/g/e', '/g/s'];
    const step = (i: number): void => {
      if (i === paths.length) {
        this.made.add('/g');
        return then();
      }
      this.write(op, [{ f: 'create', value: { path: paths[i], data: null, mode: 'persistent' } }], (a) => (a.error === undefined || a.error === 'NodeExists' ? step(i + 1) : this.finish(op, 'fail', a.error)));
    };
    step(0);
  }

  /** A pair's two nodes are made by one multi, so they are never seen apart either. */
  private makePair(op: OpState, pair: string, then: () => void): void {
    if (this.made.has(pair)) return then();
    this.makeBase(op, () =>
      this.write(op, [{ f: 'create', value: { path: pair, data: null, mode: 'persistent' } }], (p) => {
        if (p.error !== undefined && p.error !== 'NodeExists') return this.finish(op, 'fail', p.error);
        const ops = [create(`${pair}/a`), create(`${pair}/b`)];
        this.write(op, [{ f: 'multi', value: { ops } }], (m) => {
          if (m.error !== undefined && m.error !== 'NodeExists') return this.finish(op, 'fail', m.error);
          this.made.add(pair);
          then();
        });
      }));
  }

  /** A request that may change state: a lost answer leaves the operation's outcome unknown. */
  private write(op: OpState, calls: GuaranteeCall[], then: (a: ZkAnswer) => void): void {
    this.call(op, calls, CALL_TIMEOUT_MS, (answers) => {
      const a = answers?.[0];
      if (a === undefined) return this.finish(op, 'info', 'ConnectionLoss');
      if (a.error === 'ConnectionLoss') return this.finish(op, 'fail', 'ConnectionLoss');
      if (a.error === 'SessionExpired') return this.finish(op, 'fail', 'SessionExpired');
      then(a);
    });
  }

  private read(op: OpState, calls: GuaranteeCall[], then: (a: ZkAnswer[]) => void): void {
    this.call(op, calls, CALL_TIMEOUT_MS, (answers) => {
      if (answers === undefined) return this.finish(op, 'fail', 'ConnectionLoss');
      const lost = answers.find((a) => a.error === 'ConnectionLoss' || a.error === 'SessionExpired');
      if (lost !== undefined) return this.finish(op, 'fail', lost.error);
      then(answers);
    });
  }

  private call(op: OpState, calls: GuaranteeCall[], timeoutMs: number, then: (answers: ZkAnswer[] | undefined) => void): void {
    const leftMs = Math.min(timeoutMs, op.deadlineMs - this.link.now());
    if (leftMs < 1) return this.finish(op, 'fail', 'ConnectionLoss'); // Out of time before sending: nothing happened.
    const seq = ++this.seq;
    const server = this.link.servers[this.server]!;
    this.link.send(server, op.session, seq, calls, leftMs, (raw) => {
      if (raw === undefined) {
        this.disconnect();
        return then(undefined);
      }
      const answers = raw.map((r, i) => this.learn(calls[i]!, r, calls.length > 1 ? seq : undefined));
      op.answers.push(...answers);
      if (answers.some((a) => a.error === 'ConnectionLoss')) this.disconnect();
      if (answers.some((a) => a.error === 'SessionExpired')) this.endSession();
      then(answers);
    });
  }

  /** Reads one answer: its events clear the watches they fire, a watched read sets one, its zxid is the last seen. */
  private learn(call: GuaranteeCall, r: ServerAnswer, batch: number | undefined): ZkAnswer {
    const value = (r.reply.type !== 'info' && r.reply.value !== null && typeof r.reply.value === 'object' ? r.reply.value : {}) as Record<string, any>;
    const a: ZkAnswer = { call: call.f, zxid: r.zxid, server: r.server };
    const events = Array.isArray(value.events) ? (value.events as { type: string; path: string }[]) : [];
    if (events.length > 0) a.events = events.map((e) => ({ type: e.type, path: e.path }));
    for (const e of events) this.watches.delete(`${e.type === 'NodeChildrenChanged' ? 'child' : 'data'} ${e.path}`);
    if (r.reply.type !== 'ok') a.error = r.reply.type === 'fail' ? (r.reply.error ?? 'failed') : 'ConnectionLoss';
    if (typeof call.value.path === 'string') a.path = call.value.path;
    if (batch !== undefined) a.batch = batch;
    if (a.error === undefined) {
      if (call.f === 'getData') {
        a.data = value.data;
        a.mzxid = value.stat?.mzxid;
        this.setWatch(a, 'data', a.mzxid);
      } else if (call.f === 'getChildren') {
        a.children = value.children;
        if (r.pzxid !== undefined) a.pzxid = r.pzxid;
        this.setWatch(a, 'child', a.pzxid);
      } else if (call.f === 'create') {
        a.created = value.path;
        a.czxid = value.stat?.czxid;
      }
    }
    if (a.error !== 'ConnectionLoss' && r.zxid > this.lastZxid) this.lastZxid = r.zxid;
    return a;
  }

  private setWatch(a: ZkAnswer, kind: 'data' | 'child', version: number | undefined): void {
    if (version === undefined || a.path === undefined) return;
    a.watch = kind;
    const key = `${kind} ${a.path}`;
    if (!this.watches.has(key)) this.watches.set(key, { path: a.path, kind, version });
  }

  /** The connection drops (a client-side blip): the session moves to another server picked at random, as ZooKeeper's client does. */
  private moveAway(): void {
    this.connected = false;
    this.server = (this.server + this.link.rng.int(1, this.link.servers.length - 1)) % this.link.servers.length;
  }

  private disconnect(): void {
    this.connected = false;
    this.server = (this.server + 1) % this.link.servers.length;
  }

  private endSession(): void {
    this.session = undefined;
    this.connected = false;
    this.watches.clear();
    this.made.clear();
  }

  private finish(op: OpState, outcome: Outcome, error?: string): void {
    const value = { session: op.session, answers: op.answers };
    if (outcome === 'ok') return this.link.reply(op.requestId, { type: 'ok', value });
    if (outcome === 'fail') return this.link.reply(op.requestId, { type: 'fail', value, error: error ?? 'failed' });
    this.link.reply(op.requestId, { type: 'info', error: error ?? 'indeterminate' });
  }
}

function pairPath(pair: unknown): string {
  return `/g/p${typeof pair === 'number' ? pair : 0}`;
}

function setData(path: string, data: unknown): Record<string, unknown> {
  return { type: 'setData', path, data, version: -1 };
}

function create(path: string): Record<string, unknown> {
  return { type: 'create', path, data: 0, mode: 'persistent' };
}
