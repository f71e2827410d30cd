import type { CliCommand } from './command.js';

/**
 * The subcommands, each in its own module. Loaded lazily so `verdict check` does not pay for
 * the service's dependencies.
 */
export const COMMANDS: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  check: { summary: 'check history files: linearizability, consistency levels, isolation', load: async () => (await import('./check-command.js')).checkCommand },
  run: { summary: 'simulate a protocol under faults in-process and check its history; --matrix: every protocol × nemesis × bug', load: async () => (await import('./run-command.js')).runCommand },
};
