import { EXIT, type CliIo } from './command.js';

/** Runs a command line's `main` as this process: its arguments, its streams, its exit code. */
export function runAsProcess(main: (argv: readonly string[], io: CliIo) => Promise<number>): void {
  // `verdict check … | head`: a reader that has gone away ends the command, not with a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? EXIT.ok);
  });
  const io: CliIo = {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    interactive: process.stdout.isTTY === true,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`verdict: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = EXIT.software;
    },
  );
}
