import { randomInt } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { REQUIRABLE_LEVELS, isRequiredLevel, isVerdictError, writeHistoryJsonl, type RequiredLevel } from '@verdict/checker';
import {
  NEMESIS_NAMES,
  PROTOCOLS,
  evaluateRequirement,
  progressBar,
  renderMatrix,
  renderReplicationSweep,
  renderRun,
  run,
  runMatrix,
  runReplicationSweep,
  type MatrixResult,
  type SweepResult,
  type RunResult,
  type RunSpec,
} from '@verdict/workers';
import { EXIT, UsageError, type CliCommand, type CliIo } from './command.js';
import { FAULT_FLAG_OPTIONS, FAULT_FLAGS_USAGE, readFaultFlags } from './fault-flags.js';
import { swarmCommand } from './swarm-run.js';

const USAGE = `Usage: verdict run --protocol P [--nemesis N] [--seed S] [--ops N] [options]
       verdict run --matrix [--protocol P] [--seeds N] [--ops N] [--timeout-ms N] [--no-scenarios]
       verdict run --swarm [--time S] [--runs N] [--protocol P] [--seed S] [--json]  (--swarm --help)

Runs a protocol in the deterministic simulator, in-process, under a fault schedule, and checks
the history it produced. The same seed always gives the same history.

Options:
  --protocol P       ${Object.keys(PROTOCOLS).join(', ') || '(none registered)'}
  --nemesis N        ${NEMESIS_NAMES.join(', ')} (default none)
  --seed S           the root seed, an integer ≥ 0 (default: a random one, printed first)
  --ops N            client operations (default 1000, also per matrix run; final reads come on top)
  --bug NAME         run one of the protocol's named bugs
  --scenario NAME    run under one of the protocol's scenarios: faults timed on a protocol event,
                     tuned clients or clocks (the matrix footnotes name them; a wrong NAME lists them)
  --nodes N          cluster size (the protocol's default otherwise)
  --clients N        clients (default 5)
  --concurrency N    processes per client (default 1)
  --timeout-ms N     client timeout in virtual ms (default 1000)
  --routing R        sticky (each client keeps to one node, to one replica per key where the
                     protocol places keys) or roaming (a random node per operation); default the protocol's
  --n N, --r R, --w W  replicas per key, replies per read, acknowledgements per write
                     (protocols with tunable replication: eventual; default 3, 1, 1)
  --resolve MODE     lww (last writer wins by timestamp and node) or siblings (version vectors,
                     concurrent values returned together); default lww
  --quorum Q         sloppy (stand-ins take writes with hints for unreachable replicas) or strict
                     (only the key's N replicas count); default sloppy
  --reads MODE       zookeeper: sync (a sync through the leader before each read: linearizable;
                     the default) or local (each server answers from its own copy: sequential,
                     not linearizable — stale follower reads)
${FAULT_FLAGS_USAGE}
  --out FILE         write the history as JSONL
  --require LEVEL    exit 0 only when LEVEL holds: ${REQUIRABLE_LEVELS.join(', ')}
  --json             print the result (report, run facts, availability) as JSON
  --matrix           run every protocol × bug × nemesis and print the table of verdicts; for a
                     store with tunable replication (eventual), then sweep N/R/W, resolve mode and
                     routing and print where each setting lands on the lattice (CAP/BASE, measured).
                     With --protocol P: that protocol's rows (and sweep) only
  --seeds N          with --matrix: seeds per cell (default 1; a scenario may run more)
  --no-scenarios     with --matrix: run every cell plainly, without the protocols' scenarios
  -h, --help         this text

Exit: 0 the verdict holds (or LEVEL holds), 1 violated, 2 unknown, 64 bad usage, 70 a node failed.
With --matrix: 0 when every run finished (whatever the verdicts), 70 when one failed.
`;

interface RunCommandOptions {
  spec: RunSpec;
  seedGiven: boolean;
  out?: string;
  require?: RequiredLevel;
  json: boolean;
  matrix: boolean;
  seeds: number;
  scenarios: boolean;
  help: boolean;
  /** With --matrix and --protocol: the protocol whose rows to run. */
  matrixProtocol?: string;
}

/** `verdict run`: simulate a protocol under faults, check it, print the full report. */
export const runCommand: CliCommand = {
  name: 'run',
  summary: 'simulate a protocol under faults in-process and check its history (or --matrix: all of them)',
  usage: USAGE,
  async run(argv, io) {
    if (argv.includes('--swarm')) return swarmCommand(argv, io);
    let options: RunCommandOptions;
    try {
      options = parseRunArgs(argv);
    } catch (e) {
      if (e instanceof UsageError) {
        io.err(`verdict run: ${e.message}\n\n${USAGE}`);
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
      if (isVerdictError(e) && (e.code.startsWith('VRD_ERR_RUN_'))) {
        io.err(`verdict run: ${flagOf(e.code, e.message)}${e.message}\n`);
        return EXIT.usage;
      }
      if (isVerdictError(e) && e.code.startsWith('VRD_ERR_SIM_')) {
        io.err(`verdict run: ${e.message}\n`);
        return EXIT.software;
      }
      throw e;
    }
  },
};

async function single(options: RunCommandOptions, io: CliIo): Promise<number> {
  const spec = options.spec;
  // The seed comes first, before anything can go wrong.
  const seedLine = `verdict run: seed ${spec.seed}${options.seedGiven ? '' : ' (random; pass --seed to replay)'}\n`;
  if (options.json) io.err(seedLine);
  else io.out(seedLine);
  const bar = io.interactive && !options.json ? progressBar() : undefined;
  let result: RunResult;
  try {
    result = await run(spec, bar !== undefined ? { onProgress: (p) => bar.update(p) } : {});
  } finally {
    bar?.stop();
  }
  if (options.out !== undefined) await writeJsonl(options.out, result);
  const requirement = options.require !== undefined ? evaluateRequirement(result, options.require) : undefined;
  if (options.json) {
    io.out(`${JSON.stringify({ headline: result.headline, spec: result.spec, facts: result.facts, report: result.report, ...(requirement !== undefined ? { requirement: { level: options.require, ...requirement } } : {}) })}\n`);
  } else {
    io.out(renderRun(result));
    if (options.out !== undefined) io.out(`history written to ${options.out} (${result.history.ops.length} ops, JSONL)\n`);
    if (requirement !== undefined) io.out(`require ${options.require}: ${requirement.result === 'yes' ? 'met' : requirement.result === 'no' ? 'NOT met' : 'unknown'} — ${requirement.reason}\n`);
  }
  if (requirement !== undefined) return requirement.result === 'yes' ? EXIT.ok : requirement.result === 'no' ? EXIT.violated : EXIT.unknown;
  const outcome = result.report.verdict.outcome;
  return outcome === 'ok' ? EXIT.ok : outcome === 'violated' ? EXIT.violated : EXIT.unknown;
}

async function matrix(options: RunCommandOptions, io: CliIo): Promise<number> {
  const bar = io.interactive && !options.json ? progressBar() : undefined;
  let result: MatrixResult;
  try {
    result = await runMatrix({
      seeds: options.seeds,
      scenarios: options.scenarios,
      ...(options.spec.ops !== undefined ? { ops: options.spec.ops } : {}),
      ...(options.spec.timeoutMs !== undefined ? { timeoutMs: options.spec.timeoutMs } : {}),
      ...(options.matrixProtocol !== undefined ? { protocols: [options.matrixProtocol] } : {}),
      ...(bar !== undefined ? { onRun: (cell, done, total) => bar.step(done, total, `${cell.protocol}${cell.bug !== null ? `/${cell.bug}` : ''} × ${cell.nemesis}`) } : {}),
    });
  } finally {
    bar?.stop();
  }
  const sweeps = await replicationSweeps(options, io);
  io.out(options.json ? `${JSON.stringify(sweeps.length > 0 ? { ...result, sweeps } : result)}\n` : [renderMatrix(result), ...sweeps.map(renderReplicationSweep)].join('\n'));
  // The matrix is a table to read, not a gate (3PC is meant to break under partitions; bugs are
  // meant to be caught): it fails only when a run could not finish.
  return result.cells.some((c) => c.errors.length > 0) ? EXIT.software : EXIT.ok;
}

/** The replication sweep of each protocol in the matrix whose replication is tunable. */
async function replicationSweeps(options: RunCommandOptions, io: CliIo): Promise<SweepResult[]> {
  const sweeps: SweepResult[] = [];
  for (const name of options.matrixProtocol !== undefined ? [options.matrixProtocol] : Object.keys(PROTOCOLS)) {
    const def = await PROTOCOLS[name]?.();
    if (def?.replication === undefined) continue;
    const bar = io.interactive && !options.json ? progressBar() : undefined;
    try {
      sweeps.push(await runReplicationSweep({
        protocol: name,
        seeds: options.seeds,
        ...(options.spec.ops !== undefined ? { ops: options.spec.ops } : {}),
        ...(bar !== undefined ? { onRun: (label, done, total) => bar.step(done, total, label) } : {}),
      }));
    } finally {
      bar?.stop();
    }
  }
  return sweeps;
}

async function writeJsonl(path: string, result: RunResult): Promise<void> {
  const stream = createWriteStream(path);
  await writeHistoryJsonl(result.history.ops, stream);
  stream.end();
  await finished(stream);
}

function parseRunArgs(argv: readonly string[]): RunCommandOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        protocol: { type: 'string' },
        nemesis: { type: 'string' },
        seed: { type: 'string' },
        ops: { type: 'string' },
        bug: { type: 'string' },
        nodes: { type: 'string' },
        clients: { type: 'string' },
        concurrency: { type: 'string' },
        'timeout-ms': { type: 'string' },
        routing: { type: 'string' },
        n: { type: 'string' },
        r: { type: 'string' },
        w: { type: 'string' },
        resolve: { type: 'string' },
        quorum: { type: 'string' },
        ...FAULT_FLAG_OPTIONS,
        reads: { type: 'string' },
        out: { type: 'string' },
        require: { type: 'string' },
        json: { type: 'boolean', default: false },
        matrix: { type: 'boolean', default: false },
        seeds: { type: 'string' },
        scenario: { type: 'string' },
        'no-scenarios': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  const seedGiven = v.seed !== undefined;
  const spec: RunSpec = { protocol: v.protocol ?? '', seed: seedGiven ? integer('--seed', v.seed!, 0) : randomInt(0, 2 ** 31) };
  const options: RunCommandOptions = { spec, seedGiven, json: v.json === true, matrix: v.matrix === true, seeds: 1, scenarios: v['no-scenarios'] !== true, help: v.help === true };
  if (options.help) return options;
  if (v.ops !== undefined) spec.ops = integer('--ops', v.ops, 1);
  if (v['timeout-ms'] !== undefined) spec.timeoutMs = integer('--timeout-ms', v['timeout-ms'], 1);
  if (options.matrix) {
    for (const flag of ['nemesis', 'bug', 'scenario', 'seed', 'out', 'require', 'nodes', 'clients', 'concurrency', 'routing', 'n', 'r', 'w', 'resolve', 'quorum', 'loss', 'duplicate', 'clock-drift-ppm', 'reads'] as const) {
      if (v[flag] !== undefined) throw new UsageError(`--${flag} does not apply to --matrix (it runs every protocol, nemesis and bug)`);
    }
    if (v.protocol !== undefined) {
      if (!Object.prototype.hasOwnProperty.call(PROTOCOLS, v.protocol)) throw new UsageError(`--protocol: unknown protocol ${JSON.stringify(v.protocol)} (known: ${Object.keys(PROTOCOLS).join(', ')})`);
      options.matrixProtocol = v.protocol;
    }
    if (v.seeds !== undefined) options.seeds = integer('--seeds', v.seeds, 1);
    return options;
  }
  if (v.seeds !== undefined) throw new UsageError('--seeds applies only to --matrix');
  if (v['no-scenarios'] === true) throw new UsageError('--no-scenarios applies only to --matrix');
  if (v.protocol === undefined) throw new UsageError(`--protocol is required (known: ${Object.keys(PROTOCOLS).join(', ')})`);
  if (v.nemesis !== undefined) spec.nemesis = v.nemesis;
  if (v.bug !== undefined) spec.bug = v.bug;
  if (v.scenario !== undefined) spec.scenario = v.scenario;
  if (v.nodes !== undefined) spec.nodes = integer('--nodes', v.nodes, 1);
  if (v.clients !== undefined) spec.clients = integer('--clients', v.clients, 1);
  if (v.concurrency !== undefined) spec.concurrency = integer('--concurrency', v.concurrency, 1);
  readReplicationFlags(v, spec);
  readFaultFlags(v, spec);
  if (v.reads !== undefined) {
    // ZooKeeper's reads: served by the connected server as is (local), or after a sync through the leader.
    if (v.reads !== 'local' && v.reads !== 'sync') throw new UsageError(`--reads: expected local or sync, got ${JSON.stringify(v.reads)}`);
    spec.params = { ...spec.params, syncReads: v.reads === 'sync' ? 1 : 0 };
  }
  if (v.out !== undefined) options.out = v.out;
  if (v.require !== undefined) {
    if (!isRequiredLevel(v.require)) throw new UsageError(`--require: unknown level ${JSON.stringify(v.require)} (known: ${REQUIRABLE_LEVELS.join(', ')})`);
    options.require = v.require;
  }
  return options;
}

/** `--routing`, `--n`, `--r`, `--w`, `--resolve`, `--quorum`: the spec's routing and replication fields. */
function readReplicationFlags(v: Partial<Record<'routing' | 'n' | 'r' | 'w' | 'resolve' | 'quorum', string>>, spec: RunSpec): void {
  const oneOf = <T extends string>(flag: string, text: string, choices: readonly T[]): T => {
    if (!(choices as readonly string[]).includes(text)) throw new UsageError(`--${flag}: expected ${choices.join(' or ')}, got ${JSON.stringify(text)}`);
    return text as T;
  };
  if (v.routing !== undefined) spec.routing = oneOf('routing', v.routing, ['sticky', 'roaming'] as const);
  if (v.n !== undefined) spec.n = integer('--n', v.n, 1);
  if (v.r !== undefined) spec.r = integer('--r', v.r, 1);
  if (v.w !== undefined) spec.w = integer('--w', v.w, 1);
  if (v.resolve !== undefined) spec.resolve = oneOf('resolve', v.resolve, ['lww', 'siblings'] as const);
  if (v.quorum !== undefined) spec.sloppyQuorum = oneOf('quorum', v.quorum, ['sloppy', 'strict'] as const) === 'sloppy';
}

function integer(flag: string, text: string, min: number): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag}: expected an integer ≥ ${min}, got ${JSON.stringify(text)}`);
  return n;
}

/** Which flag a spec error is about, so the message names it. */
function flagOf(code: string, message: string): string {
  if (code === 'VRD_ERR_RUN_PROTOCOL') return '--protocol: ';
  if (code === 'VRD_ERR_RUN_NEMESIS') return '--nemesis: ';
  if (code === 'VRD_ERR_RUN_BUG') return '--bug: ';
  if (code === 'VRD_ERR_RUN_REQUIRE') return '--require: ';
  const field = /invalid run spec: (\w+)/.exec(message)?.[1];
  const flags: Record<string, string> = { seed: '--seed', ops: '--ops', nodes: '--nodes', clients: '--clients', concurrency: '--concurrency', timeoutMs: '--timeout-ms', scenario: '--scenario', n: '--n', r: '--r', w: '--w', resolve: '--resolve', sloppyQuorum: '--quorum', routing: '--routing' };
  return field !== undefined && flags[field] !== undefined ? `${flags[field]}: ` : '';
}
