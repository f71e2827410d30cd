import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDirForFile, verdictWith } from './support/cli.js';

const corpus = (p: string): string => new URL(`../../histories/${p}`, import.meta.url).pathname;
const tempDir = tempDirForFile('verdict-bin-');
let runs = 0;

/** Packages only the service needs: a `check` must not pay for loading them. */
const SERVICE_PACKAGES = /\/node_modules\/(fastify|@fastify|@prisma|prisma|bullmq|ioredis|pg|@electric-sql)\//;

/** Runs the compiled CLI with a loader hook that writes every module URL it resolves to a file. */
function loadedModules(...argv: string[]): Promise<{ code: number; urls: string[] }> {
  return loadedModulesWith({}, ...argv);
}

async function loadedModulesWith(env: Record<string, string>, ...argv: string[]): Promise<{ code: number; urls: string[] }> {
  const dir = tempDir();
  const log = join(dir, `loaded-${++runs}.txt`);
  const hooks = join(dir, 'hooks.mjs');
  await writeFile(hooks, [
    "import { appendFileSync } from 'node:fs';",
    'export async function resolve(specifier, context, next) {',
    '  const r = await next(specifier, context);',
    "  appendFileSync(process.env.VERDICT_TEST_LOADED, r.url + '\\n');",
    '  return r;',
    '}',
  ].join('\n'));
  const register = join(dir, 'register.mjs');
  await writeFile(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  await writeFile(log, '');
  const r = await verdictWith({ nodeArgs: ['--import', pathToFileURL(register).href], env: { ...env, VERDICT_TEST_LOADED: log } }, ...argv);
  return { code: r.code, urls: (await readFile(log, 'utf8')).split('\n').filter((l) => l.length > 0) };
}

describe('the compiled verdict command', () => {
  it('checks a file from its compiled build, not from TypeScript sources', async () => {
    const { code, urls } = await loadedModules('check', corpus('porcupine/kv/c01-bad.txt'));
    expect(code).toBe(1);
    // A check has a build of its own: one file, not the command line's chunks.
    expect(urls.some((u) => u.includes('/api/build/check/verdict-check.js'))).toBe(true);
    expect(urls.filter((u) => /\/api\/build\/[^/]+\.js$/.test(u))).toEqual([]);
    expect(urls.filter((u) => u.endsWith('.ts'))).toEqual([]);
    expect(urls.filter((u) => u.includes('/node_modules/tsx/'))).toEqual([]);
  });

  it('loads none of the service\'s packages for a check', async () => {
    const { code, urls } = await loadedModules('check', corpus('porcupine/jepsen/etcd_002.log'));
    expect(code).toBe(0);
    expect(urls.filter((u) => SERVICE_PACKAGES.test(u))).toEqual([]);
  });

  it('loads them for the service (the hook above does see them)', async () => {
    const { urls } = await loadedModules('serve', '--help');
    expect(urls.some((u) => SERVICE_PACKAGES.test(u))).toBe(true);
  });

  it('checks many files on worker threads too, printing the reports in the order given', async () => {
    const files = ['kv/c01-ok.txt', 'jepsen/etcd_000.log', 'kv/c10-bad.txt', 'jepsen/etcd_002.log', 'kv/c01-bad.txt', 'jepsen/etcd_005.log'].map((f) => corpus(`porcupine/${f}`));
    const here = await verdictWith({ env: { VERDICT_CHECK_PARALLEL_AFTER_MS: '1e9' } }, 'check', ...files);
    const { code, urls } = await loadedModulesWith({ VERDICT_CHECK_PARALLEL_AFTER_MS: '0' }, 'check', ...files);
    const threaded = await verdictWith({ env: { VERDICT_CHECK_PARALLEL_AFTER_MS: '0' } }, 'check', ...files);
    // One worker per spare core: none on a single core.
    expect(urls.some((u) => u.endsWith('/api/build/check/check-worker.js'))).toBe(availableParallelism() > 1);
    expect(code).toBe(1);
    expect(threaded.code).toBe(1);
    const verdicts = (out: string): string[] => [...out.matchAll(/^(\S+)  \(|^VERDICT: (\w+)/gm)].map((m) => m[1] ?? m[2]!);
    expect(verdicts(threaded.out)).toEqual(verdicts(here.out));
    expect(verdicts(here.out)).toEqual(files.flatMap((f, i) => [f, ['OK', 'VIOLATED', 'VIOLATED', 'OK', 'VIOLATED', 'OK'][i]!]));
  });
});
