import { describe, expect, it } from 'vitest';
import { PROTOCOLS } from '../src/protocols/registry.js';
import { reproduceCommand, resolveRunSpec, runParams, type RunSpec } from '../src/run/spec.js';

/** The run spec's replication fields (n, r, w, resolve, sloppyQuorum), client routing and protocol run defaults. */
const resolve = (spec: Partial<RunSpec>) => resolveRunSpec({ seed: 1, ...spec } as RunSpec, PROTOCOLS);

describe('replication fields', () => {
  it('default to the protocol\'s, reach the nodes as params and configure the checker model', async () => {
    const plain = await resolve({ protocol: 'eventual' });
    expect(plain.spec).toMatchObject({ replication: { n: 3, r: 1, w: 1, resolve: 'lww', sloppyQuorum: true }, replicationGiven: [], routing: 'roaming', routingGiven: false });
    expect(runParams(plain.spec)).toEqual({ n: 3, r: 1, w: 1, siblings: 0, sloppyQuorum: 1 });
    expect(plain.protocol.model).toEqual({ name: 'kv', init: null });
    const siblings = await resolve({ protocol: 'eventual', resolve: 'siblings', r: 2, w: 2, sloppyQuorum: false });
    expect(runParams(siblings.spec)).toEqual({ n: 3, r: 2, w: 2, siblings: 1, sloppyQuorum: 0 });
    expect(siblings.protocol.model).toEqual({ name: 'kv-siblings', init: null });
    expect(reproduceCommand(siblings.spec)).toBe('verdict run --protocol eventual --nemesis none --seed 1 --ops 1000 --r 2 --w 2 --resolve siblings --quorum strict');
  });

  it('are refused, by name, where they cannot apply or do not fit', async () => {
    await expect(resolve({ protocol: 'paxos', resolve: 'siblings' })).rejects.toThrow('invalid run spec: resolve applies only to protocols with tunable replication (paxos has none)');
    await expect(resolve({ protocol: 'eventual', n: 2, w: 3 })).rejects.toThrow('invalid run spec: w must be an integer between 1 and n (2), got 3');
    await expect(resolve({ protocol: 'eventual', nodes: 3, n: 4 })).rejects.toThrow("invalid run spec: n must be an integer between 1 and the cluster's 3 nodes, got 4");
    await expect(resolve({ protocol: 'eventual', r: 2, params: { r: 2 } })).rejects.toThrow('invalid run spec: r is given twice: as a field and as params.r');
    await expect(resolve({ protocol: 'eventual', resolve: 'newest' as 'lww' })).rejects.toThrow('invalid run spec: resolve must be "lww" or "siblings", got "newest"');
    await expect(resolve({ protocol: 'eventual', sloppyQuorum: 'yes' as unknown as boolean })).rejects.toThrow('invalid run spec: sloppyQuorum must be true or false, got "yes"');
  });

  it('shrink the default quorums to a smaller N', async () => {
    expect((await resolve({ protocol: 'eventual', n: 1 })).spec.replication).toMatchObject({ n: 1, r: 1, w: 1 });
  });
});

describe('client routing', () => {
  it('overrides any protocol\'s, and is replayed', async () => {
    const paxos = await resolve({ protocol: 'paxos', routing: 'roaming' });
    expect(paxos.protocol.clients).toBe('roaming');
    expect(reproduceCommand(paxos.spec)).toContain('--routing roaming');
    expect((await resolve({ protocol: 'paxos' })).spec.routing).toBe('sticky');
    expect((await resolve({ protocol: 'eventual', routing: 'sticky' })).protocol.clients).toBe('pinned');
    await expect(resolve({ protocol: 'paxos', routing: 'random' as 'sticky' })).rejects.toThrow('invalid run spec: routing must be "sticky" or "roaming", got "random"');
  });
});

describe('protocol run defaults', () => {
  it('start the eventual store\'s clocks in step; an explicit offset still wins and is replayed', async () => {
    const plain = await resolve({ protocol: 'eventual' });
    expect(plain.spec.clockOffsetMsMax).toBe(0);
    expect(reproduceCommand(plain.spec)).not.toContain('clockOffsetMsMax');
    const skewed = await resolve({ protocol: 'eventual', clockOffsetMsMax: 50 });
    expect(skewed.spec.clockOffsetMsMax).toBe(50);
    expect(reproduceCommand(skewed.spec)).toContain('clockOffsetMsMax 50');
    expect((await resolve({ protocol: 'paxos' })).spec.clockOffsetMsMax).toBe(50);
  });
});
