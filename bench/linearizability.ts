/**
 * Linearizability speed.
 *
 * 1. Whole process, side by side with Porcupine, as a user runs each: `verdict check FILE...`
 *    (the compiled CLI, built first from these sources) against a Porcupine harness, each a fresh
 *    process, alternating, the median of a few runs. Cases: the 56 Porcupine files (50 etcd logs,
 *    6 kv logs) in one process; generated single-register etcd logs of 20,000 and 50,000 ops;
 *    legal kv logs of 5,000, 20,000 and 50,000 ops; an illegal 50,000-op kv log (one stale read).
 *    The generated files are in Porcupine's own formats (support/porcupine-logs.ts), so both read
 *    the same bytes. Target: Verdict's wall time at most Porcupine's on each (ratio ≤ 1).
 *    Porcupine is Go and is not part of this repository: set VERDICT_PORCUPINE_BIN to a binary
 *    built against it that takes log files as arguments and prints one line `FILE ok|illegal`
 *    per file, checking *.log files with the etcd model of Porcupine's tests and other files with
 *    its partitioned kv model (an op still open at the end, such as one that timed out with
 *    `:info`, completes then with an unknown result). Without it, Verdict's figures print alone.
 *    docs/speed.md says how to build one, and records the last figures.
 * 2. In-process, the Porcupine corpus file by file, cold and warm (the search alone).
 * 3. A generated 1,000,000-operation kv history (1,000 keys, 20 clients, some indeterminate ops)
 *    streamed from JSONL: target under 30 s and 2 GiB.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, checkSync, createModel, readHistoryFile, type History, type Model } from '@verdict/checker';
import { writeEtcdLog, writeKvLog } from './support/porcupine-logs.js';
import { peakRssMiB, resetPeakRss } from './support/rss.js';
import { timedProcess, type TimedRun } from './support/timed-process.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const CORPUS = new URL('../histories/porcupine/', import.meta.url).pathname;
const PORCUPINE_TOTAL_CPU_MS = 500;
const PORCUPINE_C50_OK_MS = 220;
const RUNS = Number(process.env.VERDICT_BENCH_RUNS ?? 3);

export async function bench(): Promise<void> {
  await sideBySide();
  await corpus();
  await millionOps();
}

interface Case { label: string; files: string[] }

export async function sideBySide(): Promise<void> {
  const porcupine = process.env.VERDICT_PORCUPINE_BIN;
  execFileSync(process.execPath, ['api/scripts/build-cli.js'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  const dir = await mkdtemp(join(tmpdir(), 'verdict-bench-lin-'));
  try {
    const corpusFiles = readFileSync(join(CORPUS, 'EXPECTED.tsv'), 'utf8').trim().split('\n').slice(1)
      .map((l) => l.split('\t')).filter(([, model]) => model !== 'kv-nopartition').map(([file]) => join(CORPUS, file!));
    const at = (name: string): string => join(dir, name);
    await writeEtcdLog(at('register-20k.log'), { operations: 20_000, clients: 5, seed: 1, infoRate: 0.002 });
    await writeEtcdLog(at('register-50k.log'), { operations: 50_000, clients: 5, seed: 2, infoRate: 0.002 });
    for (const n of [5, 20, 50]) await writeKvLog(at(`kv-${n}k.txt`), { operations: n * 1000, clients: 20, keys: 50, seed: 3, infoRate: 0.002 });
    await writeKvLog(at('kv-50k-bad.txt'), { operations: 50_000, clients: 20, keys: 50, seed: 4, infoRate: 0.002, staleReadAt: 0.5 });
    const cases: Case[] = [
      { label: `Porcupine's 56 files, one process`, files: corpusFiles },
      { label: 'register (etcd log), 20,000 ops', files: [at('register-20k.log')] },
      { label: 'register (etcd log), 50,000 ops', files: [at('register-50k.log')] },
      { label: 'kv, 5,000 ops, 50 keys', files: [at('kv-5k.txt')] },
      { label: 'kv, 20,000 ops, 50 keys', files: [at('kv-20k.txt')] },
      { label: 'kv, 50,000 ops, 50 keys', files: [at('kv-50k.txt')] },
      { label: 'kv, 50,000 ops, illegal', files: [at('kv-50k-bad.txt')] },
    ];
    console.log(`Whole process, side by side with Porcupine (fresh processes, median of ${RUNS}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${process.env.HOSTNAME ?? 'this machine'}):`);
    if (porcupine === undefined) console.log('  Porcupine: skipped: set VERDICT_PORCUPINE_BIN to a Porcupine harness binary (see bench/linearizability.ts) for the ratio');
    console.log(`${'case'.padEnd(36)} ${'Verdict wall'.padStart(12)} ${'CPU'.padStart(8)} ${'RSS'.padStart(8)}${porcupine !== undefined ? ` ${'Porcupine'.padStart(10)} ${'CPU'.padStart(8)} ${'RSS'.padStart(8)} ${'ratio'.padStart(6)}  target ≤ 1` : ''}`);
    const ratios: number[] = [];
    for (const c of cases) {
      const mine: TimedRun[] = [];
      const theirs: TimedRun[] = [];
      for (let r = 0; r < RUNS; r++) {
        mine.push(await timedProcess(process.execPath, ['api/bin/verdict.js', 'check', ...c.files], REPO));
        if (porcupine !== undefined) theirs.push(await timedProcess(porcupine, c.files, REPO));
      }
      const m = median(mine);
      let line = `${c.label.padEnd(36)} ${ms(m.wallMs).padStart(12)} ${ms(m.cpuMs).padStart(8)} ${mib(m.peakRssMiB).padStart(8)}`;
      if (porcupine !== undefined) {
        const p = median(theirs);
        const ratio = m.wallMs / p.wallMs;
        ratios.push(ratio);
        const disagree = disagreements(c.files, m, p);
        line += ` ${ms(p.wallMs).padStart(10)} ${ms(p.cpuMs).padStart(8)} ${mib(p.peakRssMiB).padStart(8)} ${`${ratio.toFixed(2)}x`.padStart(6)}  ${ratio <= 1 ? 'met' : 'MISSED'}${disagree.length > 0 ? `  !! verdicts differ: ${disagree.join(', ')}` : ''}`;
      } else {
        line += `  ${verdicts(m.stdout).filter((v) => v === 'illegal').length}/${c.files.length} illegal`;
      }
      console.log(line);
    }
    if (ratios.length > 0) console.log(`whole-process ratio to Porcupine: ${ratios.map((r) => `${r.toFixed(2)}x`).join(', ')} (worst ${Math.max(...ratios).toFixed(2)}x; target ≤ 1)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The run with the median wall time. */
function median(runs: readonly TimedRun[]): TimedRun {
  return [...runs].sort((a, b) => a.wallMs - b.wallMs)[Math.floor((runs.length - 1) / 2)]!;
}

/** Verdict's verdict per file, in order, from its text report. */
function verdicts(stdout: string): string[] {
  return [...stdout.matchAll(/^VERDICT: (\w+)/gm)].map((m) => (m[1] === 'OK' ? 'ok' : m[1] === 'VIOLATED' ? 'illegal' : m[1]!.toLowerCase()));
}

/** Files on which the two disagree (Porcupine prints `FILE ok|illegal` a line). */
function disagreements(files: readonly string[], mine: TimedRun, theirs: TimedRun): string[] {
  const v = verdicts(mine.stdout);
  const p = theirs.stdout.trim().split('\n').map((l) => l.split(' ').pop());
  return files.flatMap((f, i) => (v[i] === p[i] ? [] : [`${f.split('/').slice(-2).join('/')} (Verdict ${v[i]}, Porcupine ${p[i]})`]));
}

function ms(v: number | undefined): string {
  return v === undefined ? '?' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`;
}

function mib(v: number | undefined): string {
  return v === undefined ? '?' : `${v} MiB`;
}

async function corpus(): Promise<void> {
  const rows = readFileSync(join(CORPUS, 'EXPECTED.tsv'), 'utf8').trim().split('\n').slice(1)
    .map((l) => l.split('\t')).filter(([, model]) => model !== 'kv-nopartition');
  const loaded: { file: string; history: History; model: () => Model<any>; expected: string }[] = [];
  for (const [file, , expected] of rows) {
    const history = await readHistoryFile(join(CORPUS, file!));
    const model = file!.startsWith('jepsen/') ? () => createModel('etcd-register', null) : () => createModel('kv', '');
    loaded.push({ file: file!, history, model, expected: expected! });
  }
  const pass = (): { file: string; ms: number; outcome: string; expected: string; steps: number }[] =>
    loaded.map(({ file, history, model, expected }) => {
      const t = performance.now();
      const r = checkSync(model(), history, { counterexample: false });
      return { file, ms: performance.now() - t, outcome: r.outcome, expected, steps: r.stats.steps };
    });
  const cpu0 = process.cpuUsage();
  const cold = pass();
  const cpuCold = process.cpuUsage(cpu0);
  let warm = pass();
  for (let i = 0; i < 2; i++) {
    const again = pass();
    warm = warm.map((w, j) => (again[j]!.ms < w.ms ? again[j]! : w));
  }
  console.log('\nIn-process: Porcupine corpus (50 etcd logs, 6 kv logs), verdicts without counterexamples:');
  console.log(`${'file'.padEnd(22)} ${'verdict'.padEnd(8)} ${'cold ms'.padStart(9)} ${'warm ms'.padStart(9)} ${'steps'.padStart(9)}`);
  let mismatches = 0;
  cold.forEach((c, i) => {
    const w = warm[i]!;
    if (c.outcome !== c.expected) mismatches++;
    console.log(`${c.file.padEnd(22)} ${(c.outcome === c.expected ? c.outcome : `${c.outcome}≠${c.expected}`).padEnd(8)} ${c.ms.toFixed(2).padStart(9)} ${w.ms.toFixed(2).padStart(9)} ${String(c.steps).padStart(9)}`);
  });
  const coldMs = cold.reduce((s, c) => s + c.ms, 0);
  const warmMs = warm.reduce((s, c) => s + c.ms, 0);
  const cpuMs = (cpuCold.user + cpuCold.system) / 1000;
  const c50 = warm.find((w) => w.file === 'kv/c50-ok.txt')!;
  console.log(`total: cold ${coldMs.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU (JIT warm-up included); warm ${warmMs.toFixed(0)} ms`);
  console.log(`vs Porcupine's ~${PORCUPINE_TOTAL_CPU_MS} ms CPU: cold CPU ×${(cpuMs / PORCUPINE_TOTAL_CPU_MS).toFixed(2)}, warm ×${(warmMs / PORCUPINE_TOTAL_CPU_MS).toFixed(2)} (target ≤ ×2)`);
  console.log(`kv/c50-ok.txt: warm ${c50.ms.toFixed(0)} ms vs Porcupine's ~${PORCUPINE_C50_OK_MS} ms: ×${(c50.ms / PORCUPINE_C50_OK_MS).toFixed(2)}`);
  if (mismatches > 0) console.log(`!! ${mismatches} verdict(s) differ from EXPECTED.tsv`);
}

async function millionOps(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'verdict-bench-'));
  try {
    const file = join(dir, 'kv-1m.jsonl');
    const genStart = performance.now();
    const written = await writeGeneratedKv(file, { operations: 1_000_000, keys: 1_000, clients: 20, seed: 42 });
    console.log(`\ngenerated ${written} operations (1,000 keys, 20 clients, ~0.5% indeterminate) in ${((performance.now() - genStart) / 1000).toFixed(1)} s`);
    resetPeakRss();
    const t0 = performance.now();
    const history = await readHistoryFile(file, { keepOps: false });
    const t1 = performance.now();
    const result = await check(createModel('kv', 0), history);
    const t2 = performance.now();
    console.log(`1M-op kv: parse ${((t1 - t0) / 1000).toFixed(2)} s + check ${((t2 - t1) / 1000).toFixed(2)} s = ${((t2 - t0) / 1000).toFixed(2)} s (target < 30 s); verdict ${result.outcome}; ${result.partitions.length} partitions on ${result.stats.threads} thread(s); peak RSS ${peakRssMiB()} MiB (target < 2048)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A linearizable kv history: each client's operation takes effect at a point inside its
 * interval; reads return the value at that point; a few writes time out (info) and take effect
 * later or never. Values are unique per key.
 */
async function writeGeneratedKv(path: string, o: { operations: number; keys: number; clients: number; seed: number }): Promise<number> {
  let s = o.seed >>> 0 || 1;
  const rand = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  interface Pending { process: number; key: number; f: 'read' | 'write'; value: number; at: number; end: number; info: boolean; effective: boolean }
  const values = new Array<number>(o.keys).fill(0);
  const out = createWriteStream(path);
  const write = (line: string): Promise<void> | void => {
    if (!out.write(line)) return new Promise((resolve) => out.once('drain', () => resolve()));
  };
  const processOf = Array.from({ length: o.clients }, (_, i) => i);
  let nextProcess = o.clients;
  const pending: (Pending | undefined)[] = new Array(o.clients).fill(undefined);
  let seq = 0;
  let time = 0;
  let issued = 0;
  // Events in time order: each step, one client either invokes or completes.
  while (issued < o.operations || pending.some((p) => p !== undefined)) {
    time++;
    const c = Math.floor(rand() * o.clients);
    const p = pending[c];
    if (p === undefined) {
      if (issued >= o.operations) continue;
      issued++;
      const key = Math.floor(rand() * o.keys);
      const f = rand() < 0.5 ? 'read' : 'write';
      const info = f === 'write' && rand() < 0.005;
      const op: Pending = { process: processOf[c]!, key, f, value: f === 'write' ? ++seq : 0, at: -1, end: -1, info, effective: rand() < 0.5 };
      pending[c] = op;
      const w = write(`{"process":${op.process},"type":"invoke","f":"${f}","value":[${key},${f === 'write' ? op.value : 'null'}]}\n`);
      if (w) await w;
      continue;
    }
    // The operation takes effect now (a point inside its interval), then completes.
    if (p.f === 'read') p.value = values[p.key]!;
    else if (!p.info || p.effective) values[p.key] = p.value;
    const type = p.info ? 'info' : 'ok';
    const w = write(`{"process":${p.process},"type":"${type}","f":"${p.f}","value":[${p.key},${p.info && p.f === 'read' ? 'null' : p.value}]}\n`);
    if (w) await w;
    pending[c] = undefined;
    if (p.info) processOf[c] = nextProcess++;
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return issued;
}
