import type { CliCommand } from './command.js';

/**
 * The subcommands, each in its own module. Loaded lazily so `verdict check` does not pay for
 * the service's dependencies.
 */
export const COMMANDS: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  check: { summary: 'check history files: linearizability, consistency levels, isolation', load: async () => (await import('./check-command.js')).checkCommand },
  run: { summary: 'simulate a protocol under faults in-process and check its history; --matrix: every protocol × nemesis × bug', load: async () => (await import('./run-command.js')).runCommand },
  serve: { summary: 'start the service: REST API, database (embedded unless DATABASE_URL), job runner', load: async () => (await import('./serve-command.js')).serveCommand },
  worker: { summary: 'run service jobs from Redis (BullMQ); needs DATABASE_URL and REDIS_URL', load: async () => (await import('./worker-command.js')).workerCommand },
  gate: { summary: 'CI gate: submit to a running service, wait, write JUnit; exit 0 met, 1 violated, 2 unknown', load: async () => (await import('./gate-command.js')).gateCommand },
  test: { summary: 'run a workload against a real database (Postgres, MySQL/MariaDB) and check it; --matrix: the isolation table', load: async () => (await import('./test-command.js')).testCommand },
  token: { summary: 'create, list or revoke API tokens (scopes: submit, read, admin)', load: async () => (await import('./token-command.js')).tokenCommand },
};
