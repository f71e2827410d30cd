import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Budget } from '../src/isolation/budget.js';
import { searchComponent } from '../src/isolation/cycle-search.js';
import { classifyCycle, cycleSpecs, impliesType } from '../src/isolation/cycle-specs.js';
import { levelCycles, levelGraphs } from '../src/isolation/level-cycles.js';
import { levelWitness } from '../src/isolation/level-witness.js';
import { modelsRuledOutBy } from '../src/isolation/model-lattice.js';
import { simpleCycles, smallGraph, toGraph } from './support/isolation-brute-force.js';

const options = { process: true, realtime: true };

describe('isolation graph algorithms against brute force', () => {
  it('a model\'s dependency graph is cyclic exactly when some simple cycle rules the model out (by Elle\'s lattice), and its witness does', () => {
    fc.assert(fc.property(smallGraph, ({ n, edges }) => {
      const graph = toGraph(n, edges);
      const named = simpleCycles(n, edges).map((c) => classifyCycle(c.map((e) => e.kind)));
      const graphs = levelGraphs(options);
      expect(graphs).toHaveLength(13);
      const cycles = levelCycles(graph, graphs);
      for (const { model } of graphs) {
        const c = cycles.get(model)!;
        expect(c.cyclic, model).toBe(named.some((x) => modelsRuledOutBy(x.elle).includes(model)));
        if (!c.cyclic) continue;
        const witness = levelWitness(graph, c.graph.layering, c.components!, c.graph.nonAdjacent);
        expect(witness, model).not.toBeNull();
        expect(modelsRuledOutBy(classifyCycle(witness!.map((s) => s.kind)).elle), model).toContain(model);
        expect(new Set(witness!.map((s) => s.from)).size).toBe(witness!.length);
      }
    }), { numRuns: 1500 });
  });

  it('the typed search names every kind of cycle present (or one that implies it), with valid, shortest cycles', () => {
    fc.assert(fc.property(smallGraph, ({ n, edges }) => {
      const graph = toGraph(n, edges);
      const all = simpleCycles(n, edges).map((c) => ({ type: classifyCycle(c.map((e) => e.kind)).type, length: c.length, nodes: c.map((e) => e.from) }));
      const strict = levelCycles(graph, levelGraphs(options)).get('strict-serializable')!;
      const found: { type: string; length: number }[] = [];
      for (const members of strict.components?.nontrivial ?? []) {
        const inside = all.filter((c) => c.nodes.every((v) => members.includes(v)));
        const result = searchComponent(graph, members.sort(), cycleSpecs(options), new Budget(1e9, Infinity, () => 0), new Int32Array(n).fill(-1));
        expect(result.cutShort).toEqual([]);
        for (const cycle of result.cycles) {
          // A real simple cycle of the graph, of the kind it is named, and the shortest of its kind here.
          expect(new Set(cycle.steps.map((s) => s.from)).size).toBe(cycle.steps.length);
          cycle.steps.forEach((s, i) => {
            expect(s.to).toBe(cycle.steps[(i + 1) % cycle.steps.length].from);
            expect(edges.some((e) => e.from === s.from && e.to === s.to && e.kind === s.kind)).toBe(true);
          });
          expect(classifyCycle(cycle.steps.map((s) => s.kind)).type).toBe(cycle.type);
          expect(cycle.steps.length, cycle.type).toBe(Math.min(...inside.filter((c) => c.type === cycle.type).map((c) => c.length)));
          found.push({ type: cycle.type, length: cycle.steps.length });
        }
      }
      for (const { type } of all) {
        expect(found.some((f) => impliesType(f.type, type)), `${type} in ${JSON.stringify(all)}; found ${JSON.stringify(found)}`).toBe(true);
      }
    }), { numRuns: 1500 });
  });
});
