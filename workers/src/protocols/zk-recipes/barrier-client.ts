import type { ClientReply, ClientRequest } from '../../sim/node-context.js';
import type { RecipeParams } from './params.js';
import type { RecipeClient, RecipeSession } from './recipe-host.js';

export const BARRIER_PATH = '/barrier';
/** Tickets live apart from the rounds, so their sequence numbers run without gaps. */
export const TICKETS_PATH = '/barrier-tickets';

type Phase = 'idle' | 'entering' | 'entered' | 'leaving';

/**
 * Curator's DistributedDoubleBarrier, reused round after round: `enter` takes a ticket (a
 * persistent-sequential child of BARRIER_PATH), whose number picks its round (barrierSize tickets
 * per round), creates an ephemeral node under the round's path and waits, polling, until the
 * round's ready node exists; the participant that sees all barrierSize nodes present creates it.
 * `leave` deletes its node and waits until the round's node has no children left. Both answer
 * `{round}`; an enter that waits past acquireWaitMs deletes its node and fails.
 *
 * With the bug `barrier-count-self-out`, a participant counts one short (barrierSize − 1 nodes
 * suffice): the barrier opens before the last participant entered.
 */
export class BarrierClient implements RecipeClient {
  private phase: Phase = 'idle';
  private sessionOpen = false;
  private round = -1;
  private node: string | undefined;
  private requestId = 0;
  private startedMs = 0;
  private polling = false;

  constructor(private readonly s: RecipeSession, private readonly params: RecipeParams, private readonly countShort: boolean) {}

  onRequest(request: ClientRequest): void {
    if (request.f === 'enter') return this.enter(request.id);
    if (request.f === 'leave') return this.leave(request.id);
    this.s.reply(request.id, { type: 'fail', error: `unknown barrier operation ${request.f}` });
  }

  onTimer(): void {
    this.polling = false;
    if (this.phase === 'entering') this.checkEntered();
    else if (this.phase === 'leaving') this.checkLeft();
  }

  private enter(requestId: number): void {
    if (this.phase !== 'idle') return this.s.reply(requestId, { type: 'fail', error: 'BarrierBusy' });
    this.requestId = requestId;
    this.startedMs = this.s.now();
    this.phase = 'entering';
    this.round = -1;
    if (this.sessionOpen) return this.takeTicket();
    this.s.call('openSession', { timeoutMs: this.params.sessionTimeoutMs }, (r) => {
      if (r.type !== 'ok') return this.finish({ type: 'fail', error: errorOf(r) });
      this.sessionOpen = true;
      this.s.call('create', { path: BARRIER_PATH, data: null, mode: 'persistent' }, (c) => {
        if (c.type !== 'ok' && errorOf(c) !== 'NodeExists') return this.finish({ type: 'fail', error: errorOf(c) });
        this.s.call('create', { path: TICKETS_PATH, data: null, mode: 'persistent' }, (t) => {
          if (t.type !== 'ok' && errorOf(t) !== 'NodeExists') return this.finish({ type: 'fail', error: errorOf(t) });
          this.takeTicket();
        });
      });
    });
  }

  private takeTicket(): void {
    this.s.call('create', { path: `${TICKETS_PATH}/ticket-`, data: null, mode: 'persistent-sequential' }, (t) => {
      if (t.type !== 'ok') return this.failEnter(errorOf(t));
      this.round = Math.floor(Number((t.value as { path: string }).path.slice(-10)) / this.params.barrierSize);
      this.s.call('create', { path: this.roundPath(), data: null, mode: 'persistent' }, (c) => {
        if (c.type !== 'ok' && errorOf(c) !== 'NodeExists') return this.failEnter(errorOf(c));
        this.s.call('create', { path: `${this.roundPath()}/p-${this.s.id}`, data: null, mode: 'ephemeral' }, (e) => {
          if (e.type !== 'ok') return this.failEnter(errorOf(e));
          this.node = (e.value as { path: string }).path;
          this.checkEntered();
        });
      });
    });
  }

  private checkEntered(): void {
    if (this.s.now() - this.startedMs >= this.params.acquireWaitMs) return this.giveUp();
    this.s.call('exists', { path: `${this.roundPath()}-ready` }, (x) => {
      if (this.phase !== 'entering') return;
      if (x.type === 'ok' && (x.value as { stat: unknown }).stat !== null) return this.passed();
      this.s.call('getChildren', { path: this.roundPath() }, (g) => {
        if (this.phase !== 'entering') return;
        const present = g.type === 'ok' ? (g.value as { children: string[] }).children.length : 0;
        const needed = this.countShort ? this.params.barrierSize - 1 : this.params.barrierSize;
        if (present < needed) return this.schedulePoll();
        this.s.call('create', { path: `${this.roundPath()}-ready`, data: null, mode: 'persistent' }, (c) => {
          if (this.phase !== 'entering') return;
          if (c.type === 'ok' || errorOf(c) === 'NodeExists') return this.passed();
          this.schedulePoll();
        });
      });
    });
  }

  private passed(): void {
    this.phase = 'entered';
    this.s.reply(this.requestId, { type: 'ok', value: { round: this.round } });
  }

  private giveUp(): void {
    const node = this.node;
    this.node = undefined;
    if (node === undefined) return this.failEnter('BarrierTimeout');
    this.s.call('delete', { path: node, version: -1 }, () => this.failEnter('BarrierTimeout'));
  }

  private failEnter(error: string): void {
    // A node of ours may stay behind (a delete that did not go through): a fresh session next time lets it expire.
    if (this.node !== undefined || error === 'SessionExpired') this.renew();
    this.node = undefined;
    this.finish({ type: 'fail', value: this.round >= 0 ? { round: this.round } : null, error });
  }

  private leave(requestId: number): void {
    if (this.phase !== 'entered') return this.s.reply(requestId, { type: 'fail', error: 'NotEntered' });
    this.requestId = requestId;
    this.startedMs = this.s.now();
    this.phase = 'leaving';
    const node = this.node!;
    this.node = undefined;
    this.s.call('delete', { path: node, version: -1 }, (d) => {
      if (d.type !== 'ok' && errorOf(d) !== 'NoNode') {
        this.renew();
        return this.finish({ type: 'fail', value: { round: this.round }, error: errorOf(d) });
      }
      this.checkLeft();
    });
  }

  private checkLeft(): void {
    if (this.s.now() - this.startedMs >= this.params.acquireWaitMs) return this.finish({ type: 'fail', value: { round: this.round }, error: 'BarrierTimeout' });
    this.s.call('getChildren', { path: this.roundPath() }, (g) => {
      if (this.phase !== 'leaving') return;
      if (g.type === 'ok' && (g.value as { children: string[] }).children.length === 0) return this.finish({ type: 'ok', value: { round: this.round } });
      this.schedulePoll();
    });
  }

  private finish(reply: ClientReply): void {
    this.phase = 'idle';
    this.s.reply(this.requestId, reply);
  }

  private renew(): void {
    this.s.renew();
    this.sessionOpen = false;
  }

  private roundPath(): string {
    return `${BARRIER_PATH}/round-${this.round}`;
  }

  private schedulePoll(): void {
    // The poll is a ping too: the keep-alive of the session that holds our ephemeral node.
    this.s.call('ping', {}, () => undefined);
    if (this.polling) return;
    this.polling = true;
    this.s.after(this.params.pollMs, null);
  }
}

function errorOf(r: ClientReply): string {
  return r.type === 'ok' ? 'ok' : r.error ?? r.type;
}
