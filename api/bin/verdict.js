#!/usr/bin/env node
// The `verdict` command: the compiled CLI in api/build/, made by `npm run build:cli` (run by
// `npm ci` through the root `prepare` script). `verdict check` has a build of its own, one file
// (api/build/check/): a check starts sooner without the chain of chunks.
const entry = process.argv[2] === 'check' ? '../build/check/verdict-check.js' : '../build/verdict.js';
import(entry).then(
  (cli) => cli.runCli(),
  (e) => {
    if (e?.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes(entry.slice(2))) {
      process.stderr.write('verdict: the CLI is not built; run `npm run build:cli` in the repository (or `npm ci`)\n');
    } else {
      process.stderr.write(`verdict: ${e?.stack ?? e}\n`);
    }
    process.exitCode = 70;
  },
);
