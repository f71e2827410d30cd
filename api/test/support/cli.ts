import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
/** The installed command (`npx verdict`): the compiled CLI the global setup built. */
export const VERDICT_BIN = join(REPO, 'api/bin/verdict.js');

export interface VerdictRun {
  code: number;
  out: string;
  err: string;
}

/** Runs the compiled `verdict` command in a fresh process, as a user does, capturing what it prints and its exit code. */
export function verdict(...argv: string[]): Promise<VerdictRun> {
  return verdictWith({}, ...argv);
}

/** `verdict` with extra node options or environment (e.g. `--import` a loader hook). */
export function verdictWith(o: { nodeArgs?: string[]; env?: Record<string, string> }, ...argv: string[]): Promise<VerdictRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(o.nodeArgs ?? []), VERDICT_BIN, ...argv], {
      cwd: REPO,
      env: { ...process.env, ...o.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code: code ?? (signal !== null ? 128 : -1), out, err }));
  });
}

/** A temporary folder for the test file, removed afterwards; call at the top level of the file. */
export function tempDirForFile(prefix: string): () => string {
  let dir: string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });
  return () => dir!;
}
