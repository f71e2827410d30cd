/**
 * Writes a large list-append history straight to a file, in Jepsen's layout (one op map a line,
 * in EDN or JSONL), without holding it in memory: the parsing bench needs files of hundreds of
 * megabytes. Processes run transactions concurrently; each takes effect when it completes, so the
 * history is strict serializable. Keys rotate as in Elle's generator: `keys` are live at a time,
 * and a key that has taken `appendsPerKeyMax` appends is retired for a fresh one. One seed gives
 * one file, byte for byte.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export interface ListAppendFileOptions {
  transactions: number;
  mopsPerTxn: number;
  keys: number;
  appendsPerKeyMax: number;
  processes: number;
  seed: number;
  format: 'edn' | 'jsonl';
}

/** xorshift32: small, fast, seeded. */
function rng(seed: number): () => number {
  let x = seed | 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

type Mop = ['r', number, number[] | null] | ['append', number, number];

/** Writes the history to `path`; returns its size in bytes and its number of transactions. */
export async function writeListAppendFile(path: string, o: ListAppendFileOptions): Promise<{ bytes: number; transactions: number }> {
  const random = rng(o.seed);
  const out = createWriteStream(path);
  const state = new Map<number, number[]>();
  const appended = new Map<number, number>();
  const live: number[] = [];
  for (let k = 0; k < o.keys; k++) live.push(k);
  let nextKey = o.keys;
  const inFlight: (Mop[] | undefined)[] = new Array(o.processes).fill(undefined);
  let index = 0;
  let value = 1;
  let started = 0;
  let completed = 0;
  let bytes = 0;
  let buffer = '';
  const emit = async (type: string, process: number, mops: Mop[]): Promise<void> => {
    const line = o.format === 'edn' ? ednLine(type, process, mops, index) : jsonLine(type, process, mops, index);
    index++;
    buffer += line;
    if (buffer.length >= 1 << 20) {
      bytes += Buffer.byteLength(buffer);
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  };
  while (completed < o.transactions) {
    const p = Math.floor(random() * o.processes);
    const txn = inFlight[p];
    if (txn === undefined) {
      if (started === o.transactions) continue;
      started++;
      const mops: Mop[] = [];
      for (let i = 0; i < o.mopsPerTxn; i++) {
        const k = live[Math.floor(random() * live.length)]!;
        mops.push(random() < 0.5 ? ['r', k, null] : ['append', k, value++]);
      }
      inFlight[p] = mops;
      await emit('invoke', p, mops);
      continue;
    }
    inFlight[p] = undefined;
    completed++;
    const done: Mop[] = txn.map((m) => {
      const k = m[1];
      if (m[0] === 'r') return ['r', k, [...(state.get(k) ?? [])]];
      let list = state.get(k);
      if (list === undefined) state.set(k, (list = []));
      list.push(m[2]);
      const n = (appended.get(k) ?? 0) + 1;
      appended.set(k, n);
      // A retired key keeps its list: a transaction already in flight may still touch it.
      if (n === o.appendsPerKeyMax) live[live.indexOf(k)] = nextKey++;
      return m;
    });
    await emit('ok', p, done);
  }
  bytes += Buffer.byteLength(buffer);
  out.end(buffer);
  await once(out, 'finish');
  return { bytes, transactions: completed };
}

function ednMop(m: Mop): string {
  const v = m[2];
  return `[:${m[0]} ${m[1]} ${v === null ? 'nil' : Array.isArray(v) ? `[${v.join(' ')}]` : v}]`;
}

function ednLine(type: string, process: number, mops: Mop[], index: number): string {
  return `{:type :${type}, :f :txn, :value [${mops.map(ednMop).join(' ')}], :time ${index * 1000}, :process ${process}, :index ${index}}\n`;
}

function jsonLine(type: string, process: number, mops: Mop[], index: number): string {
  return `{"type":"${type}","f":"txn","value":${JSON.stringify(mops)},"time":${index * 1000},"process":${process},"index":${index}}\n`;
}
