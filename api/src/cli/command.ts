/**
 * One `verdict` subcommand. Exit codes are the CLI's contract with CI:
 * 0 the verdict meets the requirement (or linearizable), 1 it does not, 2 unknown or timed out,
 * 64 bad usage or bad input (EX_USAGE).
 */
export interface CliCommand {
  readonly name: string;
  /** One line for `verdict --help`. */
  readonly summary: string;
  /** Full usage text for `verdict NAME --help`. */
  readonly usage: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/** Where a command writes; tests pass buffers, the binary passes the process streams. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** True when stdout is a terminal (progress bars, colours). */
  readonly interactive: boolean;
}

export const EXIT = {
  ok: 0,
  violated: 1,
  unknown: 2,
  usage: 64,
  software: 70,
} as const;

/** A usage error: the command prints it with its usage and exits 64. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * A message that may quote a history or come from a server, made safe to print: control
 * characters are shown as `\u001b` (no escape sequence reaches the terminal) and the lines after
 * the first are indented (a value cannot forge a line of output in a CI log, such as a gate's
 * `require strong: met`); a simulator error's `reproduce:` line stays readable.
 */
export function terminalText(text: string): string {
  // eslint-disable-next-line no-control-regex
  const visible = text.replace(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return visible.replace(/\n/g, '\n  ');
}
