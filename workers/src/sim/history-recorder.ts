import type { Op, OpType, ProcessId } from '@verdict/checker';
import type { Scheduler } from './scheduler.js';

/** The fields a recorder is given; `index` and `time` are its own. */
export interface RecordFields {
  process: ProcessId;
  type: OpType;
  f: string;
  value: unknown;
  node?: string;
  session?: string;
  user?: string;
  phase?: string;
  error?: unknown;
}

/**
 * Records the history as the run makes it: Jepsen ops, time in nanoseconds of virtual time.
 * Fields are always written in the same order, so the same run serialises to the same bytes.
 */
export class HistoryRecorder {
  readonly ops: Op[] = [];

  constructor(private readonly scheduler: Scheduler) {}

  record(fields: RecordFields): Op {
    // A client operation's usual fields in one literal (same keys, same order as below): adding
    // them one by one gives every op a second allocation for the properties past the literal's.
    if (fields.node !== undefined && fields.session !== undefined && fields.user !== undefined && fields.phase === undefined && fields.error === undefined) {
      const op: Op = {
        index: this.ops.length,
        process: fields.process,
        type: fields.type,
        f: fields.f,
        value: fields.value,
        time: Math.round(this.scheduler.nowMs * 1e6),
        node: fields.node,
        session: fields.session,
        user: fields.user,
      };
      this.ops.push(op);
      return op;
    }
    const op: Op = {
      index: this.ops.length,
      process: fields.process,
      type: fields.type,
      f: fields.f,
      value: fields.value,
      time: Math.round(this.scheduler.nowMs * 1e6),
    };
    if (fields.node !== undefined) op.node = fields.node;
    if (fields.session !== undefined) op.session = fields.session;
    if (fields.user !== undefined) op.user = fields.user;
    if (fields.phase !== undefined) op.phase = fields.phase;
    if (fields.error !== undefined) op.error = fields.error;
    this.ops.push(op);
    return op;
  }

  /** A fault event: process `nemesis`, type `info` (drawn on timelines, never checked). */
  nemesis(f: string, value: unknown): Op {
    return this.record({ process: 'nemesis', type: 'info', f, value });
  }
}
