import { valueToJson } from '../history/value-json.js';
import type { Draft, DraftEdge } from './anomaly-sink.js';
import { E_PROCESS, E_REALTIME, E_RW, E_RWP, E_WR, E_WRP, E_WW, KIND_NAMES } from './graph.js';
import { inRange, MOP_APPEND, MOP_READ, MOP_SCAN, MOP_WRITE } from './micro-ops.js';
import { KEY_LIST, type TxnTable } from './txn-table.js';
import type { Anomaly, DependencyEdge, TransactionView } from './types.js';

/** A value as Elle prints it (nil, [1 2 3]); long lists keep their ends. */
export function showEdn(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'string') return /^[\w.:-]+$/.test(v) ? v : JSON.stringify(v);
  if (Array.isArray(v)) {
    const items = v.length > 8 ? [...v.slice(0, 3).map(showEdn), '…', ...v.slice(-3).map(showEdn)] : v.map(showEdn);
    return `[${items.join(' ')}]`;
  }
  if (typeof v === 'object') return valueToJson(v);
  return String(v);
}

/** Turns drafts into the public anomalies: views of the transactions, edges with reasons. */
export class Explainer {
  constructor(private readonly table: TxnTable) {}

  key(k: number): string {
    return showEdn(this.table.keys[k]);
  }

  /** The micro-op (as recorded) at global index g of transaction t. */
  mop(t: number, g: number): unknown[] {
    return this.table.mops[t][g - this.table.mopStart[t]] as unknown[];
  }

  /** Global indices of t's micro-ops of the given kind on key k (k = -1: any key). */
  mopsOn(t: number, kind: number, k: number): number[] {
    const out: number[] = [];
    for (let g = this.table.mopStart[t]; g < this.table.mopStart[t + 1]; g++) {
      if (this.table.mopKind[g] === kind && (k < 0 || this.table.mopKey[g] === k)) out.push(g);
    }
    return out;
  }

  /** t's first write or append of key k, or its last when `last`. */
  writeOf(t: number, k: number, last = false): unknown {
    const kind = this.table.keyKind[k] === KEY_LIST ? MOP_APPEND : MOP_WRITE;
    const writes = this.mopsOn(t, kind, k);
    if (writes.length === 0) return undefined;
    return this.mop(t, writes[last ? writes.length - 1 : 0])[2];
  }

  finalize(draft: Draft): Anomaly {
    const order = [...new Set(draft.txns)];
    for (const e of draft.edges ?? []) for (const t of [e.from, e.to]) if (!order.includes(t)) order.push(t);
    const names = new Map(order.map((t, i) => [t, `T${i + 1}`]));
    const name = (t: number): string => names.get(t) ?? `T?${t}`;
    const anomaly: Anomaly = {
      type: draft.type,
      rulesOut: [...draft.rulesOut],
      transactions: order.map((t) => this.view(t, name(t))),
      edges: (draft.edges ?? []).map((e) => this.edge(e, name)),
      sentence: draft.sentence(name),
    };
    if (draft.key !== undefined) anomaly.key = this.table.keys[draft.key];
    return anomaly;
  }

  view(t: number, name: string): TransactionView {
    const op = this.table.operations[t];
    return {
      name,
      call: op.call,
      ret: Number.isFinite(op.ret) ? op.ret : null,
      process: op.process,
      status: op.status,
      ops: [...this.table.mops[t]],
    };
  }

  edge(e: DraftEdge, name: (t: number) => string): DependencyEdge {
    const out: DependencyEdge = { from: name(e.from), to: name(e.to), kind: KIND_NAMES[e.kind], why: this.why(e, name) };
    if (e.key >= 0) out.key = this.table.keys[e.key];
    const value = e.key >= 0 ? this.edgeValue(e) : undefined;
    if (value !== undefined) out.value = value;
    return out;
  }

  /** The written value an edge is about (see `DependencyEdge.value`). */
  private edgeValue(e: DraftEdge): unknown {
    switch (e.kind) {
      case E_WW:
      case E_RW:
      case E_RWP:
        return this.writeOf(e.to, e.key);
      case E_WR:
        return this.table.keyKind[e.key] === KEY_LIST ? this.writeOf(e.from, e.key, true) : this.readFrom(e.to, e.key, e.from);
      case E_WRP:
        return this.writeOf(e.from, e.key, true);
      default:
        return undefined;
    }
  }

  /** Why an edge exists, in a few words. */
  why(e: DraftEdge, name: (t: number) => string): string {
    const a = name(e.from);
    const b = name(e.to);
    const list = e.key >= 0 && this.table.keyKind[e.key] === KEY_LIST;
    const k = e.key >= 0 ? this.key(e.key) : '';
    const deletes = e.key >= 0 && this.table.deleter[e.key] === e.to;
    const deleted = e.key >= 0 && this.table.deleter[e.key] === e.from;
    switch (e.kind) {
      case E_WW:
        if (deletes) return `${b} deleted ${k}, which ${a} inserted (${k}=${showEdn(this.writeOf(e.from, e.key, true))})`;
        return list
          ? `${b} appended ${showEdn(this.writeOf(e.to, e.key))} to ${k} after ${a}'s ${showEdn(this.writeOf(e.from, e.key, true))}`
          : `${b} wrote ${k}=${showEdn(this.writeOf(e.to, e.key))} after ${a}'s ${k}=${showEdn(this.writeOf(e.from, e.key, true))}`;
      case E_WR: {
        if (deleted) return `${b} read ${k}=nil after ${a} deleted ${k}`;
        const read = this.readFrom(e.to, e.key, e.from);
        return list ? `${b} read ${k}=${showEdn(read)}, seeing ${a}'s append of ${showEdn(this.writeOf(e.from, e.key, true))}` : `${b} read ${k}=${showEdn(read)}, which ${a} wrote`;
      }
      case E_RW: {
        const read = this.firstRead(e.from, e.key);
        if (deletes) return `${a} read ${k}=${showEdn(read)}, before ${b} deleted ${k}`;
        const w = showEdn(this.writeOf(e.to, e.key));
        return list ? `${a} read ${k}=${showEdn(read)}, without ${b}'s append of ${w}` : `${a} read ${k}=${showEdn(read)}, before ${b} wrote ${w}`;
      }
      case E_WRP:
        if (deleted) return `${b}'s scan ${this.scanCovering(e.to, e.key)} missed key ${k}, after ${a} deleted it`;
        return `${b}'s scan ${this.scanCovering(e.to, e.key)} saw key ${k}, which ${a} inserted`;
      case E_RWP:
        if (deletes) return `${a}'s scan ${this.scanCovering(e.from, e.key)} saw key ${k}, before ${b} deleted it`;
        return `${a}'s scan ${this.scanCovering(e.from, e.key)} missed key ${k}, which ${b} inserted`;
      case E_REALTIME:
        return `${a} completed before ${b} began`;
      case E_PROCESS:
        return `${a} ran before ${b} on process ${showEdn(this.table.operations[e.to].process)}`;
      default:
        return KIND_NAMES[e.kind];
    }
  }

  /** The value of t's read of k that shows writer w's write (else its first read of k). */
  private readFrom(t: number, k: number, w: number): unknown {
    for (const g of this.mopsOn(t, MOP_READ, k)) {
      const vid = this.table.mopValue[g];
      if (vid >= 0 && this.table.vTxn[vid] === w) return this.mop(t, g)[2];
    }
    return this.firstRead(t, k);
  }

  firstRead(t: number, k: number): unknown {
    const reads = this.mopsOn(t, MOP_READ, k);
    return reads.length > 0 ? this.mop(t, reads[0])[2] : undefined;
  }

  private scanCovering(t: number, k: number): string {
    for (const g of this.mopsOn(t, MOP_SCAN, -1)) {
      const scan = this.table.scans[this.table.mopValue[g]];
      if (inRange(this.table.keys[k], scan.lo, scan.hi)) return `of [${showEdn(scan.lo)} ${showEdn(scan.hi)}]`;
    }
    return `of ${this.key(k)}`;
  }
}
