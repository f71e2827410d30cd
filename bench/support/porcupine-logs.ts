/**
 * Writes generated histories in Porcupine's two log formats, so Verdict and Porcupine read the
 * same file: a Jepsen etcd log (one register: read, write, cas) and Porcupine's kv log (get, put,
 * append on string values, partitioned by key). Clients run concurrently; each operation takes
 * effect at a point strictly inside its interval (invoke, effect and completion are separate
 * events in a random interleaving), so the history is linearizable unless `staleReadAt` plants (in
 * a kv log) a read of the value a completed write had already replaced. A few writes time out (`:info`): they take effect
 * later or never, and the client goes on under a fresh process id, as in Jepsen. One seed gives
 * one file, byte for byte.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export interface LogShape {
  operations: number;
  clients: number;
  seed: number;
  /** Fraction of writes (and cas) that time out. */
  infoRate: number;
  /** kv only: number of keys. */
  keys?: number;
  /**
   * kv only, makes the history illegal: the first get after this fraction of the operations
   * whose key's last write completed before the get began returns the value before that write.
   */
  staleReadAt?: number;
}

type Rng = () => number;

function rng(seed: number): Rng {
  let x = seed | 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

interface Pending<Op> { process: number; op: Op; invokedAt: number; applied: boolean; info: boolean; effective: boolean; line?: string }

/**
 * The event loop shared by both formats: at each step (`now`) a random client invokes, takes
 * effect or completes. `invoke` picks an operation and gives its line; `apply` performs it on the
 * state and returns its completion line; `completed` says when it completed; a timed-out
 * operation's completion is `infoLine`.
 */
async function writeLog<Op>(path: string, shape: LogShape, io: {
  invoke(rand: Rng, process: number): { op: Op; line: string; mayTimeOut: boolean };
  apply(op: Op, process: number, invokedAt: number, issued: number): string;
  completed(op: Op, now: number): void;
  infoLine(op: Op, process: number): string;
}): Promise<number> {
  const rand = rng(shape.seed);
  const out = createWriteStream(path);
  let buffered = '';
  const emit = async (line: string): Promise<void> => {
    buffered += `${line}\n`;
    if (buffered.length > 1 << 16) {
      if (!out.write(buffered)) await once(out, 'drain');
      buffered = '';
    }
  };
  const processOf = Array.from({ length: shape.clients }, (_, i) => i);
  let nextProcess = shape.clients;
  const pending: (Pending<Op> | undefined)[] = new Array(shape.clients).fill(undefined);
  let issued = 0;
  let open = 0;
  for (let now = 0; issued < shape.operations || open > 0; now++) {
    const c = Math.floor(rand() * shape.clients);
    const p = pending[c];
    if (p === undefined) {
      if (issued >= shape.operations) continue;
      issued++;
      open++;
      const { op, line, mayTimeOut } = io.invoke(rand, processOf[c]!);
      pending[c] = { process: processOf[c]!, op, invokedAt: now, applied: false, info: mayTimeOut && rand() < shape.infoRate, effective: rand() < 0.5 };
      await emit(line);
    } else if (!p.applied) {
      p.applied = true;
      // A timed-out write takes effect or not; nobody learns which.
      if (!p.info || p.effective) p.line = io.apply(p.op, p.process, p.invokedAt, issued);
    } else {
      if (!p.info) io.completed(p.op, now);
      await emit(p.info ? io.infoLine(p.op, p.process) : p.line!);
      pending[c] = undefined;
      open--;
      if (p.info) processOf[c] = nextProcess++;
    }
  }
  out.write(buffered);
  out.end();
  await once(out, 'finish');
  return issued;
}

type RegisterOp = { f: 'read' } | { f: 'write'; value: number } | { f: 'cas'; from: number; to: number };

/** A Jepsen etcd log of one register with values 0-4 (Porcupine's test_data/jepsen shape). */
export function writeEtcdLog(path: string, shape: LogShape): Promise<number> {
  let state: number | null = null;
  const prefix = (process: number): string => `INFO  jepsen.util - ${process}\t`;
  const show = (v: number | null): string => (v === null ? 'nil' : String(v));
  return writeLog<RegisterOp>(path, shape, {
    invoke(rand, process) {
      const r = rand();
      const v = (): number => Math.floor(rand() * 5);
      const op: RegisterOp = r < 0.4 ? { f: 'read' } : r < 0.7 ? { f: 'write', value: v() } : { f: 'cas', from: v(), to: v() };
      const arg = op.f === 'read' ? 'nil' : op.f === 'write' ? String(op.value) : `[${op.from} ${op.to}]`;
      return { op, line: `${prefix(process)}:invoke\t:${op.f}\t${arg}`, mayTimeOut: op.f !== 'read' };
    },
    apply(op, process) {
      switch (op.f) {
        case 'read':
          return `${prefix(process)}:ok\t:read\t${show(state)}`;
        case 'write':
          state = op.value;
          return `${prefix(process)}:ok\t:write\t${op.value}`;
        case 'cas':
          if (state !== op.from) return `${prefix(process)}:fail\t:cas\t[${op.from} ${op.to}]`;
          state = op.to;
          return `${prefix(process)}:ok\t:cas\t[${op.from} ${op.to}]`;
      }
    },
    completed() {},
    infoLine: (op, process) => `${prefix(process)}:info\t:${op.f}\t:timed-out`,
  });
}

interface KvOp { f: 'get' | 'put' | 'append'; key: string; value: string; completedAt?: number }

/** A key's value, the value before it, and the write that made it (its completion time, once known). */
interface KvCell { value: string; before: string; writer: KvOp | undefined }

/** Porcupine's kv log (test_data/kv shape): get, put and append on `keys` keys, unique values. */
export function writeKvLog(path: string, shape: LogShape): Promise<number> {
  const keys = shape.keys ?? 10;
  const cells = new Map<string, KvCell>();
  const staleFrom = shape.staleReadAt === undefined ? Infinity : Math.floor(shape.staleReadAt * shape.operations);
  let stalePlanted = false;
  let seq = 0;
  const line = (process: number, type: string, op: KvOp, value: string | null): string =>
    `{:process ${process}, :type :${type}, :f :${op.f}, :key "${op.key}", :value ${value === null ? 'nil' : `"${value}"`}}`;
  return writeLog<KvOp>(path, shape, {
    invoke(rand, process) {
      const r = rand();
      const key = String(Math.floor(rand() * keys));
      const op: KvOp = r < 0.5 ? { f: 'get', key, value: '' } : { f: r < 0.6 ? 'put' : 'append', key, value: `x ${process} ${seq++} y` };
      return { op, line: line(process, 'invoke', op, op.f === 'get' ? null : op.value), mayTimeOut: op.f !== 'get' };
    },
    apply(op, process, invokedAt, issued) {
      const cell = cells.get(op.key) ?? { value: '', before: '', writer: undefined };
      if (op.f === 'get') {
        // Stale for sure: the write that replaced `before` finished before this get began.
        const stale = !stalePlanted && issued >= staleFrom && cell.writer?.completedAt !== undefined && cell.writer.completedAt < invokedAt;
        if (stale) stalePlanted = true;
        return line(process, 'ok', op, stale ? cell.before : cell.value);
      }
      cells.set(op.key, { value: op.f === 'put' ? op.value : cell.value + op.value, before: cell.value, writer: op });
      return line(process, 'ok', op, op.value);
    },
    completed(op, now) {
      op.completedAt = now;
    },
    infoLine: (op, process) => line(process, 'info', op, op.f === 'get' ? null : op.value),
  });
}
