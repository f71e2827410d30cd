import { describe, expect, it } from 'vitest';
import { digestId, PERM, type Identity } from '../src/protocols/zab/acl.js';
import { ZkDatabase, type Txn } from '../src/protocols/zab/database.js';
import { ZnodeTree } from '../src/protocols/zab/znode-tree.js';
import { makeZxid } from '../src/protocols/zab/zxid.js';

const anyone: Identity = { digests: [], ip: '10.0.0.1' };

function tree(): { t: ZnodeTree; next: () => number } {
  let counter = 0;
  return { t: new ZnodeTree(), next: () => makeZxid(1, ++counter) };
}

describe('znode tree', () => {
  it('creates under an existing parent only, and refuses a duplicate', () => {
    const { t, next } = tree();
    expect(t.apply({ type: 'create', path: '/a/b', data: 1, mode: 'persistent' }, next(), 1, anyone)).toEqual({ ok: false, error: 'NoNode' });
    expect(t.apply({ type: 'create', path: '/a', data: 'x', mode: 'persistent' }, next(), 1, anyone).ok).toBe(true);
    expect(t.apply({ type: 'create', path: '/a', data: 'y', mode: 'persistent' }, next(), 1, anyone)).toEqual({ ok: false, error: 'NodeExists' });
  });

  it('names sequential nodes with a 10-digit counter from the parent cversion', () => {
    const { t, next } = tree();
    t.apply({ type: 'create', path: '/q', data: null, mode: 'persistent' }, next(), 1, anyone);
    t.apply({ type: 'create', path: '/q/other', data: null, mode: 'persistent' }, next(), 1, anyone);
    const a = t.apply({ type: 'create', path: '/q/item-', data: 1, mode: 'persistent-sequential' }, next(), 1, anyone);
    const b = t.apply({ type: 'create', path: '/q/item-', data: 2, mode: 'ephemeral-sequential' }, next(), 7, anyone);
    expect(a).toMatchObject({ ok: true, path: '/q/item-0000000001' });
    expect(b).toMatchObject({ ok: true, path: '/q/item-0000000002' });
    expect(t.get('/q/item-0000000002')!.stat.ephemeralOwner).toBe(7);
    expect(t.get('/q')!.stat).toMatchObject({ cversion: 3, numChildren: 3 });
  });

  it('counts a number\'s dataLength as the length of its decimal text', () => {
    const { t, next } = tree();
    t.apply({ type: 'create', path: '/n', data: 0, mode: 'persistent' }, next(), 1, anyone);
    const values = [0, -0, 7, -7, 10, 99, 100, -1000, 123456789, 2 ** 31, -(2 ** 31), 1e15, 1e15 - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1.5, -0.25, 1e21, 2 ** 60];
    for (const data of values) {
      t.apply({ type: 'setData', path: '/n', data, version: -1 }, next(), 1, anyone);
      expect(t.get('/n')!.stat.dataLength, String(data)).toBe(String(data).length);
    }
  });

  it('deletes with a version, and not while children remain', () => {
    const { t, next } = tree();
    t.apply({ type: 'create', path: '/d', data: null, mode: 'persistent' }, next(), 1, anyone);
    t.apply({ type: 'create', path: '/d/c', data: null, mode: 'persistent' }, next(), 1, anyone);
    expect(t.apply({ type: 'delete', path: '/d', version: -1 }, next(), 1, anyone)).toEqual({ ok: false, error: 'NotEmpty' });
    expect(t.apply({ type: 'delete', path: '/d/c', version: 3 }, next(), 1, anyone)).toEqual({ ok: false, error: 'BadVersion' });
    expect(t.apply({ type: 'delete', path: '/d/c', version: 0 }, next(), 1, anyone)).toEqual({ ok: true });
    expect(t.apply({ type: 'delete', path: '/d', version: -1 }, next(), 1, anyone)).toEqual({ ok: true });
    expect(t.get('/d')).toBeUndefined();
  });

  it('sets data with version -1 for any, else only on a match, and keeps the full stat', () => {
    const { t, next } = tree();
    const cz = next();
    t.apply({ type: 'create', path: '/s', data: 'a', mode: 'persistent' }, cz, 1, anyone);
    const mz = next();
    expect(t.apply({ type: 'setData', path: '/s', data: 'bb', version: -1 }, mz, 1, anyone)).toMatchObject({ ok: true });
    expect(t.apply({ type: 'setData', path: '/s', data: 'c', version: 0 }, next(), 1, anyone)).toEqual({ ok: false, error: 'BadVersion' });
    expect(t.get('/s')!.stat).toEqual({ czxid: cz, mzxid: mz, pzxid: cz, version: 1, cversion: 0, aversion: 0, ephemeralOwner: 0, dataLength: 2, numChildren: 0 });
  });

  it('applies a multi all or nothing', () => {
    const { t, next } = tree();
    t.apply({ type: 'create', path: '/m', data: 0, mode: 'persistent' }, next(), 1, anyone);
    const failed = t.apply({ type: 'multi', ops: [
      { type: 'create', path: '/m/a', data: 1, mode: 'persistent' },
      { type: 'setData', path: '/m', data: 5, version: -1 },
      { type: 'check', path: '/m', version: 0 },
    ] }, next(), 1, anyone);
    expect(failed.ok).toBe(false);
    expect(failed).toMatchObject({ error: 'BadVersion', results: [{ ok: false, error: 'RuntimeInconsistency' }, { ok: false, error: 'RuntimeInconsistency' }, { ok: false, error: 'BadVersion' }] });
    expect(t.get('/m/a')).toBeUndefined();
    expect(t.get('/m')!.data).toBe(0);
    expect(t.get('/m')!.stat.cversion).toBe(0);
    const ok = t.apply({ type: 'multi', ops: [{ type: 'check', path: '/m', version: 0 }, { type: 'create', path: '/m/a', data: 1, mode: 'persistent' }] }, next(), 1, anyone);
    expect(ok.ok).toBe(true);
    expect(t.get('/m/a')!.data).toBe(1);
  });

  it('refuses a client without rights both reading and changing a node (NoAuth)', () => {
    const { t, next } = tree();
    const alice: Identity = { digests: [digestId('alice:secret')], ip: '192.168.1.9' };
    const acl = [{ scheme: 'digest' as const, id: digestId('alice:secret'), perms: PERM.ALL }, { scheme: 'ip' as const, id: '10.1.0.0/16', perms: PERM.READ }];
    expect(t.apply({ type: 'create', path: '/secret', data: 's', mode: 'persistent', acl }, next(), 1, alice).ok).toBe(true);
    // The ACL holds the hash, never the password.
    expect(JSON.stringify(t.get('/secret')!.acl)).not.toContain('secret:');
    expect(t.get('/secret')!.acl[0]!.id).toMatch(/^alice:[A-Za-z0-9+/]{27}=$/);
    const mallory: Identity = { digests: [digestId('alice:guess')], ip: '10.2.0.1' };
    expect(t.read('/secret', mallory)).toEqual({ error: 'NoAuth' });
    expect(t.apply({ type: 'setData', path: '/secret', data: 'x', version: -1 }, next(), 2, mallory)).toEqual({ ok: false, error: 'NoAuth' });
    expect(t.apply({ type: 'create', path: '/secret/child', data: 'x', mode: 'persistent' }, next(), 2, mallory)).toEqual({ ok: false, error: 'NoAuth' });
    expect(t.apply({ type: 'setACL', path: '/secret', acl: [{ scheme: 'world', id: 'anyone', perms: PERM.ALL }], version: -1 }, next(), 2, mallory)).toEqual({ ok: false, error: 'NoAuth' });
    expect(t.get('/secret')!.data).toBe('s');
    // The ip scheme grants READ to its subnet, and nothing else.
    const neighbour: Identity = { digests: [], ip: '10.1.4.4' };
    expect('node' in t.read('/secret', neighbour)).toBe(true);
    expect(t.apply({ type: 'setData', path: '/secret', data: 'x', version: -1 }, next(), 3, neighbour)).toEqual({ ok: false, error: 'NoAuth' });
    expect('node' in t.read('/secret', alice)).toBe(true);
  });
});

describe('zookeeper database', () => {
  const op = (zxid: number, session: number, cxid: number, data: number): Txn => ({ zxid, session, cxid, kind: 'op', op: { type: 'setData', path: '/x', data, version: -1 } });

  it('applies a (session, cxid) once: a retried request is answered, never applied again', () => {
    const db = new ZkDatabase();
    db.apply({ zxid: makeZxid(1, 1), session: 9, cxid: 1, kind: 'op', op: { type: 'create', path: '/x', data: 0, mode: 'persistent' } });
    const first = db.apply(op(makeZxid(1, 2), 5, 10, 1));
    db.apply(op(makeZxid(1, 3), 6, 10, 2));
    const retry = db.apply(op(makeZxid(2, 1), 5, 10, 1));
    expect(first.duplicate).toBe(false);
    expect(retry.duplicate).toBe(true);
    expect(retry.result).toEqual(first.result);
    expect(db.tree.get('/x')!.data).toBe(2);
    expect(db.tree.get('/x')!.stat.version).toBe(2);
  });

  it('deletes a closed session\'s ephemeral nodes in one transaction and refuses its later requests', () => {
    const db = new ZkDatabase();
    db.apply({ zxid: makeZxid(1, 1), session: 3, cxid: 1, kind: 'create-session', timeoutMs: 4000 });
    db.apply({ zxid: makeZxid(1, 2), session: 3, cxid: 2, kind: 'op', op: { type: 'create', path: '/e1', data: 1, mode: 'ephemeral' } });
    db.apply({ zxid: makeZxid(1, 3), session: 3, cxid: 3, kind: 'op', op: { type: 'create', path: '/e2', data: 1, mode: 'ephemeral' } });
    const closed = db.apply({ zxid: makeZxid(1, 4), session: 3, cxid: 4, kind: 'close-session' });
    expect(closed.closedPaths).toEqual(['/e1', '/e2']);
    expect(db.tree.get('/e1')).toBeUndefined();
    expect(db.tree.get('/')!.stat.pzxid).toBe(makeZxid(1, 4));
    const late = db.apply({ zxid: makeZxid(1, 5), session: 3, cxid: 5, kind: 'op', op: { type: 'create', path: '/e3', data: 1, mode: 'ephemeral' } });
    expect(late.result).toEqual({ ok: false, error: 'SessionExpired' });
    expect(db.hasSession(3)).toBe(false);
  });

  it('rebuilds the same state from a snapshot', () => {
    const db = new ZkDatabase();
    db.apply({ zxid: makeZxid(1, 1), session: 1, cxid: 1, kind: 'op', op: { type: 'create', path: '/x', data: 0, mode: 'persistent' } });
    db.apply(op(makeZxid(1, 2), 1, 2, 7));
    const copy = ZkDatabase.fromSnapshot(structuredClone(db.snapshot()));
    expect(copy.snapshot()).toEqual(db.snapshot());
    expect(copy.apply(op(makeZxid(1, 3), 1, 2, 9)).duplicate).toBe(true);
  });
});
