import type { ClientReply, ClientRequest } from '../../sim/node-context.js';
import type { RecipeParams } from './params.js';
import type { RecipeClient, RecipeSession } from './recipe-host.js';

export const COUNTER_PATH = '/counter';

/**
 * Curator's DistributedAtomicLong, one client process: `add` reads the counter's znode and writes
 * value + 1 with setData at the version it read; a BadVersion answer means another add came in
 * between, so it reads again and retries. Reads may be stale (served by this client's server), the
 * version check makes that harmless. `read` syncs through the leader first, so it is current.
 * An add whose setData is in flight when the client gives up is left to the driver's timeout
 * (`info`): it may yet apply.
 *
 * With the bug `counter-blind-set`, setData goes with version −1 (unconditional): two adds that
 * read the same value both write value + 1, and one increment is lost.
 */
export class CounterClient implements RecipeClient {
  constructor(private readonly s: RecipeSession, private readonly params: RecipeParams, private readonly blindSet: boolean) {}

  onRequest(request: ClientRequest): void {
    if (request.f === 'add') return this.add(request.id, 0);
    if (request.f === 'read') return this.read(request.id);
    this.s.reply(request.id, { type: 'fail', error: `unknown counter operation ${request.f}` });
  }

  onTimer(): void {}

  private add(requestId: number, attempt: number): void {
    if (attempt > this.params.counterRetriesMax) return this.s.reply(requestId, { type: 'fail', error: 'TooManyRetries' });
    this.s.call('getData', { path: COUNTER_PATH }, (r) => {
      if (r.type !== 'ok') {
        if (errorOf(r) !== 'NoNode') return this.s.reply(requestId, { type: 'fail', error: errorOf(r) });
        return this.s.call('create', { path: COUNTER_PATH, data: 0, mode: 'persistent' }, (c) => {
          if (c.type === 'ok' || errorOf(c) === 'NodeExists') return this.add(requestId, attempt + 1);
          this.s.reply(requestId, { type: 'fail', error: errorOf(c) });
        });
      }
      const { data, stat } = r.value as { data: number; stat: { version: number } };
      const version = this.blindSet ? -1 : stat.version;
      this.s.call('setData', { path: COUNTER_PATH, data: data + 1, version }, (w) => {
        if (w.type === 'ok') return this.s.reply(requestId, { type: 'ok', value: 1 });
        // BadVersion: another add won the race; ConnectionLoss here means it never left the server.
        const error = errorOf(w);
        if (error === 'BadVersion' || error === 'NoNode') return this.add(requestId, attempt + 1);
        this.s.reply(requestId, { type: 'fail', error });
      });
    });
  }

  private read(requestId: number): void {
    this.s.call('sync', {}, (r) => {
      if (r.type !== 'ok') return this.s.reply(requestId, { type: 'fail', error: errorOf(r) });
      this.s.call('getData', { path: COUNTER_PATH }, (g) => {
        if (g.type === 'ok') return this.s.reply(requestId, { type: 'ok', value: (g.value as { data: number }).data });
        if (errorOf(g) === 'NoNode') return this.s.reply(requestId, { type: 'ok', value: 0 });
        this.s.reply(requestId, { type: 'fail', error: errorOf(g) });
      });
    });
  }
}

function errorOf(r: ClientReply): string {
  return r.type === 'ok' ? 'ok' : r.error ?? r.type;
}
