/**
 * Runs a command as a fresh process, as a user runs it, and measures it whole: wall time, CPU
 * time and peak RSS (CPU and RSS from /usr/bin/time when the machine has it).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TIME = '/usr/bin/time';

export interface TimedRun {
  code: number;
  stdout: string;
  wallMs: number;
  /** User + system CPU; undefined without /usr/bin/time. */
  cpuMs: number | undefined;
  peakRssMiB: number | undefined;
}

let runs = 0;

/** Runs `command args` in `cwd`; a non-zero exit is a result (a verdict), not an error. */
export async function timedProcess(command: string, args: readonly string[], cwd: string): Promise<TimedRun> {
  const timed = existsSync(TIME);
  const stats = join(tmpdir(), `verdict-bench-time-${process.pid}-${++runs}.txt`);
  const started = performance.now();
  const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve, reject) => {
    const [cmd, argv] = timed ? [TIME, ['-f', '%M %U %S', '-o', stats, command, ...args]] : [command, [...args]];
    execFile(cmd, argv, { cwd, maxBuffer: 256 * 1024 * 1024 }, (error, out, err) => {
      const exit = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      if (exit < 0) reject(new Error(`${command} ${args.join(' ')}: ${err || error?.message}`));
      else resolve({ code: exit, stdout: out });
    });
  });
  const wallMs = performance.now() - started;
  if (!timed) return { code, stdout, wallMs, cpuMs: undefined, peakRssMiB: undefined };
  const [kb, user, system] = (await readFile(stats, 'utf8')).trim().split('\n').pop()!.split(' ').map(Number);
  await rm(stats, { force: true });
  return { code, stdout, wallMs, cpuMs: (user! + system!) * 1000, peakRssMiB: Math.round(kb! / 1024) };
}
