import { buildGuaranteeGraph } from './guarantee-graph.js';
import { GUARANTEE_OF_EDGE, WitnessFinder } from './guarantee-witness.js';
import { SESSION_GUARANTEES, type GuaranteeResult, type LevelResult, type SessionGuarantee, type Violation } from './types.js';
import { contradictions, EdgeKind, stronglyConnected, type VersionGraph } from './version-graph.js';
import type { VersionTable } from './version-table.js';

/** Witnesses kept per guarantee. */
export const VIOLATIONS_MAX_DEFAULT = 5;

/**
 * The session guarantees per session (`level: 'session'`) or per user (`level: 'user'`).
 *
 * There is one version order per key (Terry et al.'s WriteOrder, Viotti and Vukolić's
 * arbitration), hidden from us; each guarantee demands some pairs of versions be ordered (see
 * `buildGuaranteeGraph`). The level holds iff one version order satisfies every demand of every
 * scope; otherwise the demands contain a cycle. A guarantee is reported violated when one of its
 * own demands lies on such a cycle: it is broken if the others held. So one stale read can be
 * reported under two guarantees (a session that wrote 1 then 2 and read 1 broke read-your-writes,
 * or its writes were applied out of order: monotonic writes); the sentence names both sides.
 * Cycles that pass through a value written twice are `unknown`: the read cannot name its write.
 * Real-time order between different sessions is not part of the version order: sequential
 * consistency ignores it, and the lattice (sequential ⊃ session) must hold.
 * `scratch` lets consecutive checks of one table share the graph's arrays.
 */
export function sessionLevel(table: VersionTable, level: 'session' | 'user', violationsMax = VIOLATIONS_MAX_DEFAULT, scratch: { graph?: VersionGraph } = {}): LevelResult {
  if (level === 'user' && !table.ops.some((op) => op.user !== undefined)) {
    return { level, status: 'unknown', cause: 'no operation carries a user field: per-user guarantees cannot be checked', details: { scopes: 0 } };
  }
  const { graph, scopes } = buildGuaranteeGraph(table, level, scratch.graph);
  scratch.graph = graph;
  const { component, count, cyclic } = stronglyConnected(graph);
  const results = new Map<SessionGuarantee, GuaranteeResult>(SESSION_GUARANTEES.map((g) => [g, { guarantee: g, status: 'holds', violations: [], count: 0 }]));
  const ambiguousCycles = new Map<SessionGuarantee, number>();
  if (cyclic) {
    const { contradictory, ambiguous } = contradictions(graph, component, count, table.versionDup);
    const finder = new WitnessFinder(table, graph, component, level);
    // Each edge of a guarantee inside a contradiction is one operation's broken promise.
    for (let e = 0; e < graph.edges; e++) {
      const g = GUARANTEE_OF_EDGE[graph.kind[e] as EdgeKind];
      if (g === undefined) continue;
      const c = component[graph.src[e]!]!;
      if (c !== component[graph.dst[e]!] || contradictory[c] !== 1) continue;
      if (ambiguous[c] === 1) {
        ambiguousCycles.set(g, (ambiguousCycles.get(g) ?? 0) + 1);
        continue;
      }
      const result = results.get(g)!;
      result.count++;
      if (result.violations.length < violationsMax) result.violations.push(finder.violation(e));
    }
  }
  for (const [g, n] of ambiguousCycles) {
    const result = results.get(g)!;
    if (result.count > 0) continue;
    result.status = 'unknown';
    result.cause = `${n} operation(s) take part in contradictions that pass through values written more than once to a key: a read of such a value cannot name its write`;
  }
  for (const result of results.values()) if (result.count > 0) result.status = 'violated';

  const guarantees = [...results.values()];
  const details = { scopes, keys: table.keys.length, versions: graph.versions, guarantees };
  const violated = guarantees.filter((g) => g.status === 'violated');
  if (violated.length > 0) {
    const violations: Violation[] = violated.flatMap((g) => g.violations);
    return { level, status: 'violated', violations, details };
  }
  const unknown = guarantees.find((g) => g.status === 'unknown');
  if (unknown !== undefined) return { level, status: 'unknown', cause: unknown.cause!, details };
  return { level, status: 'holds', details };
}
