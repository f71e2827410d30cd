import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import {
  HISTORY_FORMATS,
  isRequiredLevel,
  MODEL_NAMES,
  parseJsonExact,
  renderJunit,
  REQUIRABLE_LEVELS,
  TXN_MODELS,
  isAnomalyName,
  isTxnModelName,
  type HistoryFormat,
  type Report,
} from '@verdict/checker';
import { checkFiles, FILES_PARALLEL_AFTER_MS, idleCores } from './check-files.js';
import type { CheckCommandOptions } from './check-file.js';
import { EXIT, UsageError, type CliCommand } from './command.js';

const USAGE = `Usage: verdict check FILE... [options]

Checks histories (Jepsen EDN, JSON, JSONL, Porcupine etcd or kv logs; the format is detected).

Options:
  --model M          the model: ${MODEL_NAMES.join(', ')}
                     (implied for Porcupine logs; required for EDN/JSON single-object histories)
  --init JSON        the model's initial state, e.g. --init 0 or --init '{"x":0,"y":0}'
  --format F         skip detection: ${HISTORY_FORMATS.join(', ')}
  --levels           check every consistency level (strong, sequential, session, user, eventual)
  --require LEVEL    exit 0 only when LEVEL holds: ${REQUIRABLE_LEVELS.join(', ')}
  --consistency-models M,...
                     transactions: exit 0 only when these models (Elle's names, e.g.
                     serializable,snapshot-isolation,read-atomic) all hold; default
                     strict-serializable (none when only --anomalies is given, or for nil)
  --anomalies A,...  transactions: these anomalies (and any that imply them) fail the check too,
                     e.g. G1,G-single,lost-update
  --linearizable-keys  assume each register key is linearizable (real time orders its versions)
  --sequential-keys    assume each register key is sequentially consistent (process order does)
  --time-limit S     give up after S seconds per file, with verdict unknown
  --json             print each report as one line of JSON
  --junit FILE       write JUnit XML (one test case per level and anomaly)
  --svg FILE         write an SVG timeline around the counterexample (first file)
  -h, --help         this text

Exit: 0 linearizable (for transactions: strict serializable, or the --consistency-models hold
and no --anomalies appear; or LEVEL holds), 1 not, 2 unknown,
64 bad usage or input.
With several files, the worst: bad input, then violated, then unknown.
`;

/** `verdict check`: check files, print the verdict and the counterexample. */
export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'check history files for linearizability, consistency levels and isolation anomalies',
  usage: USAGE,
  async run(argv, io) {
    let options: CheckCommandOptions;
    try {
      options = parseCheckArgs(argv);
    } catch (e) {
      if (e instanceof UsageError) {
        io.err(`verdict check: ${e.message}\n\n${USAGE}`);
        return EXIT.usage;
      }
      throw e;
    }
    if (options.help) {
      io.out(USAGE);
      return EXIT.ok;
    }
    const codes: number[] = [];
    const reports: Report[] = [];
    // VERDICT_CHECK_PARALLEL_AFTER_MS: lets the tests make the compiled command use its workers
    // at once, on every spare core however busy the machine.
    const forced = process.env.VERDICT_CHECK_PARALLEL_AFTER_MS;
    const after = Number(forced ?? FILES_PARALLEL_AFTER_MS);
    await checkFiles(options, io, (checked) => {
      codes.push(checked.code);
      if (checked.report !== undefined) reports.push(checked.report);
    }, Number.isFinite(after) ? after : FILES_PARALLEL_AFTER_MS, forced !== undefined ? availableParallelism() - 1 : idleCores());
    if (options.junit !== undefined && reports.length > 0) {
      const xml = reports.map((r) => renderJunit(r, options.require !== undefined ? { require: options.require } : {})).join('\n');
      await writeFile(options.junit, xml);
    }
    return worst(codes);
  },
};


function parseCheckArgs(argv: readonly string[]): CheckCommandOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        model: { type: 'string' },
        init: { type: 'string' },
        format: { type: 'string' },
        levels: { type: 'boolean', default: false },
        require: { type: 'string' },
        'time-limit': { type: 'string' },
        json: { type: 'boolean', default: false },
        junit: { type: 'string' },
        svg: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        'consistency-models': { type: 'string' },
        anomalies: { type: 'string' },
        'linearizable-keys': { type: 'boolean', default: false },
        'sequential-keys': { type: 'boolean', default: false },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  const options: CheckCommandOptions = {
    files: parsed.positionals, levels: v.levels === true, json: v.json === true, help: v.help === true,
    linearizableKeys: v['linearizable-keys'] === true, sequentialKeys: v['sequential-keys'] === true,
  };
  if (options.help) return options;
  if (options.files.length === 0) throw new UsageError('no history file given');
  if (v.model !== undefined) {
    if (!MODEL_NAMES.includes(v.model)) throw new UsageError(`--model: unknown model ${JSON.stringify(v.model)} (known: ${MODEL_NAMES.join(', ')})`);
    options.model = v.model;
  }
  if (v.init !== undefined) {
    try {
      // Exact: an integer beyond 2^53 in the initial state stays exact, as in the history.
      options.init = parseJsonExact(v.init);
    } catch (e) {
      throw new UsageError(`--init: not valid JSON (${(e as Error).message}): ${v.init.length > 60 ? `${v.init.slice(0, 60)}…` : v.init}`);
    }
  }
  if (v.format !== undefined) {
    if (!(HISTORY_FORMATS as readonly string[]).includes(v.format)) throw new UsageError(`--format: unknown format ${JSON.stringify(v.format)} (known: ${HISTORY_FORMATS.join(', ')})`);
    options.format = v.format as HistoryFormat;
  }
  if (v.require !== undefined) {
    if (!isRequiredLevel(v.require)) throw new UsageError(`--require: unknown level ${JSON.stringify(v.require)} (known: ${REQUIRABLE_LEVELS.join(', ')})`);
    options.require = v.require;
    if (!['strong', 'linearizable'].includes(v.require) && !v.levels) options.levels = true;
  }
  if (v['time-limit'] !== undefined) {
    const seconds = Number(v['time-limit']);
    if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--time-limit: expected a positive number of seconds, got ${JSON.stringify(v['time-limit'])}`);
    options.timeLimitMs = seconds * 1000;
  }
  if (v.junit !== undefined) options.junit = v.junit;
  if (v.svg !== undefined) options.svg = v.svg;
  if (v['consistency-models'] !== undefined) {
    // `nil` (Elle's :consistency-models nil): judge no model, only --anomalies.
    options.consistencyModels = names(v['consistency-models']).filter((m) => m !== 'nil');
    const unknown = options.consistencyModels.filter((m) => !isTxnModelName(m));
    if (unknown.length > 0) throw new UsageError(`--consistency-models: unknown model ${JSON.stringify(unknown[0])} (known: ${TXN_MODELS.join(', ')})`);
  }
  if (v.anomalies !== undefined) {
    options.anomalies = names(v.anomalies);
    const unknown = options.anomalies.filter((a) => !isAnomalyName(a));
    if (unknown.length > 0) throw new UsageError(`--anomalies: unknown anomaly ${JSON.stringify(unknown[0])} (e.g. G0, G1, G1c, G-single, G2-item, G2, internal, lost-update, cyclic-versions)`);
  }
  return options;
}

/** A comma- or space-separated list, Elle's leading colons allowed (:serializable). */
function names(list: string): string[] {
  return list.split(/[\s,]+/).filter((n) => n.length > 0).map((n) => n.replace(/^:/, ''));
}

/** Bad input outranks a violation, which outranks unknown: a proof of a bug is never hidden. */
function worst(codes: readonly number[]): number {
  for (const code of [EXIT.usage, EXIT.violated, EXIT.unknown]) if (codes.includes(code)) return code;
  return EXIT.ok;
}
