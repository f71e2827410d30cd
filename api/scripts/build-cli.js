/**
 * Builds the `verdict` command line as JavaScript: api/src/cli.ts and the worker threads of
 * `verdict check` (files), of the checker (partitions) and of `verdict run --swarm` (runs), bundled with esbuild into api/build/ (run by the root `prepare`, so `npm ci` leaves a
 * working `npx verdict`). The workspace packages (@verdict/*) are bundled from their TypeScript
 * sources; every other package stays an import resolved from node_modules at run time. Each
 * subcommand is its own chunk, loaded only when run: `verdict check` never loads the service's
 * dependencies. `verdict check` is built a second time on its own (api/build/check/), unsplit.
 *
 * Usage: node api/scripts/build-cli.js
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, transform } from 'esbuild';

const API = fileURLToPath(new URL('..', import.meta.url));
const REPO = join(API, '..');
/** Where the bundle goes; api/bin/verdict.js imports it. */
export const CLI_BUILD_DIR = join(API, 'build');
/** `verdict check` alone, one file and its workers; api/bin/verdict.js imports it for a check. */
export const CHECK_BUILD_DIR = join(CLI_BUILD_DIR, 'check');

/** Bare imports outside the workspace stay imports: they are installed, and some (prisma) read files beside themselves. */
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@verdict/') ? undefined : { path: args.path, external: true }));
  },
};

/**
 * The api's modules find files of the source tree from their own location (package.json,
 * prisma/migrations, the generated Prisma client's folder): in the bundle, `import.meta.url`
 * keeps meaning the source file, reached relative to the bundle so the repository can move.
 * The command's own modules (api/src/cli/) and the checker's are left alone: they look for a
 * worker entry (check-worker.js, partition-worker.js, swarm-worker.js) beside themselves, which is where the
 * bundle puts it.
 */
const sourceLocatedApi = {
  name: 'source-located-api',
  setup(b) {
    b.onLoad({ filter: /[\\/]api[\\/]src[\\/].*\.ts$/ }, async (args) => {
      if (/[\\/]api[\\/]src[\\/]cli[\\/]/.test(args.path)) return undefined;
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const fromBundle = relative(CLI_BUILD_DIR, args.path).split('\\').join('/');
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`), loader: 'ts', resolveDir: dirname(args.path) };
    });
  },
};

/** Bundles the CLI into api/build/; resolves with esbuild's warnings (errors reject). */
export async function buildCli() {
  // Chunk names carry hashes: a stale chunk would only pile up.
  await rm(CLI_BUILD_DIR, { recursive: true, force: true });
  const common = {
    absWorkingDir: REPO,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    conditions: ['source'],
    sourcemap: true,
    logLevel: 'silent',
    plugins: [externalPackages, sourceLocatedApi],
  };
  const result = await build({
    ...common,
    entryPoints: {
      verdict: join(API, 'src/cli.ts'),
      'partition-worker': join(REPO, 'checker/src/linearizability/partition-worker.ts'),
      'check-worker': join(API, 'src/cli/check-worker.ts'),
      'swarm-worker': join(REPO, 'workers/src/swarm/swarm-worker.ts'),
    },
    outdir: CLI_BUILD_DIR,
    // Flat: a chunk's `./partition-worker.js` is the worker entry beside it.
    chunkNames: '[name]-[hash]',
    splitting: true,
  });
  // `verdict check` again, alone and unsplit, with its worker entries beside it (api/build/check/):
  // a check's process loads one file instead of a chain of chunks (see api/src/cli/check-main.ts).
  const check = await build({
    ...common,
    entryPoints: {
      'verdict-check': join(API, 'src/cli/check-main.ts'),
      'partition-worker': join(REPO, 'checker/src/linearizability/partition-worker.ts'),
      'check-worker': join(API, 'src/cli/check-worker.ts'),
    },
    outdir: CHECK_BUILD_DIR,
    splitting: false,
  });
  await asciiComments(CHECK_BUILD_DIR);
  return [...result.warnings, ...check.warnings];
}

/**
 * esbuild writes code as ASCII (escapes in strings and patterns) but keeps the comments it
 * preserves as written, and one arrow or dash in a comment makes Node decode the whole module
 * as UTF-8 and V8 hold and scan it as two-byte text (on every lazy compilation too): about 10 ms
 * more for each process or worker that loads the check's 430 KB. So characters beyond ASCII are
 * written as `\uXXXX` text, which is only ever inside a comment: the file minified must not change.
 */
async function asciiComments(dir) {
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.js'))) {
    const path = join(dir, name);
    const text = await readFile(path, 'utf8');
    if (!/[^\x00-\x7f]/.test(text)) continue;
    const ascii = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const [before, after] = await Promise.all([text, ascii].map((t) => transform(t, { minify: true, format: 'esm', charset: 'ascii' })));
    if (before.code !== after.code) throw new Error(`${name}: a character beyond ASCII outside a comment`);
    await writeFile(path, ascii);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  buildCli().then(
    (warnings) => {
      for (const w of warnings) process.stderr.write(`build-cli: warning: ${w.text}\n`);
      process.stdout.write(`build-cli: ${relative(process.cwd(), CLI_BUILD_DIR) || '.'} in ${Math.round(performance.now() - started)} ms\n`);
    },
    (e) => {
      process.stderr.write(`build-cli: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
