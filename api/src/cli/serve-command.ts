import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isEmbedded, loadConfig, type ServiceConfig } from '../config.js';
import { startService } from '../service.js';
import { EXIT, UsageError, type CliCommand, type CliIo } from './command.js';

const USAGE = `Usage: verdict serve [options]

Starts the Verdict service: the REST API (docs at /docs), the database and the job runner.
With no DATABASE_URL it runs on an embedded Postgres (PGlite) under the data folder and listens
on 127.0.0.1 only; with no REDIS_URL it runs jobs in its own process. On first start it creates
an admin token, writes it to <data dir>/admin-token (mode 0600) and prints it.

Options (each overrides its environment variable):
  --port N            PORT (default 8080; 0 picks a free port)
  --host H            HOST (default 127.0.0.1; embedded mode always 127.0.0.1)
  --data-dir DIR      VERDICT_DATA_DIR (default ./.verdict)
  --concurrency N     VERDICT_CONCURRENCY: jobs run at once in-process
  -h, --help          this text

Environment: DATABASE_URL, REDIS_URL, VERDICT_UPLOAD_LIMIT_MB, VERDICT_HISTORY_LIMIT_MB,
VERDICT_RATE_LIMIT (per minute, 0 = off), VERDICT_REQUEST_TIMEOUT_MS, VERDICT_LEASE_MS,
VERDICT_RECONCILE_MS, VERDICT_QUEUE, VERDICT_QUEUE_PREFIX, VERDICT_MAX_ATTEMPTS,
VERDICT_SPLIT_OPS, VERDICT_SPLIT_PARTS, VERDICT_CHECK_TIME_LIMIT_MS, VERDICT_LOG (level or off).
`;

/** `verdict serve` (what `npm start` runs): the service, until SIGINT or SIGTERM. */
export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'start the service: REST API, database (embedded unless DATABASE_URL), job runner',
  usage: USAGE,
  async run(argv, io) {
    let overrides: Partial<ServiceConfig>;
    try {
      const parsed = parseArgs({
        args: [...argv],
        options: { port: { type: 'string' }, host: { type: 'string' }, 'data-dir': { type: 'string' }, concurrency: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
        allowPositionals: false,
      });
      if (parsed.values.help === true) {
        io.out(USAGE);
        return EXIT.ok;
      }
      overrides = {
        ...(parsed.values.port !== undefined ? { port: intArg('--port', parsed.values.port, 0, 65_535) } : {}),
        ...(parsed.values.host !== undefined ? { host: parsed.values.host } : {}),
        ...(parsed.values.concurrency !== undefined ? { concurrency: intArg('--concurrency', parsed.values.concurrency, 1, 1_024) } : {}),
        ...(parsed.values['data-dir'] !== undefined ? { dataDir: resolve(parsed.values['data-dir']) } : {}),
      };
    } catch (e) {
      io.err(`verdict serve: ${(e as Error).message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    const config = loadConfig(process.env, overrides);
    const service = await startService(config);
    printBanner(io, config, service.url, service.adminToken);
    await waitForSignal();
    io.err('verdict serve: stopping\n');
    await service.close();
    return EXIT.ok;
  },
};

function printBanner(io: CliIo, config: ServiceConfig, url: string, admin: { file: string; secret?: string }): void {
  const database = isEmbedded(config) ? `embedded Postgres (PGlite), data in ${config.dataDir}` : `Postgres at ${redact(config.databaseUrl!)}`;
  const jobs = config.redisUrl === undefined ? `in-process, ${config.concurrency} at a time` : `BullMQ on ${redact(config.redisUrl)} (queue ${config.queueName}); start workers with \`verdict worker\``;
  const lines = [`Verdict listening on ${url}  (API docs: ${url}/docs)`, `  database: ${database}`, `  jobs:     ${jobs}`];
  if (admin.secret !== undefined) lines.push(`  admin token (written to ${admin.file}, mode 0600): ${admin.secret}`);
  else lines.push(`  admin token: in ${admin.file} (created on first start)`);
  io.out(`${lines.join('\n')}\n`);
}

/** Hides a URL's password. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

function intArg(flag: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return n;
}

export function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const done = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve(signal);
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
