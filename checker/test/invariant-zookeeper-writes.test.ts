import { describe, expect, it } from 'vitest';
import { checkHistory, historyFromOps } from '../src/index.js';

/**
 * ZooKeeper promises linearizable writes, and no more for plain reads: a stale read at a follower
 * breaks linearizability but not the `zookeeper-writes` invariant; a write lost or reordered breaks it.
 */

type Raw = { process: number; type: 'invoke' | 'ok' | 'fail' | 'info'; f: string; value: unknown };

function check(ops: Raw[]) {
  return checkHistory(historyFromOps(ops.map((o, i) => ({ ...o, time: i }))), { model: 'znode', init: null, levels: true });
}

describe('zookeeper-writes invariant', () => {
  it('holds under a stale follower read, which is reported as not linearizable but sequential', async () => {
    const r = await check([
      { process: 0, type: 'invoke', f: 'write', value: ['/a', 1] },
      { process: 0, type: 'ok', f: 'write', value: ['/a', 1] },
      { process: 0, type: 'invoke', f: 'write', value: ['/a', 2] },
      { process: 0, type: 'ok', f: 'write', value: ['/a', 2] },
      { process: 1, type: 'invoke', f: 'read', value: ['/a', null] },
      { process: 1, type: 'ok', f: 'read', value: ['/a', 1] },
    ]);
    expect(r.linearizability?.outcome ?? r.consistency?.levels.find((l) => l.level === 'strong')?.status).toMatch(/illegal|violated/);
    expect(r.consistency?.levels.find((l) => l.level === 'sequential')?.status).toBe('holds');
    const inv = r.invariants?.find((i) => i.name === 'zookeeper-writes');
    expect(inv).toMatchObject({ status: 'holds', observations: 2 });
  });

  it('is violated when a conditional write acts on a value already replaced (a lost write)', async () => {
    const r = await check([
      { process: 0, type: 'invoke', f: 'write', value: ['/a', 1] },
      { process: 0, type: 'ok', f: 'write', value: ['/a', 1] },
      { process: 0, type: 'invoke', f: 'write', value: ['/a', 2] },
      { process: 0, type: 'ok', f: 'write', value: ['/a', 2] },
      { process: 1, type: 'invoke', f: 'cas', value: ['/a', [1, 3]] },
      { process: 1, type: 'ok', f: 'cas', value: ['/a', [1, 3]] },
    ]);
    const inv = r.invariants?.find((i) => i.name === 'zookeeper-writes');
    expect(inv?.status).toBe('violated');
    expect(inv?.violations[0]?.sentence).toContain('/a');
    expect(r.verdict.outcome).toBe('violated');
    expect(r.verdict.summary).toContain('zookeeper-writes invariant violated');
  });
});
