import type { ClientReply, ClientRequest } from '../../sim/node-context.js';
import type { RecipeParams } from './params.js';
import type { RecipeClient, RecipeSession } from './recipe-host.js';

export const LOCK_PATH = '/lock';
/** Curator's LeaderLatch elects the same way, under its own path. */
export const LATCH_PATH = '/latch';
const CHILD_PREFIX = 'lock-';

/** The lock recipe's deliberate bugs. */
export interface LockBugs {
  /** The client never checks its session: a waiter whose node vanished (its session expired) takes "no lower node" for the lock. */
  noSessionCheck: boolean;
  /** Every waiter watches the lock's children instead of its predecessor: each change wakes them all (the herd effect). */
  watchParent: boolean;
}

/** What the lock clients of a run did, for the herd-effect bench (counted by the caller, never read by the clients). */
export interface LockStats {
  /** ZooKeeper requests the clients issued. */
  requests: number;
  /** Watch events delivered to the clients. */
  watchEvents: number;
  /** Re-reads of the lock's children. */
  childReads: number;
}

type Phase = 'idle' | 'opening' | 'creating' | 'checking' | 'waiting' | 'confirming' | 'holding' | 'giving-up';

/** What a holder keeps on its node's disk, so a crash of the node does not make it forget the lock it holds. */
interface HeldRecord {
  session: number;
  node: string;
  aliveSinceMs: number;
}

/** The sequence number of a sequential child's name. */
function sequenceOf(name: string): number {
  return Number(name.slice(-10));
}

/**
 * Curator's InterProcessMutex, one client process: the lock is held by the lowest
 * ephemeral-sequential child of LOCK_PATH; every other waiter watches only the child just below
 * its own (exists with a watch) and re-reads the children when that one goes, so a release wakes
 * one waiter.
 *
 * Its session is its lease: when it expires the leader deletes the lock node and the next waiter
 * takes the lock, whatever the old holder believes. So before it answers `acquire` ok, the client
 * proves its session alive at the leader (a check of its own node, committed through the leader)
 * with a round trip of at most confirmRoundTripMaxMs: the leader then keeps the session, hence
 * the lock, at least sessionTimeoutMs minus that after the answer. The application's hold (the
 * process's think time until `release`) must stay within that; the workload's holds do by a
 * wide margin. A release whose node was already gone, or that comes after the client lost touch
 * with its server for longer than the proof covers, may have come after another client took the
 * lock: it is `info`, never ok.
 */
export class LockClient implements RecipeClient {
  private phase: Phase = 'idle';
  private sessionOpen = false;
  /** The session was refused or may be expired: this client opens no more on it. */
  private sessionDead = false;
  private node: string | undefined;
  private requestId = 0;
  private startedMs = 0;
  /** When the request that last proved the session alive at the leader was sent. */
  private aliveSinceMs = -Infinity;
  private predecessor: string | undefined;
  private lastCheckMs = 0;
  private polling = false;

  constructor(
    private readonly s: RecipeSession,
    private readonly params: RecipeParams,
    private readonly bugs: LockBugs,
    private readonly stats: LockStats | undefined,
    /** The parent of the contenders' nodes: LOCK_PATH, or LATCH_PATH for the leader latch. */
    private readonly root: string = LOCK_PATH,
  ) {
    // The client of a holder whose node crashed: its process still holds (it will release), and
    // the lock stays its own as long as the session lives. Forgetting it would answer that release
    // `fail NotHeld`, a history in which the lock is held for good while session expiry hands it on.
    const held = s.recall() as HeldRecord | undefined;
    if (held !== undefined) {
      s.resume(held.session);
      this.sessionOpen = true;
      this.node = held.node;
      this.aliveSinceMs = held.aliveSinceMs;
      this.phase = 'holding';
    }
  }

  onRequest(request: ClientRequest): void {
    if (request.f === 'acquire') return this.acquire(request.id);
    if (request.f === 'release') return this.release(request.id);
    this.s.reply(request.id, { type: 'fail', error: `unknown lock operation ${request.f}` });
  }

  onTimer(): void {
    this.polling = false;
    if (this.phase === 'waiting') this.poll();
    else if (this.phase === 'holding') this.keepAlive();
  }

  private acquire(requestId: number): void {
    if (this.phase !== 'idle') return this.s.reply(requestId, { type: 'fail', error: 'LockBusy' });
    if (this.sessionDead) {
      // The old session expires on its own (nobody pings it); its node, if any, goes with it.
      this.s.renew();
      this.sessionDead = false;
      this.sessionOpen = false;
    }
    this.requestId = requestId;
    this.startedMs = this.s.now();
    this.enter('opening');
    if (this.sessionOpen) return this.createNode();
    this.call('openSession', { timeoutMs: this.params.sessionTimeoutMs }, (r) => {
      if (r.type !== 'ok') return this.finishAcquire({ type: 'fail', error: errorOf(r) });
      this.sessionOpen = true;
      this.createParent();
    });
  }

  private createParent(): void {
    this.call('create', { path: this.root, data: null, mode: 'persistent' }, (r) => {
      if (r.type !== 'ok' && errorOf(r) !== 'NodeExists') return this.finishAcquire({ type: 'fail', error: errorOf(r) });
      this.createNode();
    });
  }

  private createNode(): void {
    this.enter('creating');
    this.call('create', { path: `${this.root}/${CHILD_PREFIX}`, data: null, mode: 'ephemeral-sequential' }, (r) => {
      if (r.type === 'ok') {
        this.node = (r.value as { path: string }).path;
        return this.check();
      }
      const error = errorOf(r);
      if (error === 'NoNode') return this.createParent();
      if (error === 'SessionExpired') this.sessionDead = true;
      this.finishAcquire({ type: 'fail', error });
    });
  }

  /** Reads the children: the lowest holds; anyone else watches the one below it (or, with the herd bug, the parent). */
  private check(): void {
    this.enter('checking');
    this.lastCheckMs = this.s.now();
    if (this.stats !== undefined) this.stats.childReads++;
    this.call('getChildren', { path: this.root, watch: this.bugs.watchParent }, (r) => {
      if (this.phase !== 'checking') return;
      if (r.type !== 'ok') return this.wait(undefined); // Not serving just now: try again at the next poll.
      const names = (r.value as { children: string[] }).children.filter((n) => n.startsWith(CHILD_PREFIX)).sort((a, b) => sequenceOf(a) - sequenceOf(b));
      const mine = this.node!.slice(this.root.length + 1);
      if (!names.includes(mine) && !this.bugs.noSessionCheck) {
        // Our node is gone: only our session's expiry deletes it. Nothing here is ours any more.
        this.sessionDead = true;
        this.node = undefined;
        return this.finishAcquire({ type: 'fail', error: 'SessionExpired' });
      }
      const below = names.filter((n) => sequenceOf(n) < sequenceOf(mine));
      if (below.length === 0) return this.bugs.noSessionCheck ? this.becomeHolder(this.s.now()) : this.confirm();
      const predecessor = `${this.root}/${below[below.length - 1]!}`;
      if (this.bugs.watchParent) return this.wait(predecessor);
      this.call('exists', { path: predecessor, watch: true }, (e) => {
        if (this.phase !== 'checking') return;
        if (e.type === 'ok' && (e.value as { stat: unknown }).stat === null) return this.check();
        this.wait(predecessor);
      });
    });
  }

  private wait(predecessor: string | undefined): void {
    this.enter('waiting');
    this.predecessor = predecessor;
    this.schedulePoll();
  }

  /** A waiter's ping: keeps its session alive and brings the watch events fired for it. */
  private poll(): void {
    this.call('ping', {}, (r) => {
      if (this.phase !== 'waiting') return;
      if (this.s.now() - this.startedMs >= this.params.acquireWaitMs) return this.giveUp();
      if (r.type === 'ok' && this.woken(r)) return this.check();
      if (this.s.now() - this.lastCheckMs >= this.params.recheckMs) return this.check();
      this.schedulePoll();
    });
  }

  /** Whether an answer carries an event that may have made this client the lowest. */
  private woken(r: ClientReply & { type: 'ok' }): boolean {
    const events = (r.value as { events?: { type: string; path: string }[] } | null)?.events ?? [];
    if (this.stats !== undefined) this.stats.watchEvents += events.length;
    return events.some((e) => (this.bugs.watchParent ? e.path === this.root : e.path === this.predecessor));
  }

  /** Proves the session alive at the leader: a check of our own node, committed through it. */
  private confirm(): void {
    this.enter('confirming');
    const sentMs = this.s.now();
    this.call('multi', { ops: [{ type: 'check', path: this.node!, version: -1 }] }, (r) => {
      if (this.phase !== 'confirming') return;
      if (r.type !== 'ok') {
        const error = errorOf(r);
        if (error === 'ConnectionLoss') return this.wait(undefined);
        // NoNode or SessionExpired: the session expired, and the node with it.
        this.sessionDead = true;
        this.node = undefined;
        return this.finishAcquire({ type: 'fail', error: 'SessionExpired' });
      }
      // A slow proof proves too little of the time left: prove it again, within the acquire's wait.
      if (this.s.now() - sentMs > this.params.confirmRoundTripMaxMs) {
        if (this.s.now() - this.startedMs >= this.params.acquireWaitMs) return this.giveUp();
        return this.confirm();
      }
      this.becomeHolder(sentMs);
    });
  }

  private becomeHolder(aliveSinceMs: number): void {
    this.aliveSinceMs = aliveSinceMs;
    const held: HeldRecord = { session: this.s.id, node: this.node!, aliveSinceMs };
    this.s.remember(held);
    this.enter('holding');
    this.finishAcquire({ type: 'ok', value: null }, 'holding');
    this.schedulePoll();
  }

  /**
   * A holder's ping keeps its session alive. Its answer proves nothing about the leader (a server
   * cut off from the leader answers pings until it notices), so only the proof counts for `release`.
   */
  private keepAlive(): void {
    // Holds can outlast the session timeout (a process parked between the faulty and the quiet
    // phase keeps the lock): the pings keep the session, hence the lock, alive meanwhile.
    this.call('ping', {}, () => undefined);
    this.schedulePoll();
  }

  private release(requestId: number): void {
    if (this.phase !== 'holding') return this.s.reply(requestId, { type: 'fail', error: 'NotHeld' });
    // Out of touch past what the last proof covers: the lock may have passed on while we still held it.
    const lost = this.s.now() - this.aliveSinceMs > this.params.sessionTimeoutMs - this.params.confirmRoundTripMaxMs;
    const node = this.node!;
    this.node = undefined;
    this.s.remember(undefined);
    this.enter('idle');
    if (lost && !this.bugs.noSessionCheck) {
      this.sessionDead = true;
      this.s.reply(requestId, { type: 'info', error: 'session may have expired while held' });
    }
    this.call('delete', { path: node, version: -1 }, (r) => {
      if (lost && !this.bugs.noSessionCheck) return;
      if (r.type === 'ok' || this.bugs.noSessionCheck) return this.s.reply(requestId, { type: 'ok', value: null });
      const error = errorOf(r);
      if (error === 'ConnectionLoss') return this.s.reply(requestId, { type: 'info', error: 'ConnectionLoss' });
      // Our node was already gone: the session expired while we held the lock.
      this.sessionDead = true;
      this.s.reply(requestId, { type: 'info', error: `${error}: the session expired while held` });
    });
  }

  /** No lock within acquireWaitMs: delete our node and fail (it never held). */
  private giveUp(): void {
    this.enter('giving-up');
    const node = this.node;
    this.node = undefined;
    if (node === undefined) return this.finishAcquire({ type: 'fail', error: 'LockTimeout' });
    this.call('delete', { path: node, version: -1 }, (r) => {
      if (r.type === 'ok' || errorOf(r) === 'NoNode') return this.finishAcquire({ type: 'fail', error: 'LockTimeout' });
      // Our node may remain: its session keeps the lock from others until it expires, so retire it.
      this.sessionDead = true;
      this.finishAcquire({ type: 'fail', error: 'LockTimeout' });
    });
  }

  private finishAcquire(reply: ClientReply, next: Phase = 'idle'): void {
    if (next === 'idle') {
      if (this.node !== undefined) {
        // Failing with a node of ours in place would block the lock until the session expires: retire the session.
        this.sessionDead = true;
        this.node = undefined;
      }
      this.enter('idle');
    }
    this.s.reply(this.requestId, reply);
  }

  private schedulePoll(): void {
    if (this.polling) return;
    this.polling = true;
    this.s.after(this.params.pollMs, null);
  }

  private enter(phase: Phase): void {
    this.phase = phase;
  }

  private call(f: string, value: Record<string, unknown>, then: (r: ClientReply) => void): void {
    if (this.stats !== undefined) this.stats.requests++;
    this.s.call(f, value, then);
  }
}

function errorOf(r: ClientReply): string {
  return r.type === 'ok' ? 'ok' : r.error ?? r.type;
}
