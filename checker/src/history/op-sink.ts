import { VerdictError } from '../errors.js';
import { HistoryBuilder, type HistoryBuilderOptions } from './history-builder.js';
import type { History, Op } from './op.js';
import { fieldError } from './op-record.js';

export const FIFO_PAIRING_WARNING =
  'no operation names a process: each completion was paired with the oldest open invocation (FIFO), and each pair given its own process id';

/**
 * Where parsers put their ops: a `HistoryBuilder` plus the one rule that needs the whole input.
 *
 * Ops without a process are held until the input says whether any op has one. If none does
 * (Elle's paper example), pairing by process is impossible, so each completion is paired with
 * the oldest open invocation and each pair gets its own synthetic process id (0, 1, 2...); the
 * history records a warning saying so. If some ops have a process and others not, the first op
 * without one is an error.
 */
export class OpSink {
  private readonly builder: HistoryBuilder;
  private readonly unnamed: Op[] = [];
  private named = false;

  constructor(private readonly options: HistoryBuilderOptions = {}) {
    // Parsed values belong to the history: a completion may share its invocation's equal parts.
    this.builder = new HistoryBuilder({ ...options, shareValues: true });
  }

  add(op: Op): void {
    if (op.process === undefined) {
      if (this.named) throw this.missingProcess(op);
      this.unnamed.push(op);
      return;
    }
    if (!this.named) {
      if (this.unnamed.length > 0) throw this.missingProcess(this.unnamed[0]!);
      this.named = true;
    }
    this.builder.add(op);
  }

  /** The validated history; throws `VRD_ERR_HISTORY_EMPTY` when the input held no op. */
  finish(): History {
    const warnings: string[] = [];
    if (this.unnamed.length > 0) {
      this.pairInOrder();
      warnings.push(FIFO_PAIRING_WARNING);
    }
    if (this.builder.size === 0) {
      throw new VerdictError('VRD_ERR_HISTORY_EMPTY', 'the input holds no op', { file: this.options.source });
    }
    const history = this.builder.finish();
    if (warnings.length > 0) history.warnings = warnings;
    return history;
  }

  private pairInOrder(): void {
    const open: number[] = [];
    let nextProcess = 0;
    for (const op of this.unnamed) {
      if (op.type === 'invoke') {
        op.process = nextProcess;
        open.push(nextProcess++);
      } else if (op.type === 'ok' || op.type === 'fail' || op.type === 'info') {
        const process = open.shift();
        if (process === undefined) {
          throw new VerdictError('VRD_ERR_HISTORY_PAIRING', `${op.type} ${String(op.f)} has no open invocation to pair with (ops name no process, so completions pair in FIFO order)`,
            { file: this.options.source, line: op.line, opIndex: this.builder.size });
        }
        op.process = process;
      }
      // Anything else keeps no process; the builder rejects it by its type.
      this.builder.add(op);
    }
  }

  private missingProcess(op: Op): VerdictError {
    return fieldError('process', 'missing process (other ops in this history name theirs)', { source: this.options.source, line: op.line });
  }
}
