import { E_PROCESS, E_REALTIME, type EdgeBuffer } from './graph.js';
import { ST_FAIL, ST_OK, type TxnTable } from './txn-table.js';

/**
 * Real-time edges: T → U when T completed before U was invoked. All such pairs would be
 * quadratic, so, as Elle does, only a transitive reduction is kept: U gets an edge from each
 * transaction on the current frontier (completed, with no completed successor yet); when U
 * completes it replaces its predecessors on the frontier. Frontier members overlap pairwise, so
 * there are at most as many as there were concurrent transactions: O(n · concurrency) edges.
 * Order is history order (invocation and completion indices). `info` transactions never
 * complete: they follow others, nothing follows them.
 */
export function addRealtimeEdges(table: TxnTable, edges: EdgeBuffer): void {
  const { n, operations } = table;
  let span = 0;
  for (let t = 0; t < n; t++) {
    const op = operations[t];
    span = Math.max(span, op.call + 1, Number.isFinite(op.ret) ? op.ret + 1 : 0);
  }
  if (span > 8 * n + 1024 || !operations.every((o) => Number.isInteger(o.call))) {
    addRealtimeEdgesSorted(table, edges);
    return;
  }
  // Dense history indices: bucket the events by index instead of sorting them.
  const callAt = table.arena.int32(span, -1);
  const retAt = table.arena.int32(span, -1);
  for (let t = 0; t < n; t++) {
    if (table.status[t] === ST_FAIL) continue;
    const op = operations[t];
    callAt[op.call] = t;
    if (table.status[t] === ST_OK && Number.isFinite(op.ret)) retAt[op.ret] = t;
  }
  const sweep = new FrontierSweep(table, edges);
  for (let i = 0; i < span; i++) {
    if (callAt[i] >= 0) sweep.invoke(callAt[i]);
    if (retAt[i] >= 0) sweep.complete(retAt[i]);
  }
}

function addRealtimeEdgesSorted(table: TxnTable, edges: EdgeBuffer): void {
  const events: [number, number, number][] = [];
  for (let t = 0; t < table.n; t++) {
    if (table.status[t] === ST_FAIL) continue;
    const op = table.operations[t];
    events.push([op.call, 0, t]);
    if (table.status[t] === ST_OK && Number.isFinite(op.ret)) events.push([op.ret, 1, t]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const sweep = new FrontierSweep(table, edges);
  for (const [, type, t] of events) if (type === 0) sweep.invoke(t); else sweep.complete(t);
}

class FrontierSweep {
  private frontier: number[] = [];
  private readonly onFrontier: Uint8Array;
  /** Each transaction's predecessors (the frontier at its invocation) are the sources of its edges `predStart .. predEnd-1`. */
  private readonly predStart: Int32Array;
  private readonly predEnd: Int32Array;

  constructor(table: TxnTable, private readonly edges: EdgeBuffer) {
    this.onFrontier = table.arena.uint8(table.n);
    this.predStart = table.arena.int32(table.n);
    this.predEnd = table.arena.int32(table.n);
  }

  invoke(u: number): void {
    this.predStart[u] = this.edges.size;
    const frontier = this.frontier;
    for (let i = 0; i < frontier.length; i++) this.edges.push(frontier[i], u, E_REALTIME, -1);
    this.predEnd[u] = this.edges.size;
  }

  complete(u: number): void {
    let removed = 0;
    for (let i = this.predStart[u]; i < this.predEnd[u]; i++) {
      const t = this.edges.src[i];
      if (this.onFrontier[t] === 1) { this.onFrontier[t] = 0; removed++; }
    }
    if (removed > 0) {
      const frontier = this.frontier;
      let kept = 0;
      for (let i = 0; i < frontier.length; i++) if (this.onFrontier[frontier[i]] === 1) frontier[kept++] = frontier[i];
      frontier.length = kept;
    }
    this.frontier.push(u);
    this.onFrontier[u] = 1;
  }
}

/** Process edges: each process's transactions in order (failed ones skipped; they did nothing). */
export function addProcessEdges(table: TxnTable, edges: EdgeBuffer): void {
  const last = new Int32Array(table.processNames.length).fill(-1);
  for (let t = 0; t < table.n; t++) {
    if (table.status[t] === ST_FAIL) continue;
    const p = table.process[t];
    if (last[p] >= 0) edges.push(last[p], t, E_PROCESS, -1);
    last[p] = t;
  }
}
