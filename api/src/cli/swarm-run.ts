import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { isVerdictError } from '@verdict/checker';
import { PROTOCOL_PROMISES, progressBar, renderFailure, renderSummary, runSwarm, swarmProtocols, type SwarmResult } from '@verdict/workers';
import { EXIT, UsageError, type CliIo } from './command.js';

/** The promises' protocol column: the longest name and two spaces. */
const NAME_WIDTH = Math.max(...Object.keys(PROTOCOL_PROMISES).map((p) => p.length)) + 2;

export const SWARM_USAGE = `Usage: verdict run --swarm [--time S] [--runs N] [--protocol P]... [--seed S] [--json]
                         [--bug NAME] [--ops-max N] [--workers N] [--stop-on-violation]

Many seeded runs, each drawn from one root seed: protocol, nemesis, cluster size, clients,
operation count (log-uniform up to --ops-max), message loss and duplication, clock drift and
client timeout. Each run is checked against what its protocol promises; every violation is
printed with the verdict run command that replays it byte for byte.

Options:
  --time S           start no run after S seconds (runs under way finish)
  --runs N           at most N runs (default 100 without --time)
  --protocol P       draw only from P (repeatable); default every protocol with a promise:
                     ${swarmProtocols().join(', ')}
  --seed S           the root seed (default: a random one, printed first)
  --bug NAME         hunt one named bug of the one --protocol, judged by the correct
                     protocol's promise (how many runs until it is caught?)
  --ops-min N        fewest client operations per run (default 20)
  --ops-max N        most client operations per run (default 50000)
  --workers N        worker threads (default: the cores available)
  --stop-on-violation  start no run after the first violation or error
  --json             print the result as JSON (the failures, the summary, the run count)

Exit: 0 no violation, 1 a violation, 2 no violation but some run undecided (unknown),
70 a run failed (a node threw), 64 bad usage.

What each protocol promises (runs are drawn only inside it):
${Object.entries(PROTOCOL_PROMISES).map(([p, promise]) => `  ${p.padEnd(NAME_WIDTH)}${promise.description}`).join('\n')}
`;

interface SwarmCliOptions {
  seed: number;
  seedGiven: boolean;
  runs?: number;
  timeS?: number;
  protocols?: string[];
  bug?: string;
  opsMin?: number;
  opsMax?: number;
  workers?: number;
  stopOnViolation: boolean;
  json: boolean;
  help: boolean;
}

/** `verdict run --swarm`: the swarm, its progress, every failure with its replay, the summary. */
export async function swarmCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let options: SwarmCliOptions;
  try {
    options = parseSwarmArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`verdict run --swarm: ${e.message}\n\n${SWARM_USAGE}`);
      return EXIT.usage;
    }
    throw e;
  }
  if (options.help) {
    io.out(SWARM_USAGE);
    return EXIT.ok;
  }
  const seedLine = `verdict run --swarm: root seed ${options.seed}${options.seedGiven ? '' : ' (random; pass --seed to replay)'}\n`;
  if (options.json) io.err(seedLine);
  else io.out(seedLine);
  const bar = io.interactive && !options.json ? progressBar() : undefined;
  const started = performance.now();
  let result: SwarmResult;
  try {
    result = await runSwarm({
      seed: options.seed,
      ...(options.runs !== undefined ? { runs: options.runs } : {}),
      ...(options.timeS !== undefined ? { timeS: options.timeS } : {}),
      ...(options.protocols !== undefined ? { protocols: options.protocols } : {}),
      ...(options.bug !== undefined ? { bug: options.bug } : {}),
      ...(options.opsMin !== undefined ? { opsMin: options.opsMin } : {}),
      ...(options.opsMax !== undefined ? { opsMax: options.opsMax } : {}),
      ...(options.workers !== undefined ? { workers: options.workers } : {}),
      stopOnViolation: options.stopOnViolation,
      onRun: (o, summary) => {
        if (o.outcome !== 'ok' && !options.json) io.out(`${renderFailure(o)}\n`);
        const t = summary.total;
        const label = `${t.ops} ops, ${t.violated} violated, ${t.unknown} unknown, ${t.errors} errors`;
        // Without a terminal (a log, CI), a line every 100 runs says how far it got.
        if (bar === undefined) {
          if (!options.json && t.runs % 100 === 0) io.out(`... ${t.runs} runs, ${label}, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
          return;
        }
        if (options.timeS !== undefined && options.runs === undefined) bar.step(Math.min(options.timeS, Math.round((performance.now() - started) / 1000)), options.timeS, `${t.runs} runs, ${label}`, 'swarm', 's');
        else bar.step(t.runs, options.runs ?? 100, label, 'swarm');
      },
    });
  } catch (e) {
    if (isVerdictError(e) && e.code === 'VRD_ERR_RUN_SWARM') {
      io.err(`verdict run --swarm: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  } finally {
    bar?.stop();
  }
  const t = result.summary.total;
  if (options.json) {
    const { outcomes: _outcomes, ...rest } = result;
    io.out(`${JSON.stringify(rest)}\n`);
  } else {
    io.out(`${renderSummary(result.summary)}\n\n`);
    io.out(`${t.runs} runs (root seed ${result.seed}, ${result.protocols.join(', ')}${result.bug !== null ? `, bug ${result.bug}` : ''}, ${result.opsMin}..${result.opsMax} ops, ${result.workers} workers), ${t.ops} operations, ${t.violated} violated, ${t.unknown} unknown, ${t.errors} errors, in ${(result.wallMs / 1000).toFixed(1)} s (stopped by ${result.stoppedBy})\n`);
    if (result.failures.length > 0) io.out(`\nfailures:\n${result.failures.map(renderFailure).join('\n')}\n`);
  }
  if (t.violated > 0) return EXIT.violated;
  if (t.errors > 0) return EXIT.software;
  return t.unknown > 0 ? EXIT.unknown : EXIT.ok;
}

function parseSwarmArgs(argv: readonly string[]): SwarmCliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        swarm: { type: 'boolean' },
        time: { type: 'string' },
        runs: { type: 'string' },
        protocol: { type: 'string', multiple: true },
        seed: { type: 'string' },
        bug: { type: 'string' },
        'ops-min': { type: 'string' },
        'ops-max': { type: 'string' },
        workers: { type: 'string' },
        'stop-on-violation': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  const seedGiven = v.seed !== undefined;
  const options: SwarmCliOptions = {
    seed: seedGiven ? integer('--seed', v.seed!, 0) : randomInt(0, 2 ** 31),
    seedGiven,
    stopOnViolation: v['stop-on-violation'] === true,
    json: v.json === true,
    help: v.help === true,
  };
  if (v.runs !== undefined) options.runs = integer('--runs', v.runs, 1);
  if (v.time !== undefined) options.timeS = integer('--time', v.time, 1);
  if (v.protocol !== undefined) options.protocols = v.protocol;
  if (v.bug !== undefined) {
    if (options.protocols?.length !== 1) throw new UsageError('--bug needs exactly one --protocol');
    options.bug = v.bug;
  }
  if (v['ops-min'] !== undefined) options.opsMin = integer('--ops-min', v['ops-min'], 1);
  if (v['ops-max'] !== undefined) options.opsMax = integer('--ops-max', v['ops-max'], 1);
  if (v.workers !== undefined) options.workers = integer('--workers', v.workers, 0);
  return options;
}

function integer(flag: string, text: string, min: number): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag}: expected an integer ≥ ${min}, got ${JSON.stringify(text)}`);
  return n;
}
