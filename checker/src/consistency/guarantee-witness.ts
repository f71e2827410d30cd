import type { Operation } from '../history/op.js';
import { showValue } from '../models/values.js';
import { valueAt, views } from './describe.js';
import { scopeName, type ScopeLevel } from './guarantee-graph.js';
import type { SessionGuarantee, Violation } from './types.js';
import { EdgeKind, isStrict, type VersionGraph } from './version-graph.js';
import type { VersionTable } from './version-table.js';

export const GUARANTEE_OF_EDGE: Partial<Record<EdgeKind, SessionGuarantee>> = {
  [EdgeKind.ReadYourWrites]: 'read-your-writes',
  [EdgeKind.MonotonicReads]: 'monotonic-reads',
  [EdgeKind.MonotonicWrites]: 'monotonic-writes',
  [EdgeKind.WritesFollowReads]: 'writes-follow-reads',
};

/** Reason hops a sentence spells out before summarising the rest. */
const REASONS_SHOWN_MAX = 4;

/** One step of a contradiction between two versions: `from` ≤ (or <) `to`, and the ops that say so. */
interface Hop {
  kind: EdgeKind;
  from: number;
  to: number;
  /** The op that put `from` in a frontier (-1 for base edges). */
  first: number;
  /** The op whose invocation demanded the order (or the writer / cas for base edges). */
  second: number;
}

/**
 * Finds and explains a contradiction through edge `e` (a frontier → version edge of one
 * guarantee) inside its strongly connected component: the shortest closed walk back from the
 * version to the frontier, detoured through a second version or a strict edge when the shortest
 * one alone would be consistent (all members equal).
 */
export class WitnessFinder {
  private readonly parent: Int32Array;
  private readonly mark: Int32Array;
  private epoch = 0;

  constructor(private readonly table: VersionTable, private readonly graph: VersionGraph, private readonly component: Int32Array, private readonly level: ScopeLevel) {
    this.parent = new Int32Array(graph.nodes);
    this.mark = new Int32Array(graph.nodes);
  }

  violation(e: number): Violation {
    const walk = this.closedWalk(e);
    return this.explain(walk);
  }

  private closedWalk(e: number): number[] {
    const { graph } = this;
    const source = graph.src[e]!;
    const target = graph.dst[e]!;
    const back = this.path(target, (u) => u === source)!;
    const walk = [e, ...back];
    if (this.isContradiction(walk)) return walk;
    // Detour through another version, or through a strict edge, on the way back.
    let strictEdge = -1;
    const toWitness = this.path(target, (u) => {
      if (u < graph.versions && u !== target) return true;
      strictEdge = this.strictOut(u);
      return strictEdge !== -1;
    })!;
    const via = strictEdge !== -1 ? [...toWitness, strictEdge] : toWitness;
    const from = via.length > 0 ? graph.dst[via[via.length - 1]!]! : target;
    return [e, ...via, ...this.path(from, (u) => u === source)!];
  }

  private strictOut(u: number): number {
    for (let e = this.graph.head[u]!; e !== -1; e = this.graph.nextOut[e]!) {
      if (isStrict(this.graph.kind[e] as EdgeKind) && this.component[this.graph.dst[e]!] === this.component[u]) return e;
    }
    return -1;
  }

  private isContradiction(walk: readonly number[]): boolean {
    const { graph } = this;
    let version = -1;
    for (const e of walk) {
      if (isStrict(graph.kind[e] as EdgeKind)) return true;
      const v = graph.dst[e]!;
      if (v < graph.versions) {
        if (version !== -1 && version !== v) return true;
        version = v;
      }
    }
    return false;
  }

  /** Breadth-first within the component: the edges of a shortest path from `from` to a node `accept` takes. */
  private path(from: number, accept: (u: number) => boolean): number[] | undefined {
    const { graph, parent, mark, component } = this;
    const c = component[from]!;
    const stamp = ++this.epoch;
    const queue: number[] = [from];
    mark[from] = stamp;
    parent[from] = -1;
    for (let q = 0; q < queue.length; q++) {
      const u = queue[q]!;
      if (q > 0 && accept(u)) {
        const edges: number[] = [];
        for (let x = u; parent[x] !== -1; x = graph.src[parent[x]!]!) edges.push(parent[x]!);
        return edges.reverse();
      }
      for (let e = graph.head[u]!; e !== -1; e = graph.nextOut[e]!) {
        const v = graph.dst[e]!;
        if (mark[v] === stamp || component[v] !== c) continue;
        mark[v] = stamp;
        parent[v] = e;
        queue.push(v);
      }
    }
    if (accept(from)) return [];
    return undefined;
  }

  /** The walk as hops between versions, the guarantee's own hop first. */
  private hops(walk: readonly number[]): Hop[] {
    const { graph } = this;
    const out: Hop[] = [];
    let member: { version: number; op: number } | undefined;
    for (let k = 1; k < walk.length; k++) {
      const e = walk[k]!;
      const kind = graph.kind[e] as EdgeKind;
      if (kind === EdgeKind.Member) member = { version: graph.src[e]!, op: graph.op[e]! };
      else if (kind === EdgeKind.Advance) continue;
      else if (kind === EdgeKind.Initial || kind === EdgeKind.Cas || kind === EdgeKind.Sibling) out.push({ kind, from: graph.src[e]!, to: graph.dst[e]!, first: -1, second: graph.op[e]! });
      else out.push({ kind, from: member!.version, to: graph.dst[e]!, first: member!.op, second: graph.op[e]! });
    }
    const first = walk[0]!;
    const own: Hop = { kind: graph.kind[first] as EdgeKind, from: member!.version, to: graph.dst[first]!, first: member!.op, second: graph.op[first]! };
    return [own, ...out];
  }

  private explain(walk: readonly number[]): Violation {
    const { table } = this;
    const [own, ...rest] = this.hops(walk);
    const g = GUARANTEE_OF_EDGE[own!.kind]!;
    const scope = scopeName(table.ops[own!.second]!, this.level)!;
    const label = (v: number): string => valueAt(table.keys[table.versionKey[v]!], table.versionValue[v], table.kind);
    const bare = (v: number): string => showValue(table.versionValue[v]);
    const m = own!.from;
    const t = own!.to;
    const verbs: Record<SessionGuarantee, [string, string]> = {
      'read-your-writes': ['wrote', 'read'],
      'monotonic-reads': ['read', 'read'],
      'monotonic-writes': ['wrote', 'wrote'],
      'writes-follow-reads': ['read', 'wrote'],
    };
    const [v1, v2] = verbs[g];
    let sentence: string;
    if (m === t && g === 'writes-follow-reads') sentence = `${scope} read ${label(m)} before writing it`;
    else if (m === t) sentence = `${scope} ${v1} ${label(m)} and then ${v2} it, yet the values around it are ordered in a cycle`;
    else if (g === 'read-your-writes' || g === 'monotonic-reads') sentence = `${scope} ${v1} ${label(m)} and then ${v2} ${label(t)}, an older value`;
    else sentence = `${scope} ${v1} ${label(m)} and then ${v2} ${label(t)}, yet ${bare(t)} comes before ${bare(m)}`;
    const reasons = rest.slice(0, REASONS_SHOWN_MAX).map((h) => this.reason(h, label, bare));
    if (rest.length > REASONS_SHOWN_MAX) reasons.push(`and ${rest.length - REASONS_SHOWN_MAX} more step(s)`);
    if (reasons.length > 0) sentence += `: ${reasons.join('; ')}`;
    sentence += ` (${g})`;
    const ops: (Operation | undefined)[] = [];
    const at = (i: number): Operation | undefined => (i >= 0 ? table.ops[i] : undefined);
    ops.push(at(own!.first), at(own!.second), at(table.versionWriter[t]!), at(table.versionWriter[m]!));
    for (const h of rest) ops.push(at(h.first), at(h.second));
    return { kind: g, scope, sentence, operations: views(ops, table.model) };
  }

  private reason(h: Hop, label: (v: number) => string, bare: (v: number) => string): string {
    if (h.kind === EdgeKind.Sibling) return `${label(h.from)} is one of the siblings ${bare(h.to)}`;
    const op = this.table.ops[h.second]!;
    const scope = h.kind === EdgeKind.Initial || h.kind === EdgeKind.Cas ? `process ${String(op.process)}` : scopeName(op, this.level)!;
    switch (h.kind) {
      case EdgeKind.Initial: return `${label(h.from)} is the initial value`;
      case EdgeKind.Cas: return `${scope}'s cas replaced ${label(h.from)} with ${bare(h.to)}`;
      case EdgeKind.MonotonicReads: return `${scope} read ${label(h.from)} and then ${bare(h.to)}`;
      case EdgeKind.ReadYourWrites: return `${scope} wrote ${label(h.from)} and then read ${bare(h.to)}`;
      case EdgeKind.MonotonicWrites: return `${scope} wrote ${label(h.from)} and then ${bare(h.to)}`;
      default: return `${scope} read ${label(h.from)} and then wrote ${bare(h.to)}`;
    }
  }
}
