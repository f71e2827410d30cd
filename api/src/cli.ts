#!/usr/bin/env node
/**
 * The `verdict` command line: `verdict <command> [options]`. See `verdict --help`.
 */
import { COMMANDS } from './cli/commands.js';
import { EXIT, type CliIo } from './cli/command.js';
import { runAsProcess } from './cli/run-as-process.js';

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(helpText());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const entry = COMMANDS[name];
  if (entry === undefined) {
    io.err(`verdict: unknown command ${JSON.stringify(name)}\n\n${helpText()}`);
    return EXIT.usage;
  }
  const command = await entry.load();
  return command.run(rest, io);
}

function helpText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length), 4);
  const lines = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`);
  return `Usage: verdict <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'verdict <command> --help' for a command's options.\nExit codes: 0 meets the requirement, 1 violated, 2 unknown, 64 bad usage or input.\n`;
}

/** Runs `verdict` as this process: its arguments, its streams, its exit code. */
export function runCli(): void {
  runAsProcess(main);
}

// Run from source (`npm run verdict`, tsx); the built CLI is started by api/bin/verdict.js.
const isEntry = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry) runCli();
