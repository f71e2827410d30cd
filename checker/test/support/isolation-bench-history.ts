/**
 * Large list-append histories for the isolation benchmark, built straight as paired
 * operations (no op objects, so a million transactions fit in memory). Processes run
 * transactions concurrently; each transaction takes effect atomically when it completes, so the
 * history is strict serializable unless `staleReadRate` makes some reads miss the last append.
 * Keys rotate as in Elle's generator: `keys` are live at a time, and a key that has taken
 * `appendsPerKeyMax` appends is retired for a fresh one (otherwise reads grow without bound).
 */
import type { Operation } from '../../src/index.js';

export interface BenchHistoryOptions {
  transactions: number;
  mopsPerTxn: number;
  /** Keys live at any moment. */
  keys: number;
  appendsPerKeyMax: number;
  processes: number;
  seed: number;
  /** Fraction of reads that miss the key's last append (default 0: a clean history). */
  staleReadRate?: number;
  /** Fractions of transactions that fail (nothing happens) or end `info` (half of them happen). */
  failRate?: number;
  infoRate?: number;
  /** Register transactions (`r`, `w`) instead of list appends; `appendsPerKeyMax` bounds writes per key. */
  registers?: boolean;
}

/** xorshift32: small, fast, seeded. */
function rng(seed: number): () => number {
  let x = seed | 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

export function listAppendHistory(o: BenchHistoryOptions): { operations: Operation[]; distinctKeys: number } {
  const random = rng(o.seed);
  const stale = o.staleReadRate ?? 0;
  const failRate = o.failRate ?? 0;
  const infoRate = o.infoRate ?? 0;
  const state: number[][] = [];
  const live: number[] = [];
  for (let k = 0; k < o.keys; k++) { live.push(k); state.push([]); }
  let nextKey = o.keys;
  const appended = new Int32Array(o.transactions * o.mopsPerTxn + o.keys);
  const operations: Operation[] = [];
  const inFlight: (Operation | undefined)[] = new Array(o.processes).fill(undefined);
  const processId = Array.from({ length: o.processes }, (_, p) => p);
  let nextProcess = o.processes;
  let index = 0;
  let value = 1;
  let completed = 0;
  while (completed < o.transactions) {
    const p = Math.floor(random() * o.processes);
    const op = inFlight[p];
    if (op === undefined) {
      if (operations.length >= o.transactions) continue;
      const input: unknown[] = [];
      for (let i = 0; i < o.mopsPerTxn; i++) {
        const k = live[Math.floor(random() * live.length)];
        input.push(random() < 0.5 ? ['r', k, null] : [o.registers === true ? 'w' : 'append', k, value++]);
      }
      const created: Operation = { id: operations.length, process: processId[p], f: 'txn', input, output: undefined, status: 'info', call: index++, ret: Infinity };
      operations.push(created);
      inFlight[p] = created;
      continue;
    }
    inFlight[p] = undefined;
    completed++;
    const roll = random();
    const outcome = roll < failRate ? 'fail' : roll < failRate + infoRate ? 'info' : 'ok';
    if (outcome === 'fail') { op.status = 'fail'; op.output = op.input; op.ret = index++; continue; }
    if (outcome === 'info') { processId[p] = nextProcess++; if (random() < 0.5) continue; }
    const output: unknown[] = [];
    for (const m of op.input as [string, number, number | null][]) {
      const k = m[1];
      if (m[0] === 'r') {
        const list = state[k];
        const seen = stale > 0 && list.length > 0 && random() < stale ? list.slice(0, -1) : list.slice();
        output.push(['r', k, o.registers === true ? (seen.length > 0 ? seen[seen.length - 1] : null) : seen]);
        continue;
      }
      state[k].push(m[2] as number);
      output.push(m);
      if (++appended[k] === o.appendsPerKeyMax) {
        const at = live.indexOf(k);
        live[at] = nextKey++;
        state.push([]);
      }
    }
    if (outcome === 'info') continue; // happened, but the client never heard back
    op.status = 'ok';
    op.output = output;
    op.ret = index++;
  }
  return { operations, distinctKeys: nextKey };
}
