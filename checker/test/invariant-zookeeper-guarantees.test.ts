import { describe, expect, it } from 'vitest';
import { checkHistory, checkZookeeperGuarantees, historyFromOps, type InvariantResult, type ZkAnswer } from '../src/index.js';

/**
 * ZooKeeper's own guarantees, each on hand-made histories of guarantee clients: one that keeps it
 * (holds), one that breaks it (violated, naming the operations), and none exercised (unknown).
 */

type Step = { process: number; f: string; session: number; answers: ZkAnswer[]; fail?: string };

/** Each step is one operation, invoked and completed before the next. */
function history(steps: Step[]) {
  const ops = steps.flatMap((s) => [
    { process: s.process, type: 'invoke' as const, f: s.f, value: null },
    { process: s.process, type: s.fail === undefined ? ('ok' as const) : ('fail' as const), f: s.f, value: { session: s.session, answers: s.answers }, ...(s.fail !== undefined ? { error: s.fail } : {}) },
  ]);
  return historyFromOps(ops);
}

function guarantee(steps: Step[], name: string): InvariantResult {
  const r = checkZookeeperGuarantees(history(steps)).find((i) => i.name === name);
  if (r === undefined) throw new Error(`no ${name}`);
  return r;
}

const read = (path: string, data: unknown, mzxid: number, zxid: number, extra: Partial<ZkAnswer> = {}): ZkAnswer => ({ call: 'getData', path, data, mzxid, zxid, ...extra });

describe('zookeeper-multi-atomic', () => {
  const name = 'zookeeper-multi-atomic';
  it('holds when both nodes of a pair show one multi, in one step or in order', () => {
    const r = guarantee([
      { process: 0, f: 'zk-read-pair', session: 7, answers: [read('/g/p1/a', 5, 10, 12, { batch: 1 }), read('/g/p1/b', 5, 10, 12, { batch: 1 })] },
      { process: 0, f: 'zk-read-pair', session: 7, answers: [read('/g/p1/a', 5, 10, 12), read('/g/p1/b', 6, 14, 15)] },
    ], name);
    expect(r).toMatchObject({ status: 'holds', observations: 2 });
  });

  it('is violated by a one-step read of a mix, and by a b older than the a read before it', () => {
    const r = guarantee([
      { process: 0, f: 'zk-read-pair', session: 7, answers: [read('/g/p1/a', 6, 14, 15, { batch: 1 }), read('/g/p1/b', 5, 10, 15, { batch: 1 })] },
      { process: 1, f: 'zk-read-pair', session: 8, answers: [read('/g/p1/a', 6, 14, 15), read('/g/p1/b', 5, 10, 16)] },
    ], name);
    expect(r.status).toBe('violated');
    expect(r.counts).toEqual({ 'mixed-in-one-read': 1, 'mixed-in-order': 1 });
    expect(r.violations[0]!.operations).toEqual([0]);
    expect(r.violations[1]!.sentence).toContain('b is older than the multi that wrote a');
  });

  it('is unknown when no pair was read', () => {
    expect(guarantee([{ process: 0, f: 'zk-multi', session: 7, answers: [{ call: 'multi', zxid: 3 }] }], name).status).toBe('unknown');
  });
});

describe('zookeeper-single-image', () => {
  const name = 'zookeeper-single-image';
  it('holds when a session moves to a server at or past what it saw', () => {
    const r = guarantee([
      { process: 0, f: 'zk-multi', session: 7, answers: [{ call: 'multi', zxid: 20, server: 'n1' }] },
      { process: 0, f: 'zk-children', session: 7, answers: [{ call: 'connect', zxid: 20, server: 'n3' }, { call: 'getChildren', zxid: 22, server: 'n3', path: '/g/s', children: [], pzxid: 1 }] },
    ], name);
    expect(r).toMatchObject({ status: 'holds', observations: 3 });
  });

  it('is violated when the server a session moved to is behind what it saw', () => {
    const r = guarantee([
      { process: 0, f: 'zk-multi', session: 7, answers: [{ call: 'multi', zxid: 20, server: 'n1' }] },
      { process: 1, f: 'zk-multi', session: 8, answers: [{ call: 'multi', zxid: 9, server: 'n2' }] },
      { process: 0, f: 'zk-children', session: 7, answers: [{ call: 'connect', zxid: 18, server: 'n3' }] },
    ], name);
    expect(r.status).toBe('violated');
    expect(r.counts).toEqual({ 'time-went-backwards': 1 });
    expect(r.violations[0]!.operations).toEqual([0, 2]);
    expect(r.violations[0]!.sentence).toMatch(/saw zxid 20 at n1, then connect answered at zxid 18 by n3/);
  });

  it('does not count a connection loss as an answer', () => {
    const r = guarantee([
      { process: 0, f: 'zk-multi', session: 7, answers: [{ call: 'multi', zxid: 20 }, { call: 'getData', zxid: 0, error: 'ConnectionLoss' }] },
    ], name);
    expect(r.status).toBe('holds');
  });
});

describe('zookeeper-ephemeral-expiry', () => {
  const name = 'zookeeper-ephemeral-expiry';
  const children = (names: string[], zxid: number): ZkAnswer => ({ call: 'getChildren', path: '/g/e', children: names, pzxid: 1, zxid });
  it('holds when reads past the expiry no longer list the session\'s nodes (earlier ones may)', () => {
    const r = guarantee([
      { process: 0, f: 'zk-create', session: 7, answers: [{ call: 'create', zxid: 5, created: '/g/e/s7-0000000000', czxid: 5 }] },
      { process: 1, f: 'zk-children', session: 8, answers: [children(['s7-0000000000'], 8)] },
      { process: 0, f: 'zk-multi', session: 7, fail: 'SessionExpired', answers: [{ call: 'multi', zxid: 30, error: 'SessionExpired' }] },
      { process: 1, f: 'zk-children', session: 8, answers: [children(['s7-0000000000'], 25)] },
      { process: 1, f: 'zk-children', session: 8, answers: [children([], 31)] },
    ], name);
    expect(r).toMatchObject({ status: 'holds', observations: 1 });
  });

  it('is violated when a read at or past a close still lists the closed session\'s node', () => {
    const r = guarantee([
      { process: 0, f: 'zk-close', session: 7, answers: [{ call: 'closeSession', zxid: 30 }] },
      { process: 1, f: 'zk-children', session: 8, answers: [children(['s7-0000000000', 's8-0000000001'], 31)] },
    ], name);
    expect(r.status).toBe('violated');
    expect(r.counts).toEqual({ 'ephemeral-outlived-session': 1 });
    expect(r.violations[0]!.operations).toEqual([0, 1]);
    expect(r.violations[0]!.sentence).toContain('session 7 was closed');
  });

  it('is unknown when no session was seen ending', () => {
    expect(guarantee([{ process: 1, f: 'zk-children', session: 8, answers: [children([], 3)] }], name).status).toBe('unknown');
  });
});

describe('zookeeper-sequential-names', () => {
  const name = 'zookeeper-sequential-names';
  const create = (path: string, czxid: number): ZkAnswer => ({ call: 'create', zxid: czxid, created: path, czxid });
  it('holds when counters increase in commit order across clients', () => {
    const r = guarantee([
      { process: 0, f: 'zk-create', session: 7, answers: [create('/g/s/n-0000000000', 4)] },
      { process: 1, f: 'zk-create', session: 8, answers: [create('/g/s/n-0000000001', 6)] },
      { process: 0, f: 'zk-create', session: 7, answers: [create('/g/s/n-0000000003', 9)] },
    ], name);
    expect(r).toMatchObject({ status: 'holds', observations: 3 });
  });

  it('is violated by a name given twice and by a counter that goes down in commit order', () => {
    const r = guarantee([
      { process: 0, f: 'zk-create', session: 7, answers: [create('/g/s/n-0000000001', 4)] },
      { process: 1, f: 'zk-create', session: 8, answers: [create('/g/s/n-0000000001', 6)] },
      { process: 2, f: 'zk-create', session: 9, answers: [create('/g/s/n-0000000000', 8)] },
    ], name);
    expect(r.status).toBe('violated');
    expect(r.counts['duplicate-name']).toBe(1);
    expect(r.counts['name-not-increasing']).toBe(1);
  });
});

describe('zookeeper-watches', () => {
  const name = 'zookeeper-watches';
  const event = (path: string, type = 'NodeDataChanged') => ({ type, path });
  it('holds when the event comes before (or with) the first read that shows the change', () => {
    const r = guarantee([
      { process: 0, f: 'zk-read-pair', session: 7, answers: [read('/g/p1/a', 1, 4, 4, { watch: 'data' })] },
      { process: 0, f: 'zk-read-pair', session: 7, answers: [read('/g/p1/a', 2, 9, 9, { events: [event('/g/p1/a')] })] },
    ], name);
    expect(r).toMatchObject({ status: 'holds', observations: 1 });
  });

  it('is violated by a read that shows the change before its event', () => {
    const r = guarantee([
      { process: 0, f: 'zk-read-pair', session: 7, answers: [read('/g/p1/a', 1, 4, 4, { watch: 'data' })] },
      { process: 0, f: 'zk-read-pair', session: 7, answers: [read('/g/p1/a', 2, 9, 9)] },
      { process: 0, f: 'zk-read-pair', session: 7, answers: [{ call: 'connect', zxid: 10, events: [event('/g/p1/a')] }] },
    ], name);
    expect(r.status).toBe('violated');
    expect(r.counts).toEqual({ 'result-before-event': 1, 'event-without-watch': 1 });
    expect(r.violations[0]!.operations).toEqual([0, 1]);
  });

  it('is violated by a watch that fires twice', () => {
    const r = guarantee([
      { process: 0, f: 'zk-children', session: 7, answers: [{ call: 'getChildren', path: '/g/s', children: [], pzxid: 2, zxid: 3, watch: 'child' }] },
      { process: 0, f: 'zk-children', session: 7, answers: [{ call: 'connect', zxid: 5, events: [event('/g/s', 'NodeChildrenChanged'), event('/g/s', 'NodeChildrenChanged')] }] },
    ], name);
    expect(r.status).toBe('violated');
    expect(r.counts).toEqual({ 'event-without-watch': 1 });
  });
});

describe('zookeeper guarantees in a report', () => {
  it('are left out of a history without guarantee clients, and kept off the kv checks when present', async () => {
    const kv = [
      { process: 0, type: 'invoke' as const, f: 'write', value: ['/a', 1] },
      { process: 0, type: 'ok' as const, f: 'write', value: ['/a', 1] },
    ];
    const plain = await checkHistory(historyFromOps(kv), { model: 'znode', init: null, levels: true });
    expect(plain.invariants?.map((i) => i.name)).toEqual(['zookeeper-writes']);
    const mixed = await checkHistory(historyFromOps([
      ...kv,
      { process: 1, type: 'invoke', f: 'zk-multi', value: null },
      { process: 1, type: 'ok', f: 'zk-multi', value: { session: 7, answers: [{ call: 'multi', zxid: 20 }] } },
      { process: 1, type: 'invoke', f: 'zk-multi', value: null },
      { process: 1, type: 'ok', f: 'zk-multi', value: { session: 7, answers: [{ call: 'multi', zxid: 19 }] } },
      { process: 0, type: 'invoke' as const, f: 'read', value: ['/a', null] },
      { process: 0, type: 'ok' as const, f: 'read', value: ['/a', 1] },
    ]), { model: 'znode', init: null, levels: true });
    expect(mixed.consistency?.strongest).toBe('strong');
    expect(mixed.invariants?.map((i) => [i.name, i.status])).toEqual([
      ['zookeeper-writes', 'holds'],
      ['zookeeper-multi-atomic', 'unknown'],
      ['zookeeper-single-image', 'violated'],
      ['zookeeper-ephemeral-expiry', 'unknown'],
      ['zookeeper-sequential-names', 'unknown'],
      ['zookeeper-watches', 'unknown'],
    ]);
    expect(mixed.invariants?.[2]!.violations[0]!.operations).toEqual([1, 2]);
    expect(mixed.verdict.outcome).toBe('violated');
    expect(mixed.verdict.summary).toContain('zookeeper-single-image invariant violated (1 time-went-backwards)');
  });
});
