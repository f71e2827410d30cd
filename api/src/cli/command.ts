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
