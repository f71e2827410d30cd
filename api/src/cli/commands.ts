import type { CliCommand } from './command.js';

/**
 * The subcommands, each in its own module. Loaded lazily so `verdict check` does not pay for
 * the service's dependencies.
 */
export const COMMANDS: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
};
