import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { REQUIRABLE_LEVELS, isRequiredLevel, isVerdictError, meetsRequirement, renderText, writeHistoryJsonl, type RequiredLevel } from '@verdict/checker';
import {
  DB_WORKLOADS,
  SQL_ISOLATION_LEVELS,
  progressBar,
  renderDbMatrix,
  runDbMatrix,
  testDatabase,
  type DbTestResult,
  type DbTestSpec,
} from '@verdict/workers';
import { EXIT, UsageError, terminalText, type CliCommand, type CliIo } from './command.js';

const USAGE = `Usage: verdict test --target URL --workload W --isolation L [options]
       verdict test --matrix --target URL [options]

Runs a generated workload against a real database over real connections, records every
transaction (invoke, then ok / fail / info with wall-clock times) and checks the history. Each run
works in a schema (Postgres) or database (MySQL) of its own, made and dropped by the test.

Options:
  --target URL          postgres://user@host:port/db or mysql://user@host:port/db (mariadb:// too)
  --workload W          ${DB_WORKLOADS.join(', ')}
  --isolation L         ${SQL_ISOLATION_LEVELS.join(', ')}
  --clients N           concurrent clients, each on its own connection (default 8)
  --ops N               transactions to generate (default 2000)
  --keys N              keys (list-append, rw-register), accounts (bank) or ranges (predicate)
                        in play (default 3; bank 5)
  --seed S              seed of the generated operations (default 1)
  --time-limit S        no transaction starts after S seconds (default 60)
  --txn-timeout-ms N    a client gives up on a transaction after N ms: info (default 5000)
  --abort-rate R        fraction of transactions that roll themselves back (default 0.05)
  --kill-every-ms N     kill one of the test's own connections mid-transaction every N ms on
                        average (pg_terminate_backend / KILL CONNECTION; default 0: never)
  --out FILE            write the history as JSONL
  --require LEVEL       exit 0 only when LEVEL holds: ${REQUIRABLE_LEVELS.join(', ')}
  --json                print the result (report and facts) as JSON
  --matrix              every isolation level × every workload: the seed's table for this database
  -h, --help            this text

Serialization failures, deadlocks and lock or statement timeouts are fail (the database refused);
a dropped connection or a client timeout is info (it may have committed).

Exit: 0 the verdict holds (or LEVEL holds), 1 violated, 2 unknown, 64 bad usage, 69 the target is
unreachable. With --matrix: 0 when every run finished.
`;

const EXIT_UNAVAILABLE = 69;

interface TestOptions {
  spec: Partial<DbTestSpec> & { target?: string };
  out?: string;
  require?: RequiredLevel;
  json: boolean;
  matrix: boolean;
  help: boolean;
}

/** `verdict test`: a workload against a real database, checked. */
export const testCommand: CliCommand = {
  name: 'test',
  summary: 'run a workload against a real database (Postgres, MySQL/MariaDB) and check what it did; --matrix: the isolation table',
  usage: USAGE,
  async run(argv, io) {
    let options: TestOptions;
    try {
      options = parseTestArgs(argv);
    } catch (e) {
      if (e instanceof UsageError) {
        io.err(`verdict test: ${e.message}\n\n${USAGE}`);
        return EXIT.usage;
      }
      throw e;
    }
    if (options.help) {
      io.out(USAGE);
      return EXIT.ok;
    }
    try {
      return options.matrix ? await matrix(options, io) : await single(options, io);
    } catch (e) {
      if (isVerdictError(e) && (e.code === 'VRD_ERR_TARGET_SPEC' || e.code === 'VRD_ERR_TARGET_URL')) {
        io.err(`verdict test: ${terminalText(e.message)}\n`);
        return EXIT.usage;
      }
      if (isVerdictError(e) && e.code === 'VRD_ERR_TARGET_CONNECT') {
        io.err(`verdict test: ${terminalText(e.message)}\n`);
        return EXIT_UNAVAILABLE;
      }
      if (isVerdictError(e) && e.code === 'VRD_ERR_TARGET_SQL') {
        io.err(`verdict test: ${terminalText(e.message)}\n`);
        return EXIT.software;
      }
      throw e;
    }
  },
};

async function single(options: TestOptions, io: CliIo): Promise<number> {
  const bar = io.interactive && !options.json ? progressBar() : undefined;
  let result: DbTestResult;
  try {
    result = await testDatabase(options.spec as DbTestSpec, bar !== undefined ? { onProgress: (p) => bar.step(p.done, p.total, p.stage === 'record' ? 'recording' : 'checking') } : {});
  } finally {
    bar?.stop();
  }
  if (options.out !== undefined) {
    const stream = createWriteStream(options.out);
    await writeHistoryJsonl(result.history.ops, stream);
    stream.end();
    await finished(stream);
  }
  const requirement = options.require !== undefined ? meetsRequirement(result.report, options.require) : undefined;
  if (options.json) {
    io.out(`${JSON.stringify({ spec: { ...result.spec, target: result.facts.target }, facts: result.facts, report: result.report, ...(requirement !== undefined ? { requirement: { level: options.require, ...requirement } } : {}) })}\n`);
  } else {
    io.out(renderText(result.report));
    io.out(`\n${factsText(result)}`);
    if (options.out !== undefined) io.out(`history written to ${options.out} (${result.history.ops.length} ops, JSONL)\n`);
    if (requirement !== undefined) io.out(`require ${options.require}: ${requirement.result === 'yes' ? 'met' : requirement.result === 'no' ? 'NOT met' : 'unknown'} — ${requirement.reason}\n`);
  }
  if (requirement !== undefined) return requirement.result === 'yes' ? EXIT.ok : requirement.result === 'no' ? EXIT.violated : EXIT.unknown;
  const outcome = result.report.verdict.outcome;
  return outcome === 'ok' ? EXIT.ok : outcome === 'violated' ? EXIT.violated : EXIT.unknown;
}

async function matrix(options: TestOptions, io: CliIo): Promise<number> {
  const { target, workload: _w, isolation: _i, ...shared } = options.spec;
  const bar = io.interactive && !options.json ? progressBar() : undefined;
  try {
    const result = await runDbMatrix({
      target: target!,
      spec: shared,
      ...(bar !== undefined ? { onRun: (level, workload, done, total) => bar.step(done, total, `${level} × ${workload}`) } : {}),
    });
    bar?.stop();
    io.out(options.json ? `${JSON.stringify(result)}\n` : renderDbMatrix(result));
    return EXIT.ok;
  } finally {
    bar?.stop();
  }
}

function factsText(result: DbTestResult): string {
  const f = result.facts;
  const reasons = (r: Record<string, number>): string => Object.entries(r).map(([k, n]) => `${k} ${n}`).join(', ');
  return [
    `target: ${f.target} (${f.serverVersion})`,
    `isolation: ${f.isolation} (the server reports ${f.level.reported})${f.level.note !== undefined ? ` — ${f.level.note}` : ''}`,
    `transactions: ${f.transactions} by ${f.clients} clients in ${(f.wallMs / 1000).toFixed(1)} s (${f.txnPerSecond} committed or refused per s); checked in ${f.checkMs} ms`,
    `  ok ${f.ok}, fail ${f.fail}${f.fail > 0 ? ` (${reasons(f.failReasons)})` : ''}, info ${f.info}${f.info > 0 ? ` (${reasons(f.infoReasons)})` : ''}${f.kills > 0 ? `; ${f.kills} connections killed` : ''}`,
    `again: ${f.command}`,
    '',
  ].join('\n');
}

function parseTestArgs(argv: readonly string[]): TestOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        target: { type: 'string' },
        workload: { type: 'string' },
        isolation: { type: 'string' },
        clients: { type: 'string' },
        ops: { type: 'string' },
        keys: { type: 'string' },
        seed: { type: 'string' },
        'time-limit': { type: 'string' },
        'txn-timeout-ms': { type: 'string' },
        'abort-rate': { type: 'string' },
        'kill-every-ms': { type: 'string' },
        out: { type: 'string' },
        require: { type: 'string' },
        json: { type: 'boolean', default: false },
        matrix: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  const options: TestOptions = { spec: {}, json: v.json === true, matrix: v.matrix === true, help: v.help === true };
  if (options.help) return options;
  if (v.target === undefined) throw new UsageError('--target is required (postgres://… or mysql://…)');
  const spec = options.spec;
  spec.target = v.target;
  if (options.matrix) {
    for (const flag of ['workload', 'isolation', 'out', 'require'] as const) {
      if (v[flag] !== undefined) throw new UsageError(`--${flag} does not apply to --matrix (it runs every workload at every level)`);
    }
  } else {
    if (v.workload === undefined) throw new UsageError(`--workload is required (${DB_WORKLOADS.join(', ')})`);
    if (v.isolation === undefined) throw new UsageError(`--isolation is required (${SQL_ISOLATION_LEVELS.join(', ')})`);
    spec.workload = v.workload as DbTestSpec['workload'];
    spec.isolation = v.isolation as DbTestSpec['isolation'];
  }
  if (v.clients !== undefined) spec.clients = integer('--clients', v.clients);
  if (v.ops !== undefined) spec.ops = integer('--ops', v.ops);
  if (v.keys !== undefined) spec.keys = integer('--keys', v.keys);
  if (v.seed !== undefined) spec.seed = integer('--seed', v.seed);
  if (v['time-limit'] !== undefined) spec.timeLimitS = integer('--time-limit', v['time-limit']);
  if (v['txn-timeout-ms'] !== undefined) spec.txnTimeoutMs = integer('--txn-timeout-ms', v['txn-timeout-ms']);
  if (v['kill-every-ms'] !== undefined) spec.killEveryMs = integer('--kill-every-ms', v['kill-every-ms']);
  if (v['abort-rate'] !== undefined) {
    const r = Number(v['abort-rate']);
    if (!/^\d*\.?\d+$/.test(v['abort-rate']) || !(r >= 0 && r <= 0.5)) throw new UsageError(`--abort-rate: expected a number in [0, 0.5], got ${JSON.stringify(v['abort-rate'])}`);
    spec.abortRate = r;
  }
  if (v.out !== undefined) options.out = v.out;
  if (v.require !== undefined) {
    if (!isRequiredLevel(v.require)) throw new UsageError(`--require: unknown level ${JSON.stringify(v.require)} (known: ${REQUIRABLE_LEVELS.join(', ')})`);
    options.require = v.require;
  }
  return options;
}

function integer(flag: string, text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`${flag}: expected a non-negative integer, got ${JSON.stringify(text)}`);
  return n;
}
