import { parseArgs } from 'node:util';
import { statSync } from 'node:fs';
import { HISTORY_FORMATS, MODEL_NAMES, REQUIRABLE_LEVELS, isRequiredLevel, type RequiredLevel } from '@verdict/checker';
import { UsageError } from '../cli/command.js';

/**
 * Input that names something that is not there (a file, a model): bad usage too (exit 64), said
 * in one line without the usage text, which would bury it in a CI log.
 */
export class GateInputError extends Error {
  override readonly name = 'GateInputError';
}

/** What `verdict gate` was asked to do. */
export interface GateOptions {
  server: string;
  token: string;
  require: RequiredLevel;
  junit?: string;
  timeoutMs: number;
  job:
    | { kind: 'protocol'; spec: Record<string, unknown> & { protocol: string } }
    | { kind: 'database'; spec: Record<string, unknown> & { target: string } }
    | { kind: 'history'; file: string; model?: string; init?: string; format?: string };
}

export const GATE_USAGE = `Usage: verdict gate --server URL --token T --require LEVEL
                    (--protocol P [--nemesis N] [--bug B] [--scenario S] [--seed S] [--ops N] [--nodes N]
                     [--routing sticky|roaming] [--n N --r R --w W --resolve lww|siblings --quorum sloppy|strict]
                     | --history FILE [--model M] [--init JSON] [--format F]
                     | --target NAME --workload W --isolation L [--clients N] [--ops N] [--keys N] [--seed S])
                    [--junit out.xml] [--timeout S]

Submits a job to a running Verdict service, follows its progress, prints the report, writes
JUnit XML (one test case per level and per anomaly, and one for the requirement) and exits:
  0  the verdict meets the requirement
  1  it does not (the level is violated)
  2  unknown: the check could not decide, the job failed, or --timeout passed
  64 bad usage (a missing --history file, an unknown --model), a bad token or input the service refused

--scenario runs one of the protocol's scenarios (faults timed on a protocol event), as the
matrix does (see verdict run --help).

--target names a database of the service's allow-list (its VERDICT_TARGETS), never an address.

LEVEL: ${REQUIRABLE_LEVELS.join(', ')}
--token may also come from VERDICT_TOKEN. --timeout defaults to 600 seconds.
`;

export function parseGateArgs(argv: readonly string[], env: Record<string, string | undefined> = process.env): GateOptions | 'help' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      server: { type: 'string' }, token: { type: 'string' }, require: { type: 'string' }, junit: { type: 'string' }, timeout: { type: 'string' },
      protocol: { type: 'string' }, nemesis: { type: 'string' }, bug: { type: 'string' }, scenario: { type: 'string' }, seed: { type: 'string' }, ops: { type: 'string' }, nodes: { type: 'string' },
      routing: { type: 'string' }, n: { type: 'string' }, r: { type: 'string' }, w: { type: 'string' }, resolve: { type: 'string' }, quorum: { type: 'string' },
      history: { type: 'string' }, model: { type: 'string' }, init: { type: 'string' }, format: { type: 'string' },
      target: { type: 'string' }, workload: { type: 'string' }, isolation: { type: 'string' }, clients: { type: 'string' }, keys: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help === true) return 'help';
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const server = values.server ?? env.VERDICT_SERVER;
  if (server === undefined || !/^https?:\/\/\S+$/.test(server)) throw new UsageError('--server must be an http(s) URL');
  const token = values.token ?? env.VERDICT_TOKEN;
  if (token === undefined || token === '') throw new UsageError('--token (or VERDICT_TOKEN) is required');
  if (values.require === undefined) throw new UsageError('--require LEVEL is required');
  if (!isRequiredLevel(values.require)) throw new UsageError(`--require: unknown level ${JSON.stringify(values.require)} (known: ${REQUIRABLE_LEVELS.join(', ')})`);
  const modes = (['protocol', 'history', 'target'] as const).filter((m) => values[m] !== undefined);
  if (modes.length !== 1) throw new UsageError('give exactly one of --protocol, --history and --target');
  const mode = modes[0]!;
  const timeoutS = values.timeout === undefined ? 600 : Number(values.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new UsageError(`--timeout must be a positive number of seconds, got ${JSON.stringify(values.timeout)}`);
  if (values.init !== undefined) {
    try {
      JSON.parse(values.init);
    } catch {
      throw new UsageError(`--init must be JSON, e.g. --init 0 or --init '{"x":0}', got ${JSON.stringify(values.init)}`);
    }
  }
  const flagsOf = {
    history: ['model', 'init', 'format'],
    protocol: ['nemesis', 'bug', 'scenario', 'seed', 'ops', 'nodes', 'routing', 'n', 'r', 'w', 'resolve', 'quorum'],
    target: ['workload', 'isolation', 'clients', 'ops', 'keys', 'seed'],
  } as const;
  for (const [owner, flags] of Object.entries(flagsOf)) {
    for (const flag of flags) {
      if (values[flag] !== undefined && !(flagsOf[mode] as readonly string[]).includes(flag)) throw new UsageError(`--${flag} goes with --${owner}`);
    }
  }
  const job: GateOptions['job'] = mode === 'target'
    ? { kind: 'database', spec: databaseSpec(values) }
    : mode === 'protocol'
    ? {
      kind: 'protocol',
      spec: {
        protocol: values.protocol!,
        ...(values.nemesis !== undefined ? { nemesis: values.nemesis } : {}),
        ...(values.bug !== undefined ? { bug: values.bug } : {}),
        ...(values.scenario !== undefined ? { scenario: values.scenario } : {}),
        ...(values.seed !== undefined ? { seed: intFlag('seed', values.seed) } : {}),
        ...(values.ops !== undefined ? { ops: intFlag('ops', values.ops) } : {}),
        ...(values.nodes !== undefined ? { nodes: intFlag('nodes', values.nodes) } : {}),
        ...replicationSpec(values),
      },
    }
    : {
      kind: 'history',
      file: values.history!,
      ...(values.model !== undefined ? { model: values.model } : {}),
      ...(values.init !== undefined ? { init: values.init } : {}),
      ...(values.format !== undefined ? { format: values.format } : {}),
    };
  if (job.kind === 'history') checkHistoryInput(job);
  return {
    server: server.replace(/\/+$/, ''),
    token,
    require: values.require,
    timeoutMs: Math.round(timeoutS * 1000),
    job,
    ...(values.junit !== undefined ? { junit: values.junit } : {}),
  };
}

/** A database test's spec from its flags: the target by name; the service checks it against its allow-list. */
function databaseSpec(values: Partial<Record<'target' | 'workload' | 'isolation' | 'clients' | 'ops' | 'keys' | 'seed', string>>): Record<string, unknown> & { target: string } {
  if (values.workload === undefined || values.isolation === undefined) throw new UsageError('--target needs --workload and --isolation');
  const spec: Record<string, unknown> & { target: string } = { target: values.target!, workload: values.workload, isolation: values.isolation };
  for (const f of ['clients', 'ops', 'keys', 'seed'] as const) if (values[f] !== undefined) spec[f] = intFlag(f, values[f]);
  return spec;
}

/** The file must be a readable file, the model and format ones the checker knows. */
function checkHistoryInput(job: Extract<GateOptions['job'], { kind: 'history' }>): void {
  let isFile: boolean;
  try {
    isFile = statSync(job.file).isFile();
  } catch (e) {
    throw new GateInputError(`--history ${JSON.stringify(job.file)}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (!isFile) throw new GateInputError(`--history ${JSON.stringify(job.file)}: not a file`);
  if (job.model !== undefined && !MODEL_NAMES.includes(job.model)) throw new GateInputError(`--model: unknown model ${JSON.stringify(job.model)} (known: ${MODEL_NAMES.join(', ')})`);
  if (job.format !== undefined && !(HISTORY_FORMATS as readonly string[]).includes(job.format)) throw new GateInputError(`--format: unknown format ${JSON.stringify(job.format)} (known: ${HISTORY_FORMATS.join(', ')})`);
}

/** The run spec's routing and replication fields from their flags (the service checks the values). */
function replicationSpec(values: Partial<Record<'routing' | 'n' | 'r' | 'w' | 'resolve' | 'quorum', string>>): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  if (values.routing !== undefined) spec.routing = values.routing;
  for (const f of ['n', 'r', 'w'] as const) if (values[f] !== undefined) spec[f] = intFlag(f, values[f]);
  if (values.resolve !== undefined) spec.resolve = values.resolve;
  if (values.quorum !== undefined) {
    if (values.quorum !== 'sloppy' && values.quorum !== 'strict') throw new UsageError(`--quorum: expected sloppy or strict, got ${JSON.stringify(values.quorum)}`);
    spec.sloppyQuorum = values.quorum === 'sloppy';
  }
  return spec;
}

function intFlag(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  return n;
}
