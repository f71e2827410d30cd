import { describe, expect, it } from 'vitest';
import type { NodeFactory } from '../src/sim/node-context.js';
import type { ProtocolDefinition } from '../src/protocols/protocol.js';
import { paxosProtocol } from '../src/protocols/paxos/index.js';
import threePhaseCommit from '../src/protocols/three-phase-commit/index.js';
import twoPhaseCommit from '../src/protocols/two-phase-commit/index.js';
import { FakeCluster, type InFlight } from './support/fake-node-context.js';
import { ask, paxosCluster } from './support/paxos-harness.js';

/**
 * The protocol events nodes announce with ctx.mark, for a nemesis to be armed on: each at its
 * instant, only for the transactions whose atomicity is at stake (writes at two participants),
 * and every one listed in the protocol's `marks`.
 */

/** c1 and two participants: key 0 lives on p1, key 1 on p2. */
function cluster(def: ProtocolDefinition): FakeCluster {
  const layout = def.cluster({ nodes: 2 });
  const factories: Record<string, NodeFactory> = {};
  for (const id of layout.nodes) factories[id] = def.node(id, { layout });
  return new FakeCluster(factories);
}

const isType = (...types: string[]) => (m: InFlight) => types.includes((m.message as { type: string }).type);
const marks = (c: FakeCluster) => c.trace.filter((t) => t.kind === 'mark').map((t) => (t.kind === 'mark' ? `${t.node} ${t.event}${t.peer !== undefined ? ` ${t.peer}` : ''}` : ''));
const twoWriters = [['append', 0, 'a'], ['append', 1, 'b']];
const oneWriter = [['append', 0, 'a'], ['r', 1, null]];

describe('protocol marks', () => {
  it('2pc: the coordinator marks prepare-sent as it sends a two-writer transaction\'s prepares; each writing participant marks prepared, naming its coordinator, as it votes yes', () => {
    const c = cluster(twoPhaseCommit);
    c.request('c1', 'txn', twoWriters);
    expect(marks(c)).toEqual(['c1 prepare-sent']);
    c.deliver(isType('2pc/prepare'));
    expect(marks(c)).toEqual(['c1 prepare-sent', 'p1 prepared c1', 'p2 prepared c1']);
    c.deliver();
    const single = cluster(twoPhaseCommit);
    single.request('c1', 'txn', oneWriter);
    single.deliver();
    expect(marks(single)).toEqual(['p1 prepared c1']);
  });

  it('3pc: the coordinator marks pre-commit-sent with a two-writer transaction\'s PreCommit; participants mark pre-committed once, as they execute it', () => {
    const c = cluster(threePhaseCommit);
    c.request('c1', 'txn', twoWriters);
    c.deliver(isType('3pc/can-commit', '3pc/vote'));
    expect(marks(c)).toEqual(['c1 pre-commit-sent']);
    const precommits = c.inFlight.filter(isType('3pc/pre-commit')).map((m) => ({ ...m }));
    c.deliver(isType('3pc/pre-commit'));
    for (const m of precommits) c.inFlight.push(m); // a re-sent PreCommit marks nothing new
    c.deliver(isType('3pc/pre-commit'));
    expect(marks(c)).toEqual(['c1 pre-commit-sent', 'p1 pre-committed c1', 'p2 pre-committed c1']);
    const single = cluster(threePhaseCommit);
    single.request('c1', 'txn', oneWriter);
    single.deliver();
    expect(marks(single)).toEqual(['p1 pre-committed c1']);
  });

  it('paxos: the leader marks chosen as it answers a write that changed the store, not a read or a failed cas', () => {
    const c = paxosCluster();
    const leader = c.leaders()[0]!;
    const count = () => c.marks.filter((m) => m.event === 'chosen').length;
    expect(ask(c, leader, 'write', ['x', 1])).toMatchObject({ type: 'ok' });
    expect(c.marks.filter((m) => m.event === 'chosen').map((m) => m.node)).toEqual([leader]);
    ask(c, leader, 'read', ['x', null]);
    expect(ask(c, leader, 'cas', ['x', [7, 8]])).toMatchObject({ type: 'fail' });
    expect(count()).toBe(1);
    ask(c, c.ids.find((id) => id !== leader)!, 'cas', ['x', [1, 2]]);
    expect(count()).toBe(2);
  });

  it('every mark a node makes is listed, with its meaning, in its protocol\'s marks', () => {
    expect(Object.keys(twoPhaseCommit.marks ?? {})).toEqual(['prepare-sent', 'prepared']);
    expect(Object.keys(threePhaseCommit.marks ?? {})).toEqual(['pre-commit-sent', 'pre-committed']);
    expect(Object.keys(paxosProtocol.marks ?? {})).toEqual(['chosen']);
    for (const def of [twoPhaseCommit, threePhaseCommit, paxosProtocol]) {
      for (const meaning of Object.values(def.marks ?? {})) expect(meaning.length).toBeGreaterThan(40);
    }
  });
});
