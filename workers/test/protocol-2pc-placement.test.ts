import { describe, expect, it } from 'vitest';
import threePhaseCommit from '../src/protocols/three-phase-commit/index.js';
import twoPhaseCommit from '../src/protocols/two-phase-commit/index.js';
import { keyPlacement, ownerOf } from '../src/protocols/shared/key-placement.js';
import { parseTxn } from '../src/protocols/shared/list-append.js';
import { lockRequests } from '../src/protocols/shared/lock-table.js';

describe('2pc/3pc cluster, key placement and final reads', () => {
  it('lays out coordinators c1, c2 and participants p1..pN with their roles; clients enter at either coordinator', () => {
    for (const protocol of [twoPhaseCommit, threePhaseCommit]) {
      const layout = protocol.cluster({ nodes: 3 });
      expect(layout.nodes).toEqual(['c1', 'c2', 'p1', 'p2', 'p3']);
      expect(layout.roles).toEqual({ c1: 'coordinator', c2: 'coordinator', p1: 'participant', p2: 'participant', p3: 'participant' });
      expect(protocol.entryNodes(layout)).toEqual(['c1', 'c2']);
      expect(protocol.workload).toBe('txn');
    }
    expect(twoPhaseCommit.cluster({}).nodes).toHaveLength(5);
  });

  it('places integer key k on participant (k mod N) + 1, and other keys by a stable hash', () => {
    const ps = ['p1', 'p2', 'p3'];
    expect([0, 1, 2, 3, 4, 5].map((k) => ownerOf(k, ps))).toEqual(['p1', 'p2', 'p3', 'p1', 'p2', 'p3']);
    const strings = ['x', 'y', 'account-7', '1'];
    expect(strings.map((k) => ownerOf(k, ps))).toEqual(strings.map((k) => ownerOf(k, ps)));
    expect(new Set(Array.from({ length: 30 }, (_, i) => ownerOf(`k${i}`, ps))).size).toBe(3);
    expect(keyPlacement([0, 1, 3, 'x'], ps).get('p1')).toEqual(expect.arrayContaining([0, 3]));
  });

  it('sends one final read per key to the participant that owns it', () => {
    const layout = twoPhaseCommit.cluster({ nodes: 2 });
    expect(twoPhaseCommit.finalReads!(layout, [0, 1, 2])).toEqual([
      { node: 'p1', f: 'txn', value: [['r', 0, null]] },
      { node: 'p1', f: 'txn', value: [['r', 2, null]] },
      { node: 'p2', f: 'txn', value: [['r', 1, null]] },
    ]);
  });

  it('accepts append and read micro-ops only', () => {
    expect(parseTxn([['append', 1, 5], ['r', 'a', null]])).toEqual([['append', 1, 5], ['r', 'a', null]]);
    expect(parseTxn('nope')).toMatchObject({ error: expect.any(String) });
    expect(parseTxn([['w', 1, 2]])).toMatchObject({ error: expect.stringContaining('only append and r') });
    expect(parseTxn([['r', { k: 1 }, null]])).toMatchObject({ error: expect.any(String) });
  });

  it('asks one lock per key: exclusive if the key is appended anywhere in the share', () => {
    expect(lockRequests([['r', 1, null], ['append', 1, 'a'], ['r', 2, null]])).toEqual([{ key: 1, mode: 'X' }, { key: 2, mode: 'S' }]);
  });
});
