/**
 * Parsing benchmark (`npm run bench -- parsing`): how fast Verdict reads Jepsen's history shape,
 * and the whole check of a million-transaction history, each in a fresh process as a user runs it.
 *
 * - List-append histories (Elle's shape: 4 micro-ops a transaction, half reads, 1,000 live keys,
 *   each retired after 32 appends, 32 processes) are generated into a temporary folder: 100,000
 *   transactions as EDN and as JSONL (the same history), and 1,000,000 as EDN.
 * - EDN and JSONL MB/s: file size over the parse's wall time, read as `verdict check` reads (the
 *   paired operations, no raw ops). Beside them, side by side on the same file and building the
 *   same history: edn-data, the general EDN library Verdict read EDN with before (line by line,
 *   as it did), and a bare `JSON.parse` a line, the floor for JSONL (support/parse-file.ts).
 *   Target: 50 MB/s or more for EDN and JSONL.
 * - The 1,000,000-transaction check: `verdict check FILE` (the compiled CLI) under `/usr/bin/time`, wall time and
 *   peak RSS of the whole process. Target: under 30 s and 2 GiB.
 *
 * Nothing is asserted (the machines are shared and noisy): compare the ratios printed in one run.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeListAppendFile, type ListAppendFileOptions } from './support/list-append-file.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const SHAPE = { mopsPerTxn: 4, keys: 1000, appendsPerKeyMax: 32, processes: 32, seed: 20240611 } as const;
const TARGET_MB_PER_S = 50;
const TARGET_CHECK_MS = 30_000;
const TARGET_RSS_MIB = 2048;
const TIME = '/usr/bin/time';

interface ParseRun { wallMs: number; cpuMs: number; ops: number; peakRssMiB: number }

export async function bench(): Promise<void> {
  // The whole checks run the compiled CLI, as users do: built from these sources first.
  execFileSync(process.execPath, ['api/scripts/build-cli.js'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  const dir = await mkdtemp(join(tmpdir(), 'verdict-bench-parsing-'));
  try {
    console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${process.env.HOSTNAME ?? 'this machine'}: wall times stretch on a shared machine; CPU times less so`);
    console.log(`list-append, ${SHAPE.mopsPerTxn} micro-ops a transaction, ${SHAPE.keys} live keys (retired after ${SHAPE.appendsPerKeyMax} appends), ${SHAPE.processes} processes; seed ${SHAPE.seed}; files in ${dir}`);
    const edn = await generate(dir, 'list-append-100k.edn', { ...SHAPE, transactions: 100_000, format: 'edn' });
    const jsonl = await generate(dir, 'list-append-100k.jsonl', { ...SHAPE, transactions: 100_000, format: 'jsonl' });
    await parseFigures('EDN, 100,000 txns', edn, ['verdict', 'edn-data']);
    await parseFigures('JSONL, 100,000 txns', jsonl, ['verdict', 'json-parse']);

    const big = await generate(dir, 'list-append-1m.edn', { ...SHAPE, transactions: 1_000_000, format: 'edn' });
    await parseFigures('EDN, 1,000,000 txns', big, ['verdict']);
    await wholeCheck('verdict check, 100,000 txns (EDN)', edn.path);
    await wholeCheck('verdict check, 1,000,000 txns (EDN)', big.path, { ms: TARGET_CHECK_MS, rssMiB: TARGET_RSS_MIB });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function generate(dir: string, name: string, options: ListAppendFileOptions): Promise<{ path: string; bytes: number }> {
  const path = join(dir, name);
  const started = performance.now();
  const { bytes } = await writeListAppendFile(path, options);
  console.log(`generated ${name}: ${(bytes / 1e6).toFixed(0)} MB in ${seconds(performance.now() - started)}`);
  return { path, bytes };
}

/** Parses a file once per reader, each in a fresh process, and prints MB/s with the ratio to the first. */
async function parseFigures(label: string, file: { path: string; bytes: number }, modes: readonly string[]): Promise<void> {
  const runs: ParseRun[] = [];
  for (const mode of modes) {
    const { stdout } = await run(process.execPath, ['--conditions=source', '--import', 'tsx', 'bench/support/parse-file.ts', file.path, mode]);
    runs.push(JSON.parse(stdout.trim().split('\n').pop()!) as ParseRun);
  }
  const mbs = (r: ParseRun): number => file.bytes / 1e6 / (r.wallMs / 1000);
  const mine = runs[0]!;
  const others = runs.slice(1).map((r, i) => `${modes[i + 1]} ${mbs(r).toFixed(1)} MB/s (${seconds(r.wallMs)}, CPU ${seconds(r.cpuMs)}: ${(r.cpuMs / mine.cpuMs).toFixed(2)}x Verdict's CPU time)`);
  console.log(`${label}, ${(file.bytes / 1e6).toFixed(0)} MB: Verdict ${mbs(mine).toFixed(1)} MB/s (${seconds(mine.wallMs)}; CPU ${seconds(mine.cpuMs)}, ${(file.bytes / 1e3 / mine.cpuMs).toFixed(1)} MB per CPU-second; ${mine.ops.toLocaleString('en')} operations, peak RSS ${mine.peakRssMiB} MiB)${others.length > 0 ? `; ${others.join('; ')}` : ''}`);
  console.log(`  target: ${TARGET_MB_PER_S} MB/s or more: ${mbs(mine) >= TARGET_MB_PER_S ? 'met' : 'MISSED'}`);
}

/** `verdict check FILE` in a fresh process: wall time and peak RSS (from /usr/bin/time when present). */
async function wholeCheck(label: string, file: string, target?: { ms: number; rssMiB: number }): Promise<void> {
  const cli = [process.execPath, 'api/bin/verdict.js', 'check', file];
  const stats = join(tmpdir(), `verdict-bench-time-${process.pid}.txt`);
  const timed = existsSync(TIME);
  const started = performance.now();
  const { code, stdout } = await run(timed ? TIME : cli[0]!, timed ? ['-f', '%e %M %U %S', '-o', stats, ...cli] : cli.slice(1), true);
  const wallMs = performance.now() - started;
  let rss = 'unknown (no /usr/bin/time)';
  let rssMiB: number | undefined;
  let cpu = '';
  if (timed) {
    const [, kb, user, system] = (await readFile(stats, 'utf8')).trim().split('\n').pop()!.split(' ');
    rssMiB = Math.round(Number(kb) / 1024);
    rss = `${rssMiB} MiB`;
    cpu = `, CPU ${seconds((Number(user) + Number(system)) * 1000)}`;
    await rm(stats, { force: true });
  }
  const verdict = /VERDICT: [^\n]*/.exec(stdout)?.[0] ?? `exit ${code}`;
  const checked = /checked in ([\d.]+ s|\d+ ms)/.exec(stdout)?.[1];
  console.log(`${label}: ${seconds(wallMs)} whole process${checked !== undefined ? ` (of which the check ${checked})` : ''}${cpu}, peak RSS ${rss}; ${verdict}`);
  if (target !== undefined) {
    const met = wallMs < target.ms && rssMiB !== undefined && rssMiB < target.rssMiB;
    console.log(`  target: under ${seconds(target.ms)} and ${target.rssMiB / 1024} GiB: ${met ? 'met' : 'MISSED'}`);
  }
}

/** Runs a command from the repository root; with `anyExit`, a non-zero exit (a verdict) is a result. */
function run(command: string, args: string[], anyExit = false): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: REPO, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      if (error !== null && (!anyExit || code < 0)) reject(new Error(`${command} ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolve({ code, stdout });
    });
  });
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
