import { VIOLATIONS_MAX_DEFAULT } from './describe.js';
import { buildGuaranteeGraph } from './guarantee-graph.js';
import { GUARANTEE_OF_EDGE, WitnessFinder } from './guarantee-witness.js';
import { SESSION_GUARANTEES, type GuaranteeResult, type LevelResult, type SessionGuarantee, type Violation } from './types.js';
import { contradictions, EdgeKind, stronglyConnected, type VersionGraph } from './version-graph.js';
import type { VersionTable } from './version-table.js';

/**
 * The session guarantees per session (`level: 'session'`) or per user (`level: 'user'`).
 *
 * The version order. The guarantees speak of newer and older versions of a key, that is of one
 * order of its writes (Terry et al.'s WriteOrder, Viotti and Vukolić's arbitration), which the
 * history does not record. Written values are unique per key, so each read names the write it
 * saw; the order is recovered from what the history proves about it, and nothing else:
 * - the initial value precedes every write; a cas that replaced u with x puts u before x;
 * - within a scope, ops ordered in real time (one completed before the other was invoked) make
 *   the demands of the four guarantees: a version the scope wrote or read is older than or equal
 *   to what it reads later (read-your-writes, monotonic reads), and strictly older than what it
 *   writes later (monotonic writes, writes-follow-reads);
 * - the order of a session's own writes is what it issued (monotonic writes), and the order any
 *   session observed binds every other (one order for all).
 * Real-time order between writes of different scopes is not part of it: a session-consistent
 * system may arbitrate concurrent and even non-overlapping writes either way (a sequentially
 * consistent one does), and the lattice (sequential ⊃ session) must hold. A user's scope spans
 * their sessions in real time, so per user it does order their own non-overlapping operations.
 *
 * Going backwards is then a contradiction: a scope reads a version that the proven order puts
 * strictly before one it had already read or written. The level holds iff one version order
 * satisfies every demand of every scope; otherwise the demands contain a cycle through two
 * distinct versions (or a strict demand within one). A guarantee is reported violated when one
 * of its own demands lies on such a cycle: it is broken if the others held. So one stale read can
 * be reported under two guarantees (a session that wrote 1 then 2 and read 1 broke
 * read-your-writes, or its writes were applied out of order: monotonic writes); each sentence
 * says why the value counts as older. Cycles through a value written twice are `unknown`: such
 * a read cannot name its write. `scratch` lets consecutive checks of one table share arrays.
 */
export function sessionLevel(table: VersionTable, level: 'session' | 'user', violationsMax = VIOLATIONS_MAX_DEFAULT, scratch: { graph?: VersionGraph } = {}): LevelResult {
  if (level === 'user' && !table.ops.some((op) => op.user !== undefined)) {
    return { level, status: 'not-applicable', cause: 'no operation carries a user field: per-user guarantees cannot be checked', details: { scopes: 0 } };
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
