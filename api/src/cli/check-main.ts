import { checkCommand } from './check-command.js';
import { runAsProcess } from './run-as-process.js';

/**
 * `verdict check` as an entry of its own: built into one self-contained file
 * (api/build/check/verdict-check.js, beside its own worker entries), which api/bin/verdict.js
 * loads for `verdict check` instead of the command line's chunks. A check's process starts by
 * reading and compiling one module rather than a chain of chunks, each a separate read.
 */
export function runCli(): void {
  // argv is `check FILE...`: the command's own arguments follow its name.
  runAsProcess((argv, io) => checkCommand.run(argv.slice(1), io));
}
