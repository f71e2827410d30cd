/**
 * Brute force over small dependency graphs, to check the isolation checker's graph algorithms
 * against: every simple cycle, enumerated, and named by `classifyCycle`.
 */
import fc from 'fast-check';
import { EdgeBuffer, buildGraph, E_PROCESS, E_REALTIME, E_RW, E_RWP, E_WR, E_WRP, E_WW, type Graph } from '../../src/isolation/graph.js';

export interface SmallEdge { from: number; to: number; kind: number }

/**
 * Random small graphs: data edges anywhere, process and real-time edges only forward (they come
 * from time, so they never form a cycle on their own).
 */
export const smallGraph: fc.Arbitrary<{ n: number; edges: SmallEdge[] }> = fc.integer({ min: 2, max: 6 }).chain((n) => fc.record({
  n: fc.constant(n),
  edges: fc.array(fc.record({
    from: fc.integer({ min: 0, max: n - 1 }),
    to: fc.integer({ min: 0, max: n - 1 }),
    kind: fc.constantFrom(E_WW, E_WW, E_WR, E_WR, E_RW, E_RW, E_WRP, E_RWP, E_PROCESS, E_REALTIME),
  }), { maxLength: 14 }).map((edges) => edges
    .filter((e) => e.from !== e.to)
    .map((e) => ((e.kind === E_PROCESS || e.kind === E_REALTIME) && e.from > e.to ? { ...e, from: e.to, to: e.from } : e))),
}));

export function toGraph(n: number, edges: readonly SmallEdge[]): Graph {
  const buffer = new EdgeBuffer();
  for (const e of edges) buffer.push(e.from, e.to, e.kind, -1);
  return buildGraph(n, buffer);
}

/** Every simple cycle, as its list of edges, each once (it starts at its smallest node). */
export function simpleCycles(n: number, edges: readonly SmallEdge[]): SmallEdge[][] {
  const out: SmallEdge[][] = [];
  const path: SmallEdge[] = [];
  const onPath = new Set<number>();
  const walk = (start: number, v: number): void => {
    for (const e of edges) {
      if (e.from !== v || e.to < start) continue;
      if (e.to === start) { out.push([...path, e]); continue; }
      if (onPath.has(e.to)) continue;
      onPath.add(e.to);
      path.push(e);
      walk(start, e.to);
      path.pop();
      onPath.delete(e.to);
    }
  };
  for (let s = 0; s < n; s++) { onPath.add(s); walk(s, s); onPath.delete(s); }
  return out;
}
