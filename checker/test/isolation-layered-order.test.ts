import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGraph, E_RW, E_WR, E_WW, EdgeBuffer, M_RW, M_WR, M_WW } from '../src/isolation/graph.js';
import { LayeredOrder } from '../src/isolation/layered-order.js';
import { maskLayering, nonAdjacentLayering, SccWorkspace, stronglyConnected, type Layering } from '../src/isolation/scc.js';

const KINDS = [E_WW, E_WR, E_RW];
const LAYERINGS: [string, Layering][] = [['plain', maskLayering(M_WW | M_WR | M_RW)], ['snapshot', nonAdjacentLayering(M_WW | M_WR, M_RW)]];
const edge = (n: number) => fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.constantFrom(...KINDS));

/** Whether the layered product of these edges has a cycle, by Tarjan's components. */
function cyclic(n: number, edges: readonly [number, number, number][], layering: Layering): boolean {
  const buffer = new EdgeBuffer();
  for (const [a, b, k] of edges) buffer.push(a, b, k, 0);
  return stronglyConnected(buildGraph(n, buffer), layering, new SccWorkspace(2 * n)).nontrivial.length > 0;
}

describe('layered order (the placement\'s cycle test)', () => {
  for (const [name, layering] of LAYERINGS) {
    it(`${name}: an edge closes a cycle exactly when adding it makes the graph cyclic, as edges are added`, () => {
      fc.assert(fc.property(fc.integer({ min: 2, max: 9 }).chain((n) => fc.tuple(fc.constant(n), fc.array(edge(n), { maxLength: 12 }), fc.array(edge(n), { maxLength: 14 }))), ([n, start, more]) => {
        const kept = start.filter(([a, b]) => a !== b);
        const buffer = new EdgeBuffer();
        for (const [a, b, k] of kept) buffer.push(a, b, k, 0);
        const order = LayeredOrder.of(buildGraph(n, buffer), layering);
        expect(order === undefined).toBe(cyclic(n, kept, layering));
        if (order === undefined) return;
        const edges = [...kept];
        for (const [a, b, k] of more) {
          if (a === b) continue;
          const closes = cyclic(n, [...edges, [a, b, k]], layering);
          expect(order.closes(a, b, k)).toBe(closes);
          if (!closes) { order.add(a, b, k); edges.push([a, b, k]); }
        }
      }), { numRuns: 400 });
    });
  }
});
