import { describe, expect, it } from 'vitest';
import { PERM } from '../src/protocols/zab/acl.js';
import { digestId } from '../src/protocols/zab/acl.js';
import { zookeeperProtocol } from '../src/protocols/zab/index.js';
import { PaxosFakeCluster } from './support/paxos-fake-context.js';

/** A ZooKeeper ensemble (5 voters, 1 observer) on the fake context, scripted request by request. */
function ensemble(seed = 1): PaxosFakeCluster {
  const layout = zookeeperProtocol.cluster({});
  const c = new PaxosFakeCluster(layout.nodes, (id) => zookeeperProtocol.node(id, { layout }), seed);
  if (!c.runUntil(() => c.leaders().length === 1, 5_000)) throw new Error('no leader in 5 s');
  c.run(300);
  return c;
}

function ask(c: PaxosFakeCluster, node: string, f: string, value: unknown, ms = 2_000) {
  const id = c.request(node, f, value);
  c.runUntil(() => c.replies.has(id), ms);
  return c.replies.get(id);
}

describe('zookeeper ensemble', () => {
  it('elects a voter; the observer never leads yet serves reads of committed writes', () => {
    const c = ensemble();
    expect(c.leaders()).toHaveLength(1);
    expect(c.leaders()[0]).not.toBe('n6');
    expect(c.role('n6')).toBe('observer');
    expect(ask(c, 'n1', 'create', { session: 10, path: '/a', data: 'x', mode: 'persistent' })).toMatchObject({ type: 'ok', value: { path: '/a' } });
    c.run(200);
    expect(ask(c, 'n6', 'getData', { session: 11, path: '/a' })).toMatchObject({ type: 'ok', value: { data: 'x', stat: { version: 0 } } });
  });

  it('delivers a one-shot watch event ahead of the first answer that reflects the change', () => {
    const c = ensemble();
    expect(ask(c, 'n3', 'exists', { session: 20, path: '/w', watch: true })).toEqual({ type: 'ok', value: { stat: null } });
    expect(ask(c, 'n1', 'create', { session: 21, path: '/w', data: 1, mode: 'persistent' })?.type).toBe('ok');
    c.run(200);
    const seen = ask(c, 'n3', 'getData', { session: 20, path: '/w', watch: true });
    expect(seen).toMatchObject({ type: 'ok', value: { data: 1, events: [{ type: 'NodeCreated', path: '/w' }] } });
    expect(ask(c, 'n1', 'setData', { session: 21, path: '/w', data: 2, version: -1 })?.type).toBe('ok');
    expect(ask(c, 'n1', 'setData', { session: 21, path: '/w', data: 3, version: -1 })?.type).toBe('ok');
    c.run(200);
    // The data watch fired once, for the first change only.
    expect(ask(c, 'n3', 'getData', { session: 20, path: '/w' })).toMatchObject({ type: 'ok', value: { data: 3, events: [{ type: 'NodeDataChanged', path: '/w' }] } });
    const again = ask(c, 'n3', 'getData', { session: 20, path: '/w' });
    expect(again).toMatchObject({ type: 'ok', value: { data: 3 } });
    expect((again as { value: Record<string, unknown> }).value.events).toBeUndefined();
  });

  it('expires a silent session at the leader, deleting its ephemeral nodes everywhere; a pinging one lives', () => {
    const c = ensemble();
    expect(ask(c, 'n1', 'openSession', { session: 30, timeoutMs: 1_000 })).toMatchObject({ type: 'ok' });
    expect(ask(c, 'n1', 'openSession', { session: 31, timeoutMs: 1_000 })).toMatchObject({ type: 'ok' });
    expect(ask(c, 'n1', 'create', { session: 30, path: '/lock', data: 'me', mode: 'ephemeral' })).toMatchObject({ type: 'ok', value: { stat: { ephemeralOwner: 30 } } });
    expect(ask(c, 'n2', 'create', { session: 31, path: '/alive', data: 'me', mode: 'ephemeral' })?.type).toBe('ok');
    for (let i = 0; i < 10; i++) {
      c.run(300);
      expect(ask(c, 'n2', 'ping', { session: 31 })?.type).toBe('ok');
    }
    expect(ask(c, 'n4', 'exists', { session: 32, path: '/lock' })).toEqual({ type: 'ok', value: { stat: null } });
    expect(ask(c, 'n5', 'exists', { session: 32, path: '/alive' })).toMatchObject({ type: 'ok', value: { stat: { ephemeralOwner: 31 } } });
    expect(ask(c, 'n1', 'create', { session: 30, path: '/again', data: 1, mode: 'persistent' })).toMatchObject({ type: 'fail', error: 'SessionExpired' });
  });

  it('refuses a client without rights both reading and changing a node, at any server', () => {
    const c = ensemble();
    expect(ask(c, 'n1', 'addAuth', { session: 40, scheme: 'digest', auth: 'alice:secret' })?.type).toBe('ok');
    const acl = [{ scheme: 'digest', id: digestId('alice:secret'), perms: PERM.ALL }];
    // Deleting a node takes DELETE on its parent (as in ZooKeeper), so the node lives under a protected one.
    expect(ask(c, 'n1', 'create', { session: 40, path: '/vault', data: null, mode: 'persistent', acl })?.type).toBe('ok');
    expect(ask(c, 'n1', 'create', { session: 40, path: '/vault/private', data: 'p', mode: 'persistent', acl })?.type).toBe('ok');
    c.run(200);
    expect(ask(c, 'n1', 'getData', { session: 40, path: '/vault/private' })).toMatchObject({ type: 'ok', value: { data: 'p' } });
    for (const node of ['n2', 'n6']) {
      expect(ask(c, node, 'getData', { session: 41, path: '/vault/private' })).toEqual({ type: 'fail', error: 'NoAuth' });
      expect(ask(c, node, 'setData', { session: 41, path: '/vault/private', data: 'x', version: -1 })).toMatchObject({ type: 'fail', error: 'NoAuth' });
      expect(ask(c, node, 'delete', { session: 41, path: '/vault/private', version: -1 })).toMatchObject({ type: 'fail', error: 'NoAuth' });
      expect(ask(c, node, 'create', { session: 41, path: '/vault/mine', data: 'x', mode: 'persistent' })).toMatchObject({ type: 'fail', error: 'NoAuth' });
      expect(ask(c, node, 'setACL', { session: 41, path: '/vault/private', acl: [{ scheme: 'world', id: 'anyone', perms: PERM.ALL }], version: -1 })).toMatchObject({ type: 'fail', error: 'NoAuth' });
    }
    expect(ask(c, 'n3', 'addAuth', { session: 42, scheme: 'digest', auth: 'alice:wrong' })?.type).toBe('ok');
    expect(ask(c, 'n3', 'getData', { session: 42, path: '/vault/private' })).toEqual({ type: 'fail', error: 'NoAuth' });
    c.run(200);
    expect(ask(c, 'n4', 'getACL', { session: 43, path: '/vault/private' })).toMatchObject({ type: 'ok', value: { stat: { version: 0 } } });
    expect(ask(c, 'n1', 'getData', { session: 40, path: '/vault/private' })).toMatchObject({ type: 'ok', value: { data: 'p', stat: { version: 0 } } });
  });

  it('keeps every committed write through a leader crash, and a sequential create stays unique', () => {
    const c = ensemble();
    expect(ask(c, 'n1', 'create', { session: 50, path: '/q', data: null, mode: 'persistent' })?.type).toBe('ok');
    const first = ask(c, 'n2', 'create', { session: 51, path: '/q/n-', data: 1, mode: 'persistent-sequential' });
    expect(first).toMatchObject({ type: 'ok', value: { path: '/q/n-0000000000' } });
    const leader = c.leaders()[0]!;
    c.crash(leader);
    expect(c.runUntil(() => c.leaders().length === 1, 5_000)).toBe(true);
    c.run(300);
    const other = ['n1', 'n2', 'n3', 'n4', 'n5'].find((n) => n !== leader)!;
    expect(ask(c, other, 'create', { session: 52, path: '/q/n-', data: 2, mode: 'persistent-sequential' })).toMatchObject({ type: 'ok', value: { path: '/q/n-0000000001' } });
    c.run(200);
    expect(ask(c, 'n6', 'getChildren', { session: 53, path: '/q' })).toEqual({ type: 'ok', value: { children: ['n-0000000000', 'n-0000000001'] } });
  });
});
