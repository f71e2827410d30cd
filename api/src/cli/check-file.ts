import { writeFile } from 'node:fs/promises';
import {
  checkHistory,
  isVerdictError,
  meetsRequirement,
  readHistoryFile,
  renderText,
  renderTimelineSvg,
  type HistoryFormat,
  type RequiredLevel,
  type Report,
} from '@verdict/checker';
import { EXIT, terminalText, type CliIo } from './command.js';

/** `verdict check`'s options, parsed; plain data, so a worker thread can receive them. */
export interface CheckCommandOptions {
  files: string[];
  model?: string;
  init?: unknown;
  format?: HistoryFormat;
  levels: boolean;
  require?: RequiredLevel;
  timeLimitMs?: number;
  json: boolean;
  junit?: string;
  svg?: string;
  help: boolean;
  consistencyModels?: string[];
  anomalies?: string[];
  linearizableKeys: boolean;
  sequentialKeys: boolean;
}

/** One file's outcome: its exit code, and its report when it could be checked. */
export interface CheckedFile {
  code: number;
  report?: Report;
}

/**
 * Checks one file and prints its report (or why it could not be read) to `io`. `svg`: write the
 * timeline of this file to `options.svg`.
 */
export async function checkFile(file: string, options: CheckCommandOptions, io: CliIo, svg: boolean): Promise<CheckedFile> {
  let report: Report;
  try {
    // The checks and the timeline need the paired operations only: not keeping the raw ops saves
    // their memory. Blocking reads: this thread has nothing else to do meanwhile.
    const history = await readHistoryFile(file, { keepOps: false, blocking: true, ...(options.format !== undefined ? { format: options.format } : {}) });
    report = await checkHistory(history, {
      ...(options.model !== undefined ? { model: options.model } : {}),
      ...(options.init !== undefined ? { init: options.init } : {}),
      ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
      levels: options.levels,
      isolation: {
        ...(options.consistencyModels !== undefined ? { consistencyModels: options.consistencyModels } : {}),
        ...(options.anomalies !== undefined ? { anomalies: options.anomalies } : {}),
        linearizableKeys: options.linearizableKeys,
        sequentialKeys: options.sequentialKeys,
      },
    });
    if (svg && options.svg !== undefined) await writeFile(options.svg, renderTimelineSvg(history, report));
  } catch (e) {
    if (isVerdictError(e) || (e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'EISDIR') {
      const message = (e as Error).message;
      io.err(`verdict check: ${terminalText(message.includes(file) ? message : `${file}: ${message}`)}\n`);
      if (options.json) io.out(`${JSON.stringify({ source: file, error: isVerdictError(e) ? e.toJSON?.() ?? { message } : { message } })}\n`);
      return { code: EXIT.usage };
    }
    throw e;
  }
  io.out(options.json ? `${JSON.stringify(report)}\n` : renderText(report));
  // Without --require the exit code answers the classic question: linearizable? For transactions:
  // do the --consistency-models hold (strict serializable by default), with no --anomalies?
  if (options.require === undefined && report.isolation !== undefined) {
    const valid = report.isolation.valid;
    return { code: valid === true ? EXIT.ok : valid === false ? EXIT.violated : EXIT.unknown, report };
  }
  const required = options.require ?? defaultRequirement(report);
  const met = meetsRequirement(report, required);
  if (!options.json && options.require !== undefined) io.out(`require ${required}: ${met.result === 'yes' ? 'met' : met.result === 'no' ? 'NOT met' : 'unknown'} — ${met.reason}\n`);
  return { code: met.result === 'yes' ? EXIT.ok : met.result === 'no' ? EXIT.violated : EXIT.unknown, report };
}

function defaultRequirement(report: Report): RequiredLevel {
  return report.kind === 'transactional' ? 'strict-serializable' : 'strong';
}
