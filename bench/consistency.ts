/**
 * Consistency-level speed. The session, per-user and eventual checks are linear: a generated
 * 1,000,000-operation kv history (1,000 keys, 200 sessions of 100 users, timeouts that move a
 * session to a fresh process, final reads on three nodes) must be checked in under 5 s; a
 * stale-reading variant shows the cost of finding and explaining violations. The sequential
 * search is exponential in the worst case; linearizable histories and reads from lagging
 * in-order replicas (sequential, not linearizable) show how far its heuristics carry it.
 */
import { availableParallelism, loadavg } from 'node:os';
import { checkLevelsSync, checkSequentialSync, createModel, type History, type LevelResult, type Operation } from '@verdict/checker';

const OPS = 1_000_000;
const TARGET_MS = 5_000;

export async function bench(): Promise<void> {
  console.log('Session, per-user and eventual checks (linear), kv store, 1,000 keys, 200 sessions, 100 users:');
  console.log(`${'history'.padEnd(24)} ${'ops'.padStart(10)} ${'ms'.padStart(7)} ${'CPU ms'.padStart(7)} ${'ops/s'.padStart(10)} ${'peak RSS'.padStart(9)}  verdicts`);
  let million = 0;
  for (const [ops, stale] of [[250_000, 0], [500_000, 0], [OPS, 0], [OPS, 0.02]] as const) {
    let history: History | undefined = generate({ ops, keys: 1_000, sessions: 200, users: 100, staleReadRate: stale, seed: 7 });
    const started = performance.now();
    const cpu = process.cpuUsage();
    const r = checkLevelsSync(history, createModel('kv', 0), { levels: ['session', 'user', 'eventual'] });
    const ms = performance.now() - started;
    const cpuMs = cpuMsSince(cpu);
    const n = history.operations.length;
    history = undefined;
    if (ops === OPS && stale === 0) million = ms;
    const verdicts = r.levels.filter((l) => l.level !== 'strong' && l.level !== 'sequential').map((l) => `${l.level} ${l.status}${count(l)}`).join(', ');
    const name = stale === 0 ? 'session-consistent' : `${stale * 100}% stale reads`;
    console.log(`${name.padEnd(24)} ${fmt(n).padStart(10)} ${ms.toFixed(0).padStart(7)} ${cpuMs.toFixed(0).padStart(7)} ${fmt(Math.round(n / (ms / 1000))).padStart(10)} ${`${peakRssMiB()} MiB`.padStart(9)}  ${verdicts}`);
  }
  console.log(`target: ${fmt(OPS)} ops under ${TARGET_MS} ms: ${million < TARGET_MS ? 'met' : 'missed'} (×${(million / TARGET_MS).toFixed(2)} of the budget; machine load ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores; CPU includes garbage collection threads)`);

  console.log('\nSequential consistency search (time limit 20 s each):');
  console.log(`${'history'.padEnd(44)} ${'ops'.padStart(9)} ${'ms'.padStart(7)} ${'steps'.padStart(10)} ${'memo'.padStart(9)}  outcome`);
  const cases: [string, () => History][] = [
    ['linearizable, 10 sessions, 1 key', () => generate({ ops: 100_000, keys: 1, sessions: 10, users: 10, staleReadRate: 0, seed: 9, finalReads: false })],
    ['linearizable, 20 sessions, 100 keys', () => generate({ ops: 100_000, keys: 100, sessions: 20, users: 20, staleReadRate: 0, seed: 9, finalReads: false })],
    ['linearizable, no sessions (~500 processes)', () => withoutSessions(generate({ ops: 100_000, keys: 1, sessions: 10, users: 10, staleReadRate: 0, seed: 9, finalReads: false }))],
    ['lagging replicas, 10 sessions, 10 keys', () => lagging(50_000, 10, 10, 3)],
    ['lagging replicas, 50 sessions, 100 keys', () => lagging(50_000, 50, 100, 3)],
    ['lagging replicas, 10 sessions, 1 key', () => lagging(100_000, 10, 1, 3)],
  ];
  for (const [name, make] of cases) {
    const history = make();
    const started = performance.now();
    const r = checkSequentialSync(createModel('kv', 0), history, { timeLimitMs: 20_000 });
    const ms = performance.now() - started;
    console.log(`${name.padEnd(44)} ${fmt(history.operations.length).padStart(9)} ${ms.toFixed(0).padStart(7)} ${fmt(r.stats.steps).padStart(10)} ${fmt(r.stats.cacheEntries).padStart(9)}  ${r.outcome}${r.cause !== undefined ? ` (${r.cause.kind})` : ''}`);
  }
  console.log(`peak RSS ${peakRssMiB()} MiB`);
}

function withoutSessions(h: History): History {
  for (const op of h.operations) delete op.session;
  return h;
}

/**
 * Sessions read from replicas that apply one log in order but lag behind it (ZooKeeper
 * followers): sequentially consistent, not linearizable. A session's write brings it up to date.
 */
function lagging(ops: number, sessions: number, keys: number, seed: number): History {
  const rand = prng(seed);
  const log: number[][] = [new Array<number>(keys).fill(0)];
  const position = new Array<number>(sessions).fill(0);
  const next = new Int32Array(keys).fill(1);
  const operations: Operation[] = [];
  for (let k = 0; k < ops; k++) {
    const s = Math.floor(rand() * sessions);
    position[s] = Math.min(log.length - 1, position[s]! + Math.floor(rand() * 3));
    const key = Math.floor(rand() * keys);
    let f = 'read';
    let value: number;
    if (rand() < 0.5) {
      value = log[position[s]!]![key]!;
    } else {
      f = 'write';
      value = next[key]!++;
      const state = log[log.length - 1]!.slice();
      state[key] = value;
      log.push(state);
      position[s] = log.length - 1;
    }
    operations.push({ id: k, process: s, f, input: [key, f === 'read' ? null : value], output: [key, value], status: 'ok', call: 2 * k, ret: 2 * k + 1, session: `s${s}` });
  }
  return { ops: [], operations, events: [] };
}

function count(l: LevelResult): string {
  if (l.status !== 'violated') return '';
  const guarantees = (l.details?.guarantees as { guarantee: string; count: number }[] | undefined)?.filter((g) => g.count > 0);
  return guarantees !== undefined ? ` (${guarantees.map((g) => `${g.guarantee} ×${fmt(g.count)}`).join(', ')})` : ` (${l.violations?.length ?? 0})`;
}

interface GenOptions { ops: number; keys: number; sessions: number; users: number; staleReadRate: number; seed: number; finalReads?: boolean }

/**
 * A kv store whose ops take effect at their invocation (so the history is linearizable), with
 * sessions that each issue one op at a time, 1% timeouts (the session goes on as a fresh
 * process), and, at `staleReadRate`, reads served by a replica that lags (an older value).
 */
function generate(o: GenOptions): History {
  const rand = prng(o.seed);
  const values = Array.from({ length: o.keys }, () => [0]);
  const next = new Int32Array(o.keys).fill(1);
  const operations: Operation[] = [];
  const pending: (Operation | undefined)[] = new Array(o.sessions).fill(undefined);
  let inFlight = 0;
  const processOf = Array.from({ length: o.sessions }, (_, s) => s);
  let nextProcess = o.sessions;
  let index = 0;
  // Every op has the same fields in the same order, as a parser gives them.
  const make = (process: number, f: string, input: unknown, output: unknown, session: string | undefined, user: string | undefined, node: string | undefined, phase: string | undefined): Operation => ({
    id: operations.length, process, f, input, output, status: 'info', call: index, ret: Infinity, completionIndex: undefined as unknown as number,
    time: index++ * 1_000, endTime: undefined as unknown as number, node: node as string, session: session as string, user: user as string, phase: phase as string,
  });
  let issued = 0;
  while (issued < o.ops || inFlight > 0) {
    const s = Math.floor(rand() * o.sessions);
    const open = pending[s];
    if (open !== undefined) {
      if (rand() < 0.01 && open.f === 'write') {
        processOf[s] = nextProcess++;
      } else {
        open.status = 'ok';
        open.ret = index;
      }
      open.completionIndex = index;
      open.endTime = index++ * 1_000;
      pending[s] = undefined;
      inFlight--;
      continue;
    }
    if (issued >= o.ops) continue;
    issued++;
    const key = Math.floor(rand() * o.keys);
    const written = values[key]!;
    let op: Operation;
    if (rand() < 0.5) {
      const lag = rand() < o.staleReadRate ? 1 + Math.floor(rand() * 3) : 0;
      op = make(processOf[s]!, 'read', [key, null], [key, written[Math.max(0, written.length - 1 - lag)]!], `s${s}`, `u${s % o.users}`, undefined, undefined);
    } else {
      const v = next[key]!++;
      written.push(v);
      op = make(processOf[s]!, 'write', [key, v], [key, v], `s${s}`, `u${s % o.users}`, undefined, undefined);
    }
    operations.push(op);
    pending[s] = op;
    inFlight++;
  }
  if (o.finalReads !== false) {
    for (let key = 0; key < o.keys; key++) {
      for (const node of ['n1', 'n2', 'n3']) {
        const op = make(nextProcess++, 'read', [key, null], [key, values[key]![values[key]!.length - 1]!], undefined, undefined, node, 'final');
        op.status = 'ok';
        op.ret = op.completionIndex = index;
        op.endTime = index++ * 1_000;
        operations.push(op);
      }
    }
  }
  // Timed-out ops have no output; every check drops timed-out reads.
  for (const op of operations) if (op.status === 'info') op.output = undefined;
  return { ops: [], operations, events: [] };
}

/** mulberry32: a seeded generator, so every run benches the same histories. */
function prng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x6d2b79f5) >>> 0;
    let t = x;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

function peakRssMiB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
