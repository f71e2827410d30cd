import { describe, expect, it } from 'vitest';
import type { NodeFactory } from '../src/sim/node-context.js';
import threePhaseCommit from '../src/protocols/three-phase-commit/index.js';
import { THREE_PC_DEFAULTS } from '../src/protocols/three-phase-commit/params.js';
import { FakeCluster, type InFlight } from './support/fake-node-context.js';

/** c1 and two participants: key 0 lives on p1, key 1 on p2. */
function cluster(params?: Record<string, number>): FakeCluster {
  const layout = threePhaseCommit.cluster({ nodes: 2 });
  const factories: Record<string, NodeFactory> = {};
  for (const id of layout.nodes) factories[id] = threePhaseCommit.node(id, { layout, params });
  return new FakeCluster(factories);
}

const isType = (...types: string[]) => (m: InFlight) => types.includes((m.message as { type: string }).type);
const transfer = (a: string, b: string) => [['append', 0, a], ['append', 1, b], ['r', 0, null], ['r', 1, null]];
const finalRead = (c: FakeCluster, node: string, key: number) => c.replies.get(c.request(node, 'txn', [['r', key, null]]));
const { canCommitTimeoutMs, preCommitTimeoutMs, preCommitAckTimeoutMs, retryMs } = THREE_PC_DEFAULTS;

describe('3pc nodes', () => {
  it('commits through CanCommit, PreCommit and DoCommit and returns the reads', () => {
    const c = cluster();
    expect(c.role('c1')).toBe('coordinator');
    const id = c.request('c1', 'txn', transfer('a', 'b'));
    c.deliver(isType('3pc/can-commit', '3pc/vote'));
    // CanCommit locks and logs the yes vote (a promise a crash must not break); no list is written yet.
    expect(c.traceOf('p1', 'persist').map((p) => p.key).filter((k) => k.startsWith('rm/kv/'))).toEqual([]);
    expect(c.traceOf('p1', 'persist').some((p) => (p.value as { state?: string; voted?: boolean }).state === 'locked' && (p.value as { voted?: boolean }).voted === true)).toBe(true);
    c.deliver();
    expect(c.replies.get(id)).toEqual({ type: 'ok', value: [['append', 0, 'a'], ['append', 1, 'b'], ['r', 0, ['a']], ['r', 1, ['b']]] });
    expect(finalRead(c, 'p2', 1)).toEqual({ type: 'ok', value: [['r', 1, ['b']]] });
    const coord = c.traceOf('c1', 'persist').map((p) => p.value as { preCommitted?: boolean; decision?: string });
    expect(coord.some((r) => r.preCommitted === true && r.decision === undefined)).toBe(true);
  });

  it('a no vote fails the transaction at once and releases the other participant', () => {
    const c = cluster();
    c.request('c1', 'txn', [['append', 1, 'x']]);
    c.deliver(isType('3pc/can-commit', '3pc/vote'));
    const t2 = c.request('c1', 'txn', transfer('a', 'b'));
    c.deliver((m) => (m.message as { txn: string }).txn.endsWith('.2'));
    expect(c.replies.get(t2)).toMatchObject({ type: 'fail', error: expect.stringMatching(/^lock-conflict/) });
    const t3 = c.request('c1', 'txn', [['append', 0, 'c']]);
    c.deliver();
    expect(c.replies.get(t3)).toMatchObject({ type: 'ok' });
  });

  it('a coordinator crash before PreCommit does not block: participants abort on their timeout', () => {
    const c = cluster();
    c.request('c1', 'txn', transfer('a', 'b'));
    c.deliver(isType('3pc/can-commit'));
    c.crash('c1');
    c.advance(canCommitTimeoutMs);
    expect(c.trace.some((t) => t.kind === 'log' && t.message.startsWith('3pc participant aborts alone'))).toBe(true);
    c.restart('c1');
    const next = c.request('c1', 'txn', transfer('c', 'd'));
    c.deliver();
    expect(c.replies.get(next)).toEqual({ type: 'ok', value: [['append', 0, 'c'], ['append', 1, 'd'], ['r', 0, ['c']], ['r', 1, ['d']]] });
  });

  it('a coordinator crash after PreCommit does not block: participants commit on their timeout, atomically', () => {
    const c = cluster();
    c.request('c1', 'txn', transfer('a', 'b'));
    c.deliver(isType('3pc/can-commit', '3pc/vote', '3pc/pre-commit'));
    c.crash('c1');
    c.advance(preCommitTimeoutMs);
    expect(finalRead(c, 'p1', 0)).toEqual({ type: 'ok', value: [['r', 0, ['a']]] });
    expect(finalRead(c, 'p2', 1)).toEqual({ type: 'ok', value: [['r', 1, ['b']]] });
    c.restart('c1');
    c.deliver();
    expect(c.storage('c1').get('coord/open')).toEqual([]);
    expect(c.trace.some((t) => t.kind === 'log' && t.message.startsWith('3pc participant outcome differs'))).toBe(false);
  });

  it('a partition after PreCommit reached only one side commits there and aborts on the other side', () => {
    const c = cluster();
    const t = c.request('c1', 'txn', transfer('a', 'b'));
    c.deliver(isType('3pc/can-commit', '3pc/vote'));
    c.deliver((m) => isType('3pc/pre-commit')(m) && m.to === 'p1');
    c.partition(['p1'], ['c1', 'p2']); // p1's acknowledgement and p2's PreCommit are lost
    c.advance(preCommitAckTimeoutMs + preCommitTimeoutMs);
    expect(finalRead(c, 'p1', 0)).toEqual({ type: 'ok', value: [['r', 0, ['a']]] });
    expect(finalRead(c, 'p2', 1)).toEqual({ type: 'ok', value: [['r', 1, []]] });
    expect(c.replies.has(t)).toBe(false);
    c.heal();
    c.advance(retryMs);
    // The coordinator learns that p1 committed against its abort: the outcome is indeterminate.
    expect(c.replies.get(t)).toMatchObject({ type: 'info', error: expect.stringMatching(/^mixed-outcome/) });
  });

  it('answers ok with the reads when every participant committed alone against an abort', () => {
    const c = cluster();
    const t = c.request('c1', 'txn', transfer('a', 'b'));
    c.deliver(isType('3pc/can-commit', '3pc/vote', '3pc/pre-commit'));
    c.partition(['c1'], ['p1', 'p2']); // both acknowledgements are lost; the coordinator aborts
    c.advance(preCommitTimeoutMs);
    c.heal();
    c.advance(retryMs);
    // The acknowledgements of the abort say "committed" and carry the reads the lost ones had.
    expect(c.replies.get(t)).toEqual({ type: 'ok', value: [['append', 0, 'a'], ['append', 1, 'b'], ['r', 0, ['a']], ['r', 1, ['b']]] });
  });

  it('refuses a PreCommit for a share it already aborted alone, and the coordinator aborts', () => {
    // p1 gives up waiting for PreCommit well before p2 would commit alone after it.
    const c = cluster({ canCommitTimeoutMs: preCommitTimeoutMs / 2, preCommitAckTimeoutMs: 2 * preCommitTimeoutMs });
    const t = c.request('c1', 'txn', transfer('a', 'b'));
    c.deliver(isType('3pc/can-commit', '3pc/vote'));
    const toP1 = (m: InFlight) => m.to === 'p1';
    c.deliver((m) => !toP1(m)); // p2 pre-commits; p1's PreCommit is delayed past its timeout
    c.advance(preCommitTimeoutMs / 2, false);
    expect(c.trace.some((e) => e.kind === 'log' && e.node === 'p1' && e.message.startsWith('3pc participant aborts alone'))).toBe(true);
    c.deliver();
    expect(c.traceOf('p1', 'send').some((e) => (e.message as { type: string; ok?: boolean }).type === '3pc/pre-commit-ack' && !(e.message as { ok: boolean }).ok)).toBe(true);
    expect(c.replies.get(t)).toMatchObject({ type: 'fail', error: expect.stringMatching(/already aborted/) });
    expect(finalRead(c, 'p2', 1)).toEqual({ type: 'ok', value: [['r', 1, []]] });
  });

  it('a restarted participant keeps its pre-committed share and follows the decision', () => {
    const c = cluster();
    const t = c.request('c1', 'txn', transfer('a', 'b'));
    c.deliver(isType('3pc/can-commit', '3pc/vote', '3pc/pre-commit', '3pc/pre-commit-ack'));
    c.drop((m) => m.to === 'p1');
    c.restart('p1');
    c.advance(retryMs);
    expect(c.replies.get(t)).toMatchObject({ type: 'ok' });
    expect(finalRead(c, 'p1', 0)).toEqual({ type: 'ok', value: [['r', 0, ['a']]] });
  });

  it('a participant that crashed after voting yes keeps its vote and commits with a coordinator recovered after PreCommit (issue 10)', () => {
    const c = cluster();
    c.request('c1', 'txn', transfer('a', 'b'));
    c.deliver(isType('3pc/can-commit', '3pc/vote'));
    c.drop((m) => isType('3pc/pre-commit')(m) && m.to === 'p1');
    c.crash('c1');
    c.deliver(); // p2 pre-commits; its acknowledgement reaches no one
    c.restart('p1'); // p1 had only voted yes: it keeps the share locked and asks the coordinator
    c.advance(preCommitTimeoutMs); // p2 commits alone meanwhile; p1 must not abort alone
    c.restart('c1'); // the log says PreCommit went out, so the recovering coordinator commits
    c.advance(retryMs);
    expect(finalRead(c, 'p1', 0)).toEqual({ type: 'ok', value: [['r', 0, ['a']]] });
    expect(finalRead(c, 'p2', 1)).toEqual({ type: 'ok', value: [['r', 1, ['b']]] });
    expect(c.traceOf('p1', 'send').some((e) => (e.message as { type: string; outcome?: string }).type === '3pc/ack' && (e.message as { outcome: string }).outcome === 'committed')).toBe(true);
    expect(c.storage('c1').get('coord/open')).toEqual([]);
    // Nothing is re-sent once every participant has answered.
    const sent = c.traceOf('c1', 'send').length;
    c.advance(10 * retryMs);
    expect(c.traceOf('c1', 'send').length).toBe(sent);
  });

  it('a participant restarted after voting yes, before PreCommit, keeps its vote: the transaction commits', () => {
    const c = cluster();
    const t = c.request('c1', 'txn', transfer('a', 'b'));
    c.deliver(isType('3pc/can-commit'));
    c.restart('p1');
    c.deliver();
    c.advance(retryMs);
    expect(c.replies.get(t)).toMatchObject({ type: 'ok' });
    expect(finalRead(c, 'p1', 0)).toEqual({ type: 'ok', value: [['r', 0, ['a']]] });
    expect(finalRead(c, 'p2', 1)).toEqual({ type: 'ok', value: [['r', 1, ['b']]] });
  });

  it('a participant back from a crash asks about a transaction it voted for, and the coordinator answers the logged abort', () => {
    const c = cluster();
    const t = c.request('c1', 'txn', transfer('a', 'b'));
    c.deliver(isType('3pc/can-commit'));
    c.drop((m) => isType('3pc/vote')(m) && m.from === 'p1');
    c.crash('p1');
    c.advance(canCommitTimeoutMs); // the coordinator's vote timeout aborts; p1 is down and misses the Abort
    expect(c.replies.get(t)).toMatchObject({ type: 'fail' });
    c.restart('p1'); // still locked by its logged vote: it asks, and the log answers abort
    c.advance(retryMs);
    const next = c.request('c1', 'txn', [['append', 0, 'c']]);
    c.advance(retryMs);
    expect(c.replies.get(next)).toMatchObject({ type: 'ok' });
    expect(finalRead(c, 'p1', 0)).toEqual({ type: 'ok', value: [['r', 0, ['c']]] });
  });
});
