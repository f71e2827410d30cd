import { describe, expect, it } from 'vitest';
import type { ClientReply, NodeBehaviour, NodeContext } from '../src/sim/node-context.js';
import { harness, idle } from './support/sim-harness.js';

/** A node that keeps a counter in memory and a durable one. */
function counterNode(log: string[]) {
  return (ctx: NodeContext): NodeBehaviour => {
    let volatile = 0;
    return {
      onStart() {
        log.push(`start ${ctx.id} durable=${ctx.load<number>('count') ?? 0} volatile=${volatile}`);
        ctx.setTimer(100, 'tick');
      },
      onMessage() {
        volatile++;
        ctx.persist('count', (ctx.load<number>('count') ?? 0) + 1);
      },
      onTimer(tag) {
        log.push(`timer ${tag} volatile=${volatile}`);
      },
      onClientRequest() {},
    };
  };
}

describe('crash and restart', () => {
  it('keep exactly the persisted state: memory and timers are lost', () => {
    const log: string[] = [];
    const sim = harness(2, counterNode(log));
    sim.startAll();
    for (let i = 0; i < 3; i++) sim.sendFrom(1, 'n1', 'inc');
    sim.run(3); // three deliveries; the 100 ms timers are still pending
    sim.crash(0);
    expect(sim.host(0).timers.size).toBe(0);
    sim.run(100); // n1's old timer must not fire; n2's does
    expect(log.filter((l) => l.startsWith('timer'))).toEqual(['timer tick volatile=0']);
    sim.restart(0);
    expect(log.at(-1)).toBe('start n1 durable=3 volatile=0');
    expect(sim.host(0).incarnation).toBe(2);
    expect(sim.stats).toMatchObject({ crashes: 1, restarts: 1 });
  });

  it('copies persisted values, so later mutation does not leak into storage', () => {
    let ctx!: NodeContext;
    const sim = harness(1, (c) => ((ctx = c), idle));
    sim.startAll();
    const value = { list: [1] };
    ctx.persist('v', value);
    value.list.push(2);
    ctx.load<{ list: number[] }>('v')!.list.push(3);
    expect(ctx.load('v')).toEqual({ list: [1] });
  });

  it('copies every kind of structured-clonable value, and persisting undefined deletes', () => {
    let ctx!: NodeContext;
    const sim = harness(1, (c) => ((ctx = c), idle));
    sim.startAll();
    const value = { map: new Map([[1, { a: [1, 2] }]]), set: new Set(['x']), when: new Date(5), nested: { deep: [[{ n: null }]] } };
    ctx.persist('v', value);
    value.map.get(1)!.a.push(3);
    value.nested.deep[0]!.push({ n: null });
    expect(ctx.load('v')).toEqual({ map: new Map([[1, { a: [1, 2] }]]), set: new Set(['x']), when: new Date(5), nested: { deep: [[{ n: null }]] } });
    const cyclic: Record<string, unknown> = { name: 'c' };
    cyclic.self = cyclic;
    ctx.persist('c', cyclic);
    const loaded = ctx.load<Record<string, unknown>>('c')!;
    expect(loaded.self).toBe(loaded);
    ctx.persist('v', undefined);
    expect(ctx.load('v')).toBeUndefined();
    expect(sim.host(0).storedKeys()).toEqual(['c']);
  });

  it('keeps a durable log across crashes, by reference, and ignores a dead incarnation\'s writes', () => {
    const contexts: NodeContext[] = [];
    const sim = harness(1, (c) => (contexts.push(c), { ...idle }));
    sim.startAll();
    const log = contexts[0]!.durableLog<{ n: number }>('log');
    const first = { n: 1 };
    for (const entry of [first, { n: 2 }, { n: 3 }, { n: 4 }]) log.append(entry);
    log.truncateFrom(3); // drops n: 4
    log.dropBefore(1); // drops n: 1
    expect([log.start, log.end]).toEqual([1, 3]);
    expect(log.at(0)).toBeUndefined();
    expect(log.slice(0, 10)).toEqual([{ n: 2 }, { n: 3 }]);
    sim.crash(0);
    log.append({ n: 99 }); // the dead incarnation: ignored
    log.truncateFrom(1);
    log.dropBefore(3);
    sim.restart(0);
    const again = contexts[1]!.durableLog<{ n: number }>('log');
    expect([again.start, again.end]).toEqual([1, 3]);
    expect(again.slice(1, 3)).toEqual([{ n: 2 }, { n: 3 }]);
    again.dropBefore(5); // past the end: empty, and positions go on from 5
    expect([again.start, again.end, again.slice(0, 10).length]).toEqual([5, 5, 0]);
    again.append(first);
    expect(again.at(5)).toBe(first); // kept by reference, not copied
    expect(contexts[1]!.durableLog('other').end).toBe(0);
  });

  it('drops replies of a crashed incarnation and of requests it never received', () => {
    const replies: number[] = [];
    const contexts: NodeContext[] = [];
    const sim = harness(1, (c) => (contexts.push(c), { ...idle }));
    sim.setClientEndpoint({ onReply: (id) => replies.push(id) });
    sim.startAll();
    sim.submit(0, { id: 1, f: 'read', value: null, process: 0 });
    sim.submit(0, { id: 2, f: 'read', value: null, process: 1 });
    sim.run(2);
    const old = contexts[0]!;
    sim.crash(0);
    sim.restart(0);
    const fresh = contexts[1]!;
    const ok: ClientReply = { type: 'ok', value: 1 };
    old.reply(1, ok); // the dead incarnation: ignored
    fresh.reply(2, ok); // the new incarnation never received request 2: dropped
    fresh.reply(99, ok); // unknown
    sim.submit(0, { id: 3, f: 'read', value: null, process: 2 });
    sim.run(1);
    fresh.reply(3, ok);
    fresh.reply(3, ok); // answered twice: the second is dropped
    sim.run(10);
    expect(replies).toEqual([3]);
    expect(sim.stats.repliesDropped).toBe(3);
    // A dead context does nothing at all.
    old.send('n1', 'x');
    expect(old.setTimer(5, 't')).toBe(-1);
    expect(sim.network.stats.sent).toBe(0);
  });

  it('drops client requests that reach a crashed node', () => {
    const sim = harness(1, () => idle);
    sim.startAll();
    sim.crash(0);
    sim.submit(0, { id: 1, f: 'read', value: null, process: 0 });
    sim.run(5);
    expect(sim.stats.requestsDroppedDown).toBe(1);
  });

  it('reports a node that throws with the node, the incarnation and the event', () => {
    const sim = harness(1, () => ({ ...idle, onMessage: () => { throw new Error('boom'); } }));
    sim.startAll();
    sim.sendFrom(0, 'n1', 'x');
    expect(() => sim.run(5)).toThrow(/node n1 \(incarnation 1\) threw during onMessage from n1 at .*: boom/);
  });

  it('restarted nodes start from their layout role', () => {
    const sim = harness(2, (c) => ({ ...idle, onStart: () => { if (c.id === 'n1') c.setRole('leader'); } }), { roles: { n1: 'acceptor', n2: 'acceptor' } });
    sim.startAll();
    expect(sim.roleHolders(['leader'])).toEqual([0]);
    sim.crash(0);
    expect(sim.roleHolders(['leader'])).toEqual([]);
    expect(sim.host(0).role).toBeUndefined();
  });
});
