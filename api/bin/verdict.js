#!/usr/bin/env node
// The `verdict` command: the compiled CLI in api/build/, made by `npm run build:cli` (run by
// `npm ci` through the root `prepare` script).
import('../build/verdict.js').then(
  (cli) => cli.runCli(),
  (e) => {
    if (e?.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('/build/verdict.js')) {
      process.stderr.write('verdict: the CLI is not built; run `npm run build:cli` in the repository (or `npm ci`)\n');
    } else {
      process.stderr.write(`verdict: ${e?.stack ?? e}\n`);
    }
    process.exitCode = 70;
  },
);
