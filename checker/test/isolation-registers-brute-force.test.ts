import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkIsolation, historyFromOps } from '../src/index.js';
import { classifyCycle } from '../src/isolation/cycle-specs.js';
import { levelGraphs } from '../src/isolation/level-cycles.js';
import { modelsRuledOutBy, type TxnModel } from '../src/isolation/model-lattice.js';
import { everyVersionOrderGraph, serialOrderExists, simpleCycles, smallHistory, smallRegisterHistory, type SmallEdge } from './support/isolation-brute-force.js';

/** The models the dependency graph decides, and consistent view (G-single). */
const GRAPH_MODELS: readonly TxnModel[] = [...levelGraphs({ process: true, realtime: true }).map((g) => g.model), 'consistent-view'];

/** The models some simple cycle of this version order's dependency graph rules out. */
function ruledOutIn(n: number, edges: readonly SmallEdge[]): Set<TxnModel> {
  const out = new Set<TxnModel>();
  for (const c of simpleCycles(n, edges)) for (const m of modelsRuledOutBy(classifyCycle(c.map((e) => e.kind)).elle)) out.add(m);
  return out;
}

describe('isolation on register histories, against brute force', () => {
  it('serializable, strong session serializable and strict serializable: exactly when some serial order works (the exact search)', () => {
    fc.assert(fc.property(smallRegisterHistory, (txns) => {
      const result = checkIsolation(historyFromOps(smallHistory(txns)));
      const status = (m: string): string | undefined => result.models?.find((v) => v.model === m)?.status;
      const context = JSON.stringify(txns);
      expect(status('serializable'), context).toBe(serialOrderExists(txns, 'none') ? 'holds' : 'violated');
      expect(status('strong-session-serializable'), context).toBe(serialOrderExists(txns, 'process') ? 'holds' : 'violated');
      expect(status('strict-serializable'), context).toBe(serialOrderExists(txns, 'realtime') ? 'holds' : 'violated');
    }), { numRuns: 250 });
  });

  it('every other model it claims holds in some version order, and every model it rules out holds in none', () => {
    fc.assert(fc.property(smallRegisterHistory, (txns) => {
      const result = checkIsolation(historyFromOps(smallHistory(txns)));
      const ruledOut = everyVersionOrderGraph(txns).map((g) => ruledOutIn(txns.length, g));
      const somewhere = (model: TxnModel): boolean => ruledOut.some((r) => !r.has(model));
      const context = JSON.stringify(txns);
      // The brute force itself: some version order has an acyclic dependency graph iff some serial order works.
      expect(somewhere('serializable'), context).toBe(serialOrderExists(txns, 'none'));
      expect(somewhere('strict-serializable'), context).toBe(serialOrderExists(txns, 'realtime'));
      for (const model of GRAPH_MODELS) {
        const status = result.models?.find((v) => v.model === model)?.status;
        if (status === 'holds') expect(somewhere(model), `${model} claimed; ${context}`).toBe(true);
        if (status === 'violated') expect(somewhere(model), `${model} ruled out; ${context}`).toBe(false);
      }
      // Read committed and read uncommitted (and their strong variants) need no anti-dependency:
      // the graph decides them whatever the version order.
      for (const model of ['read-uncommitted', 'read-committed', 'strong-session-read-committed', 'strong-read-committed'] as const) {
        expect(result.models?.find((v) => v.model === model)?.status, `${model}; ${context}`).not.toBe('unknown');
      }
    }), { numRuns: 250 });
  });
});
