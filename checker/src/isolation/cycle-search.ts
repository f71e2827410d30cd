import { AnchoredSearch, transitionTable } from './anchored-search.js';
import type { Budget } from './budget.js';
import { classifyCycle, implies, type CycleSpec } from './cycle-specs.js';
import type { Graph } from './graph.js';
import { edgeSources, localGraph, type LocalGraph } from './local-graph.js';
import { reachability } from './reachability.js';
import { maskLayering, stronglyConnected } from './scc.js';

/** One step of a cycle, in global ids: transaction → transaction over a dependency on `key` (-1: none). */
export interface CycleStep {
  from: number;
  to: number;
  kind: number;
  key: number;
}

export interface FoundCycle {
  type: string;
  /** Its name in Elle's lattice. */
  elle: string;
  steps: CycleStep[];
}

export interface ComponentSearch {
  cycles: FoundCycle[];
  /** Kinds whose search the budget cut short in this component (and that were not found). */
  cutShort: string[];
}

/**
 * Looks for the shortest cycle of each kind in one strongly connected component, most severe
 * kind first, skipping kinds a found one implies. Before searching, each kind gets an exact,
 * linear-time test for absence: the component's subgraph of the kind's edges must have a
 * strongly connected part holding an anchor edge (and, for the process and real-time variants,
 * such an edge too); G-single additionally needs an anti-dependency a → b with b reaching a over
 * ww/wr edges, decided by reachability. Only the searches themselves spend the budget.
 */
export function searchComponent(graph: Graph, members: Int32Array, specs: readonly CycleSpec[], budget: Budget, scratch: Int32Array): ComponentSearch {
  const local = localGraph(graph, members, scratch);
  const src = edgeSources(local);
  const found: CycleSpec[] = [];
  const cycles: FoundCycle[] = [];
  const cutShort: string[] = [];
  let searcher: AnchoredSearch | undefined;
  for (const spec of specs) {
    if (found.some((f) => implies(f, spec))) continue;
    const { comp, anchors } = candidateAnchors(local, src, spec);
    if (anchors.length === 0) continue;
    if (budget.cause !== undefined) { cutShort.push(spec.type); continue; }
    searcher ??= new AnchoredSearch(local);
    const table = transitionTable(spec);
    let best: number[] | null = null;
    let cut = false;
    for (const e of anchors) {
      const maxLen = best === null ? local.n : best.length - 1;
      const result = searcher.search(spec, table, e, src[e], local.dst[e], comp, comp[src[e]], maxLen, budget);
      if (result === 'cut') { cut = true; break; }
      if (result !== null) {
        best = result;
        if (best.length === 2) break;
      }
    }
    if (best !== null) {
      const steps = best.map((e) => ({ from: local.members[src[e]], to: local.members[local.dst[e]], kind: local.kind[e], key: local.key[e] }));
      const named = classifyCycle(steps.map((s) => s.kind));
      cycles.push({ type: named.type, elle: named.elle, steps });
      found.push(spec);
    } else if (cut) {
      cutShort.push(spec.type);
    }
  }
  return { cycles, cutShort };
}

/** The anchor edges of a kind that could lie on one of its cycles (exact "none" when empty). */
function candidateAnchors(local: LocalGraph, src: Int32Array, spec: CycleSpec): { comp: Int32Array; anchors: number[] } {
  const { comp } = stronglyConnected(local, maskLayering(spec.anchorMask | spec.pathMask));
  const hasAnchor = new Set<number>();
  const hasVariant = new Set<number>();
  for (let e = 0; e < local.dst.length; e++) {
    const c = comp[src[e]];
    if (c !== comp[local.dst[e]]) continue;
    if (((spec.anchorMask >> local.kind[e]) & 1) !== 0) hasAnchor.add(c);
    if (local.kind[e] === spec.variantKind) hasVariant.add(c);
  }
  const anchors: number[] = [];
  for (let e = 0; e < local.dst.length; e++) {
    const c = comp[src[e]];
    if (c !== comp[local.dst[e]] || ((spec.anchorMask >> local.kind[e]) & 1) === 0) continue;
    if (!hasAnchor.has(c) || (spec.variantKind >= 0 && !hasVariant.has(c))) continue;
    anchors.push(e);
  }
  if (anchors.length === 0 || spec.base !== 'G-single' || spec.variant !== '') return { comp, anchors };
  // The anchor is not among the path's edges, so "same component" is not enough: ask reachability.
  const reaches = reachability(local, spec.pathMask);
  if (reaches === null) return { comp, anchors };
  return { comp, anchors: anchors.filter((e) => reaches(local.dst[e], src[e])) };
}
