import { describe, expect, it } from 'vitest';
import type { NodeContext } from '../src/sim/node-context.js';
import { AntiEntropy } from '../src/protocols/eventual/anti-entropy.js';
import { HintedHandoff } from '../src/protocols/eventual/hinted-handoff.js';
import type { EventualMessage } from '../src/protocols/eventual/messages.js';
import { MerkleTree, LEAVES, leafOf } from '../src/protocols/eventual/merkle.js';
import { ReplicaStore } from '../src/protocols/eventual/replica-store.js';
import { eventualParams } from '../src/protocols/eventual/params.js';
import { targetsFor } from '../src/protocols/eventual/quorum.js';
import { Ring } from '../src/protocols/eventual/ring.js';
import { LWW, SIBLINGS, compareVv, BEFORE, CONCURRENT, type Version } from '../src/protocols/eventual/versions.js';

/** The eventual store's pure parts: ring placement, quorum targets, version reconciliation, Merkle trees. */

describe('the ring', () => {
  const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];
  it('places every key on N distinct replicas, the same on every node and in every run', () => {
    const a = new Ring(nodes, 16);
    const b = new Ring(nodes, 16);
    for (let key = 0; key < 200; key++) {
      const pref = a.preference(key);
      expect([...pref].sort()).toEqual([0, 1, 2, 3, 4]);
      expect(b.preference(key)).toEqual(pref);
      expect(a.replicas(key, 3)).toEqual(pref.slice(0, 3));
    }
    // Pinned down: placement is part of what a seed replays.
    expect(a.replicas(5, 3)).toEqual([3, 2, 0]);
  });

  it('spreads keys: every node is a replica of some and no node of nearly all', () => {
    const ring = new Ring(nodes, 16);
    const count = new Array<number>(5).fill(0);
    for (let key = 0; key < 1_000; key++) for (const i of ring.replicas(key, 3)) count[i]!++;
    for (const c of count) expect(c).toBeGreaterThan(300);
    for (const c of count) expect(c).toBeLessThan(900);
  });
});

describe('quorum targets', () => {
  const pref = [2, 0, 4, 1, 3];
  it('strict: the N replicas, reachable or not', () => {
    expect(targetsFor(pref, 3, false, (n) => n !== 0)).toEqual([{ node: 2, hintFor: -1 }, { node: 0, hintFor: -1 }, { node: 4, hintFor: -1 }]);
  });

  it('sloppy: the first N nodes believed up, a stand-in holding a hint for each replica down', () => {
    expect(targetsFor(pref, 3, true, () => true)).toEqual([{ node: 2, hintFor: -1 }, { node: 0, hintFor: -1 }, { node: 4, hintFor: -1 }]);
    expect(targetsFor(pref, 3, true, (n) => n !== 0 && n !== 4)).toEqual([{ node: 2, hintFor: -1 }, { node: 1, hintFor: 0 }, { node: 3, hintFor: 4 }]);
    // Alone on its side of a partition, a node still takes the write (for a replica, with a hint).
    expect(targetsFor(pref, 3, true, (n) => n === 3)).toEqual([{ node: 3, hintFor: 2 }]);
  });
});

describe('last writer wins', () => {
  const v = (value: number, ms: number, node: number): Version => ({ value, ms, node });
  it('keeps the highest (timestamp, node), whatever the order of arrival', () => {
    expect(LWW.merge([v(1, 10, 0)], [v(2, 9, 4)])).toEqual([v(1, 10, 0)]);
    expect(LWW.merge([v(2, 9, 4)], [v(1, 10, 0)])).toEqual([v(1, 10, 0)]);
    expect(LWW.merge([v(1, 10, 0)], [v(2, 10, 1)])).toEqual([v(2, 10, 1)]);
    expect(LWW.covers([v(1, 10, 0)], [v(2, 9, 4)])).toBe(true);
    expect(LWW.covers([v(2, 9, 4)], [v(1, 10, 0)])).toBe(false);
  });

  it('stamps a coordinator\'s writes strictly increasing, even when its clock stands still or steps back', () => {
    expect(LWW.nextStamp([], 0, 100, 0)).toBe(100);
    expect(LWW.nextStamp([], 0, 100, 100)).toBeGreaterThan(100);
    expect(LWW.nextStamp([], 0, 90, 100)).toBeGreaterThan(100);
  });
});

describe('version vectors with siblings', () => {
  const v = (value: number, vv: number[]): Version => ({ value, node: 0, vv });
  it('orders vectors, and keeps concurrent versions as siblings', () => {
    expect(compareVv([1, 0], [1, 1])).toBe(BEFORE);
    expect(compareVv([2, 0], [1, 1])).toBe(CONCURRENT);
    const merged = SIBLINGS.merge([v(1, [1, 0, 0])], [v(2, [0, 1, 0])]);
    expect(SIBLINGS.answer(merged)).toEqual([1, 2]);
    expect(SIBLINGS.merge(merged, [v(3, [1, 1, 1])])).toEqual([v(3, [1, 1, 1])]);
    // The same version twice is one sibling.
    expect(SIBLINGS.merge([v(1, [1, 0, 0])], [v(1, [1, 0, 0])])).toEqual([v(1, [1, 0, 0])]);
  });

  it('makes a new write descend from every version its coordinator holds, with a counter never reused', () => {
    const context = [v(1, [2, 0, 0]), v(2, [0, 3, 0])];
    const stamp = SIBLINGS.nextStamp(context, 1, 0, 7);
    expect(stamp).toBe(8);
    const w = SIBLINGS.create(context, 9, 1, stamp, 3);
    expect(w.vv).toEqual([2, 8, 0]);
    expect(SIBLINGS.merge(context, [w])).toEqual([w]);
    expect(SIBLINGS.nextStamp([v(1, [0, 12, 0])], 1, 0, 7)).toBe(13);
  });
});

describe('Merkle trees', () => {
  const entries = (n: number, changed = -1) => Array.from({ length: n }, (_, i) => ({ name: String(i), digest: i === changed ? 'other' : `d${i}` }));
  it('have equal roots for equal contents, whatever the order, and differ down to the leaf that differs', () => {
    const a = new MerkleTree(entries(40));
    const b = new MerkleTree([...entries(40)].reverse());
    expect(a.hash(0, 0)).toBe(b.hash(0, 0));
    const c = new MerkleTree(entries(40, 7));
    expect(c.hash(0, 0)).not.toBe(a.hash(0, 0));
    const leaf = leafOf('7');
    expect(c.hash(3, leaf)).not.toBe(a.hash(3, leaf));
    for (let i = 0; i < LEAVES; i++) if (i !== leaf) expect(c.hash(3, i)).toBe(a.hash(3, i));
  });
});

describe('params', () => {
  it('refuse impossible quorums and unknown names, naming them', () => {
    expect(() => eventualParams({ r: 4 })).toThrow('eventual: r (4) must be at most n (3)');
    expect(() => eventualParams({ n: 6 }, 5)).toThrow("n (6) must be at most the cluster's 5 nodes");
    expect(() => eventualParams({ siblings: 2 })).toThrow('siblings must be 0 or 1');
    expect(() => eventualParams({ quorum: 2 })).toThrow(/unknown param "quorum"/);
  });
});

describe('anti-entropy', () => {
  /** Two replicas of every key, wired to each other directly: a round delivers messages until none is left. */
  function pair(batchMax: number) {
    const stores = [0, 1].map(() => {
      const mem = new Map<string, unknown>();
      return new ReplicaStore({ persist: (k: string, v: unknown) => mem.set(k, structuredClone(v)), load: (k: string) => mem.get(k) } as unknown as NodeContext, LWW);
    });
    const queue: [number, number, EventualMessage][] = [];
    const ae = [0, 1].map((self) => new AntiEntropy({ self, nodes: 2, replicasOf: () => [0, 1], up: () => true, send: (to, m) => queue.push([self, to, m]) }, stores[self]!, LWW, batchMax));
    const round = (): number => {
      ae[0]!.round();
      let messages = 0;
      for (let m = queue.shift(); m !== undefined && messages < 100; m = queue.shift(), messages++) {
        const [from, to, message] = m;
        if (message.type === 'ae-tree') ae[to]!.onTree(from, message);
        else if (message.type === 'ae-keys') ae[to]!.onKeys(from, message);
      }
      return messages;
    };
    return { stores, round };
  }

  it('brings a replica level with its peer in one exchange, and then says nothing but the root', () => {
    const { stores, round } = pair(64);
    for (let k = 0; k < 30; k++) stores[0]!.apply(k, [{ value: k, ms: k, node: 0 }]);
    round();
    for (let k = 0; k < 30; k++) expect(stores[1]!.get(k)).toEqual([{ value: k, ms: k, node: 0 }]);
    expect(round()).toBe(1);
  });

  it('ships more differing keys than a message carries over successive rounds, even under one leaf', () => {
    const { stores, round } = pair(2);
    const sameLeaf: number[] = [];
    for (let k = 0; sameLeaf.length < 7; k++) if (leafOf(String(k)) === leafOf('0')) sameLeaf.push(k);
    for (const k of sameLeaf) stores[0]!.apply(k, [{ value: k, ms: 1, node: 0 }]);
    for (let r = 0; r < 6; r++) round();
    for (const k of sameLeaf) expect(stores[1]!.get(k), `key ${k}`).toEqual([{ value: k, ms: 1, node: 0 }]);
  });
});

describe('hinted handoff', () => {
  it('hands each hint to its replica once that replica is up, and forgets it on the acknowledgement', () => {
    const mem = new Map<string, unknown>();
    const store = new ReplicaStore({ persist: (k: string, v: unknown) => mem.set(k, structuredClone(v)), load: (k: string) => mem.get(k) } as unknown as NodeContext, LWW);
    for (const target of [1, 2, 3]) store.hint(target, `k${target}`, [{ value: target, ms: 1, node: 0 }]);
    const sent: number[] = [];
    let up = new Set([2, 3]);
    const handoff = new HintedHandoff({ up: (n) => up.has(n), send: (to) => sent.push(to), replicates: () => true }, store, LWW, 1);
    // One hint per round; acknowledgements lost: the rounds still take turns.
    for (let r = 0; r < 4; r++) handoff.round();
    expect(sent).toEqual([2, 3, 2, 3]);
    up = new Set([1, 2, 3]);
    handoff.round();
    expect(sent.at(-1)).toBe(1);
    handoff.onAck(1, { type: 'handoff-ack', key: 'k1', digest: LWW.digest([{ value: 1, ms: 1, node: 0 }]) });
    expect(store.hints().map((h) => h.target)).toEqual([2, 3]);
    // A stale acknowledgement (the hint changed since) keeps the hint.
    store.hint(2, 'k2', [{ value: 9, ms: 2, node: 0 }]);
    handoff.onAck(2, { type: 'handoff-ack', key: 'k2', digest: LWW.digest([{ value: 2, ms: 1, node: 0 }]) });
    expect(store.hints().map((h) => h.target)).toEqual([2, 3]);
  });
});

