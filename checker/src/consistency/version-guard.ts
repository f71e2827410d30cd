import type { Operation } from '../history/op.js';
import type { CompleteModel } from '../models/model.js';
import { showValue } from '../models/values.js';
import { buildGuaranteeGraph, type ScopeLevel } from './guarantee-graph.js';
import { EdgeKind } from './version-graph.js';
import { buildVersionTable, dataModelOf, type VersionTable } from './version-table.js';

/**
 * Prunings for the sequential search on register and kv histories whose written values are
 * unique per key. Both only cut orders that have no legal completion:
 * - a version, once overwritten, never comes back: a move that overwrites a version some pending
 *   read (or successful cas) still has to observe cannot be completed;
 * - what each unit saw orders versions (the session guarantees' demands, which every sequential
 *   order meets: sequential ⊃ session): a version may only be written once the versions that must
 *   precede it are.
 * The search refuses such a move at once instead of finding out many steps later.
 */
export class VersionGuard {
  private readonly current: Int32Array;
  private readonly pending: Int32Array;
  private readonly initialPending: Int32Array;
  private readonly installed: Uint8Array;
  /** Per version: the versions that must be written before it (CSR). */
  private readonly predStart: Int32Array;
  private readonly preds: Int32Array;
  /** Per key: its acknowledged writes by invocation, and the first of them not yet taken. */
  private readonly keyWrites: Int32Array[];
  private readonly writeIndex: Int32Array;
  private readonly firstPending: Int32Array;
  private readonly taken: Uint8Array;
  /** Per depth of the search: the key a move changed (-1: none) and its version before. */
  private readonly undoKey: Int32Array;
  private readonly undoVersion: Int32Array;
  private depth = 0;

  private constructor(private readonly table: VersionTable, level: ScopeLevel) {
    this.current = Int32Array.from(table.initVersion);
    const versions = table.versionKey.length;
    this.pending = new Int32Array(versions);
    for (let i = 0; i < table.ops.length; i++) if (table.readOf[i]! >= 0) this.pending[table.readOf[i]!]!++;
    this.initialPending = this.pending.slice();
    this.installed = new Uint8Array(versions);
    for (const v of table.initVersion) this.installed[v] = 1;
    ({ start: this.predStart, list: this.preds } = predecessors(table, level));
    const perKey: number[][] = table.keys.map(() => []);
    this.writeIndex = new Int32Array(table.ops.length).fill(-1);
    for (let i = 0; i < table.ops.length; i++) {
      if (table.writeOf[i]! < 0 || table.status[i] !== 0) continue;
      const list = perKey[table.keyOfOp[i]!]!;
      this.writeIndex[i] = list.length;
      list.push(i);
    }
    // Ops are in invocation order already (the search sorts them), so each list is too.
    this.keyWrites = perKey.map((l) => Int32Array.from(l));
    this.firstPending = new Int32Array(table.keys.length);
    this.taken = new Uint8Array(table.ops.length);
    this.undoKey = new Int32Array(table.ops.length + 1);
    this.undoVersion = new Int32Array(table.ops.length + 1);
  }

  /** The guard for these ops, or undefined when the model or the values do not allow it. */
  static for(model: CompleteModel<any>, ops: readonly Operation[], level: ScopeLevel): VersionGuard | undefined {
    const kind = dataModelOf(model);
    if (kind === undefined) return undefined;
    const table = buildVersionTable(model, ops, kind);
    if (table.duplicates > 0 || table.unsupported !== undefined) return undefined;
    return new VersionGuard(table, level);
  }

  /**
   * True when op i writes a key whose earlier invoked acknowledged write is still to come: the
   * search tries it after the others (a preference, not a pruning), so writes land in invocation
   * order per key unless something forces otherwise.
   */
  defers(i: number): boolean {
    const j = this.writeIndex[i]!;
    if (j < 0) return false;
    return this.firstPending[this.table.keyOfOp[i]!]! < j;
  }

  private markTaken(i: number, done: boolean): void {
    const j = this.writeIndex[i]!;
    if (j < 0) return;
    this.taken[i] = done ? 1 : 0;
    const key = this.table.keyOfOp[i]!;
    const list = this.keyWrites[key]!;
    if (done) {
      let f = this.firstPending[key]!;
      while (f < list.length && this.taken[list[f]!] === 1) f++;
      this.firstPending[key] = f;
    } else if (j < this.firstPending[key]!) {
      this.firstPending[key] = j;
    }
  }

  /** Back to the start: nothing taken. */
  reset(): void {
    this.firstPending.fill(0);
    this.taken.fill(0);
    this.current.set(this.table.initVersion);
    this.pending.set(this.initialPending);
    this.installed.fill(0);
    for (const v of this.table.initVersion) this.installed[v] = 1;
    this.depth = 0;
  }

  /** Why op i cannot go next, or undefined. */
  refuses(i: number): string | undefined {
    const { table } = this;
    const v = this.overwrites(i);
    if (v < 0) return undefined;
    const left = this.pending[v]! - (table.readOf[i] === v ? 1 : 0);
    if (left > 0) return `it would overwrite ${showValue(table.versionValue[v])}, which ${left} later read(s) still observe`;
    const w = table.writeOf[i]!;
    for (let k = this.predStart[w]!; k < this.predStart[w + 1]!; k++) {
      const u = this.preds[k]!;
      if (this.installed[u] === 0) return `it would write ${showValue(table.versionValue[w])} before ${showValue(table.versionValue[u])}, which a session saw first`;
    }
    return undefined;
  }

  /** Takes op i (already accepted by the model and by `refuses`). */
  apply(i: number): void {
    const { table } = this;
    const read = table.readOf[i]!;
    if (read >= 0) this.pending[read]!--;
    this.markTaken(i, true);
    const v = this.overwrites(i);
    const d = this.depth++;
    if (v < 0) {
      this.undoKey[d] = -1;
      return;
    }
    const key = table.keyOfOp[i]!;
    this.undoKey[d] = key;
    this.undoVersion[d] = v;
    this.current[key] = table.writeOf[i]!;
    this.installed[table.writeOf[i]!] = 1;
  }

  /** Undoes the last `apply`, which took op i. */
  undo(i: number): void {
    const d = --this.depth;
    const key = this.undoKey[d]!;
    if (key >= 0) {
      this.installed[this.current[key]!] = 0;
      this.current[key] = this.undoVersion[d]!;
    }
    const read = this.table.readOf[i]!;
    if (read >= 0) this.pending[read]!++;
    this.markTaken(i, false);
  }

  /** The version op i replaces if it runs now, or -1 (no write, or a timed-out cas that would not match). */
  private overwrites(i: number): number {
    const { table } = this;
    const w = table.writeOf[i]!;
    const key = table.keyOfOp[i]!;
    if (w < 0 || key < 0) return -1;
    const now = this.current[key]!;
    if (now === w) return -1;
    if (table.ops[i]!.f === 'cas' && table.status[i] !== 0 && table.casFrom[i] !== now) return -1; // an info cas that would not match
    return now;
  }
}

/**
 * For each version, the versions the units' demands put before it: for every demand edge
 * frontier → v, the frontier's newest member (each frontier node has exactly one), and for a cas
 * the version it replaced. Checking each version's own predecessors checks them all, by induction.
 */
function predecessors(table: VersionTable, level: ScopeLevel): { start: Int32Array; list: Int32Array } {
  const { graph } = buildGuaranteeGraph(table, level);
  const versions = graph.versions;
  const member = new Int32Array(graph.nodes).fill(-1);
  for (let e = 0; e < graph.edges; e++) if (graph.kind[e] === EdgeKind.Member) member[graph.dst[e]!] = graph.src[e]!;
  const from = new Int32Array(graph.edges);
  const to = new Int32Array(graph.edges);
  let n = 0;
  for (let e = 0; e < graph.edges; e++) {
    const kind = graph.kind[e]!;
    const v = graph.dst[e]!;
    if (v >= versions || kind === EdgeKind.Member || kind === EdgeKind.Advance || kind === EdgeKind.Initial) continue;
    const u = kind === EdgeKind.Cas ? graph.src[e]! : member[graph.src[e]!]!;
    if (u < 0 || u === v || table.versionWriter[u] === -1) continue;
    from[n] = u;
    to[n] = v;
    n++;
  }
  const start = new Int32Array(versions + 1);
  for (let k = 0; k < n; k++) start[to[k]! + 1]!++;
  for (let v = 0; v < versions; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, versions);
  const list = new Int32Array(n);
  for (let k = 0; k < n; k++) list[fill[to[k]!]!++] = from[k]!;
  return { start, list };
}
