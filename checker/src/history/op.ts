/**
 * The one history format inside Verdict: Jepsen's operation maps.
 * See DESIGN.md, "The history".
 */

export type OpType = 'invoke' | 'ok' | 'fail' | 'info';

/** A process id: Jepsen uses integers for clients and the keyword `nemesis` for the fault injector. */
export type ProcessId = number | string;

/** One event of a history, exactly as recorded. */
export interface Op {
  /** Position in the history, 0-based, dense after parsing. */
  index: number;
  process: ProcessId;
  type: OpType;
  f: string;
  value: unknown;
  /** Wall or virtual time, in nanoseconds as Jepsen records it. */
  time?: number;
  node?: string | number;
  session?: string | number;
  user?: string | number;
  /** `"final"` marks the reads taken after faults healed and writes stopped (eventual check). */
  phase?: string;
  error?: unknown;
  /** 1-based line in the source file, when parsed from text; used in error messages. */
  line?: number;
}

/** The process name Jepsen gives the fault injector; its ops are events, not client operations. */
export const NEMESIS_PROCESS = 'nemesis';

export function isNemesisOp(op: Op): boolean {
  return op.process === NEMESIS_PROCESS;
}

/**
 * An invocation paired with its completion. `status` is the completion's type; an invocation the
 * run ended before completing has status `info`, like a timeout: it may or may not have happened.
 */
export interface Operation {
  /** Dense id, 0..n-1, in invocation order within the history it belongs to. */
  id: number;
  process: ProcessId;
  f: string;
  /** The value at invocation. */
  input: unknown;
  /** The value at completion for `ok` and `fail`; `undefined` for `info` (unknown outcome). */
  output: unknown;
  status: 'ok' | 'fail' | 'info';
  /** History index of the invocation. */
  call: number;
  /** History index of the completion; `Infinity` for `info` (open to the end of the history). */
  ret: number;
  /** History index of the completion op when one exists (also for `info` completions). */
  completionIndex?: number;
  time?: number;
  endTime?: number;
  node?: string | number;
  session?: string | number;
  user?: string | number;
  phase?: string;
  error?: unknown;
}

/** A parsed, validated history: the raw ops and their pairing. */
export interface History {
  ops: Op[];
  operations: Operation[];
  /** Nemesis (fault) events, kept apart for timelines and the eventual check. */
  events: Op[];
  /** The format it was parsed from, when parsed from text. */
  format?: HistoryFormat;
  source?: string;
  /**
   * What the parser had to assume to read the input (for example, pairing ops that name no
   * process in FIFO order). Reports should show these: the verdict rests on them.
   */
  warnings?: string[];
}

/** The paired operations of a history, or the operations themselves. */
export function operationsOf(history: History | readonly Operation[]): readonly Operation[] {
  return Array.isArray(history) ? (history as readonly Operation[]) : (history as History).operations;
}

export type HistoryFormat = 'edn' | 'json' | 'jsonl' | 'porcupine-etcd' | 'porcupine-kv';
