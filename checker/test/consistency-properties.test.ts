import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLevelsSync, checkSequentialSync, checkSessionGuarantees, createModel, historyFromOps } from '../src/index.js';
import { bruteSequential, bruteSessions } from './support/consistency-brute-force.js';
import { laggingReplicaHistory, linearizableHistory, randomSmallHistory } from './support/consistency-generators.js';

// fast-check prints the seed and path of a failing run; replay with { seed, path }.
const runs = (n: number) => ({ numRuns: n });

describe('consistency properties', () => {
  it('a linearizable register history passes every level', () => {
    fc.assert(fc.property(linearizableHistory({ kind: 'register', slots: 3, actions: 40, keys: 1 }), (raw) => {
      const h = historyFromOps(raw);
      const model = createModel('cas-register', 0);
      const levels = checkLevelsSync(h, model);
      for (const l of levels.levels) expect([l.level, l.status, l.violations?.[0]?.sentence]).toEqual([l.level, 'holds', undefined]);
      expect(levels.strongest).toBe('strong');
      expect(checkSequentialSync(model, h).outcome).toBe('ok');
    }), runs(150));
  });

  it('a linearizable kv history passes every level, the sequential search included', () => {
    fc.assert(fc.property(linearizableHistory({ kind: 'kv', slots: 4, actions: 50, keys: 3 }), (raw) => {
      const h = historyFromOps(raw);
      const model = createModel('kv', 0);
      const levels = checkLevelsSync(h, model);
      for (const l of levels.levels) expect([l.level, l.status]).toEqual([l.level, 'holds']);
      expect(checkSequentialSync(model, h).outcome).toBe('ok');
    }), runs(100));
  });

  it('the sequential search agrees with brute force on small register histories', () => {
    fc.assert(fc.property(randomSmallHistory('register', 7), fc.boolean(), (raw, bySession) => {
      const h = historyFromOps(bySession ? raw : raw.map(({ session: _s, ...o }) => o));
      const model = createModel('cas-register', 0);
      expect(checkSequentialSync(model, h).outcome).toBe(bruteSequential(model, h.operations) ? 'ok' : 'illegal');
    }), runs(1000));
  });

  it('the sequential search over a partitioned kv agrees with brute force over the whole map', () => {
    fc.assert(fc.property(randomSmallHistory('kv', 7), (raw) => {
      const h = historyFromOps(raw);
      const expected = bruteSequential(createModel('kv-unpartitioned', 0), h.operations);
      expect(checkSequentialSync(createModel('kv', 0), h).outcome).toBe(expected ? 'ok' : 'illegal');
    }), runs(600));
  });

  it('the session and user checks agree with brute force over version orders', () => {
    fc.assert(fc.property(randomSmallHistory('kv', 8), (raw) => {
      const h = historyFromOps(raw);
      const { session, user } = checkSessionGuarantees(h, createModel('kv', 0));
      const scopeS = (o: { session?: unknown; process: unknown }) => (o.session !== undefined ? `s${String(o.session)}` : `p${String(o.process)}`);
      const scopeU = (o: { user?: unknown }) => (o.user !== undefined ? String(o.user) : undefined);
      expect(session.status).toBe(bruteSessions(h.operations, 'kv', 0, scopeS) ? 'holds' : 'violated');
      expect(user.status).toBe(bruteSessions(h.operations, 'kv', 0, scopeU) ? 'holds' : 'violated');
    }), runs(1000));
  });

  it('reads from lagging in-order replicas are sequential (and session) without a long search', () => {
    fc.assert(fc.property(laggingReplicaHistory({ sessions: 6, keys: 4, actions: 150 }), (raw) => {
      const h = historyFromOps(raw);
      const model = createModel('kv', 0);
      const r = checkSequentialSync(model, h);
      expect(r.outcome).toBe('ok');
      expect(r.stats.steps).toBeLessThan(50 * h.operations.length + 100);
      expect(checkSessionGuarantees(h, model).session.status).toBe('holds');
    }), runs(100));
  });

  it('sequential consistency implies the session guarantees (the lattice)', () => {
    fc.assert(fc.property(randomSmallHistory('register', 8), (raw) => {
      const h = historyFromOps(raw);
      const model = createModel('cas-register', 0);
      if (checkSequentialSync(model, h).outcome !== 'ok') return;
      expect(checkSessionGuarantees(h, model).session.status).toBe('holds');
    }), runs(1000));
  });
});
