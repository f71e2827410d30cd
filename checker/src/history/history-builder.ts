import { VerdictError, type ErrorLocation } from '../errors.js';
import { describe } from './op-record.js';
import { NEMESIS_PROCESS, type History, type HistoryFormat, type Op, type Operation, type ProcessId } from './op.js';

export interface HistoryBuilderOptions {
  /** Name of the source (a file path), used in error messages. */
  source?: string;
  format?: HistoryFormat;
  /** Keep the raw ops (default true). Huge streamed histories can drop them to save memory. */
  keepOps?: boolean;
  /**
   * The ops' values belong to the builder (parsed from text): a completion's value may share the
   * parts equal to its invocation's (a transaction's appends), which saves memory on large
   * histories. Off for ops a caller hands in, whose values must stay as given.
   */
  shareValues?: boolean;
}

const OP_TYPES = new Set(['invoke', 'ok', 'fail', 'info']);

/**
 * Pairs invocations with completions as ops arrive, validating Jepsen's rules:
 * every completion follows an open invocation by the same process, a process has at most one
 * open invocation, and a process that got `info` issues nothing more.
 * Add ops in history order, then call `finish()`; invocations still open become `info`.
 */
export class HistoryBuilder {
  private readonly ops: Op[] = [];
  private readonly operations: Operation[] = [];
  private readonly events: Op[] = [];
  private readonly open = new ByProcess<Operation>();
  /** Processes that completed with `info`, with the line of that completion (null when not known). */
  private readonly crashed = new ByProcess<number | null>();
  private count = 0;
  private finished = false;

  constructor(private readonly options: HistoryBuilderOptions = {}) {}

  /** Number of ops added so far. */
  get size(): number {
    return this.count;
  }

  add(op: Op): void {
    if (this.finished) throw new Error('HistoryBuilder.add after finish');
    const opIndex = this.count;
    if (!OP_TYPES.has(op.type)) {
      throw new VerdictError('VRD_ERR_HISTORY_FIELD', `unknown type ${describe(op.type)} (expected invoke, ok, fail or info)`, { ...this.place(op, opIndex), field: 'type' });
    }
    if (typeof op.f !== 'string' || op.f.length === 0) {
      throw new VerdictError('VRD_ERR_HISTORY_FIELD', 'missing or empty f', { ...this.place(op, opIndex), field: 'f' });
    }
    if (typeof op.process !== 'number' && typeof op.process !== 'string') {
      throw new VerdictError('VRD_ERR_HISTORY_FIELD', `process must be an integer or a name, got ${describe(op.process)}`, { ...this.place(op, opIndex), field: 'process' });
    }
    op.index = this.count++;
    if (this.options.keepOps !== false) this.ops.push(op);

    if (op.process === NEMESIS_PROCESS) {
      this.events.push(op);
      return;
    }
    if (op.type === 'invoke') {
      const line = this.crashed.get(op.process);
      if (line !== undefined) {
        throw new VerdictError('VRD_ERR_HISTORY_PAIRING',
          `process ${String(op.process)} invokes again after an info completion${line !== null ? ` (line ${line})` : ''}; a crashed process must continue under a fresh process id`, this.place(op, opIndex));
      }
      const pending = this.open.get(op.process);
      if (pending !== undefined) {
        throw new VerdictError('VRD_ERR_HISTORY_PAIRING',
          `process ${String(op.process)} invokes ${op.f} while its ${pending.f} invoked at operation ${pending.call} is still open`, this.place(op, opIndex));
      }
      const operation: Operation = {
        id: this.operations.length,
        process: op.process,
        f: op.f,
        input: op.value,
        output: undefined,
        status: 'info',
        call: op.index,
        ret: Infinity,
      };
      copyMeta(op, operation);
      if (op.time !== undefined) operation.time = op.time;
      this.operations.push(operation);
      this.open.set(op.process, operation);
      return;
    }
    const operation = this.open.get(op.process);
    if (operation === undefined) {
      throw new VerdictError('VRD_ERR_HISTORY_PAIRING',
        `${op.type} ${op.f} by process ${String(op.process)} has no open invocation`, this.place(op, opIndex));
    }
    if (operation.f !== op.f) {
      throw new VerdictError('VRD_ERR_HISTORY_PAIRING',
        `completion f ${JSON.stringify(op.f)} does not match the invocation's ${JSON.stringify(operation.f)} (operation ${operation.call})`, { ...this.place(op, opIndex), field: 'f' });
    }
    this.open.delete(op.process);
    operation.status = op.type as Operation['status'];
    operation.completionIndex = op.index;
    if (op.time !== undefined) operation.endTime = op.time;
    if (op.error !== undefined) operation.error = op.error;
    if (op.phase !== undefined && operation.phase === undefined) operation.phase = op.phase;
    if (op.type === 'info') {
      this.crashed.set(op.process, op.line ?? null);
    } else {
      operation.ret = op.index;
      operation.output = this.options.shareValues === true ? (op.value = shareEqualParts(operation.input, op.value)) : op.value;
    }
  }

  /** Where an op being added is, for an error (built only then: not for every op). */
  private place(op: Op, opIndex: number): ErrorLocation {
    return { file: this.options.source, line: op.line, opIndex };
  }

  finish(): History {
    this.finished = true;
    // Invocations the run ended before completing stay `info`: open to the end.
    this.open.clear();
    const history: History = { ops: this.ops, operations: this.operations, events: this.events };
    if (this.options.format !== undefined) history.format = this.options.format;
    if (this.options.source !== undefined) history.source = this.options.source;
    return history;
  }
}

/**
 * A map from process ids to values: an array for small non-negative integer ids (clients, nearly
 * always), a Map for the others. Pairing looks a process up for every op, and a Map's hashing
 * cost a few per cent of reading a history.
 */
class ByProcess<V> {
  private readonly small: (V | undefined)[] = [];
  private readonly other = new Map<ProcessId, V>();

  get(p: ProcessId): V | undefined {
    return isSmall(p) ? this.small[p as number] : this.other.get(p);
  }

  set(p: ProcessId, v: V): void {
    if (!isSmall(p)) {
      this.other.set(p, v);
      return;
    }
    // Filled up to the index, so the array stays a dense one.
    while (this.small.length < (p as number)) this.small.push(undefined);
    this.small[p as number] = v;
  }

  delete(p: ProcessId): void {
    if (isSmall(p)) this.small[p as number] = undefined;
    else this.other.delete(p);
  }

  clear(): void {
    this.small.length = 0;
    this.other.clear();
  }
}

/** Ids kept in ByProcess's array: integers from 0 below 2^16. -0 is 0, as for a Map. */
function isSmall(p: ProcessId): boolean {
  return typeof p === 'number' && p >= 0 && p < 65536 && (p | 0) === p;
}

function copyMeta(from: Op, to: Operation): void {
  if (from.node !== undefined) to.node = from.node;
  if (from.session !== undefined) to.session = from.session;
  if (from.user !== undefined) to.user = from.user;
  if (from.phase !== undefined) to.phase = from.phase;
}

/**
 * A completion's value with the parts equal to the invocation's replaced by the invocation's own:
 * `[[:append 9 1] [:r 8 [1 2]]]` after `[[:append 9 1] [:r 8 nil]]` keeps one `[:append 9 1]`;
 * a value equal throughout is the invocation's value. Only flat parts (arrays of scalars) are
 * compared, so the cost stays a few comparisons per micro-op.
 */
function shareEqualParts(input: unknown, output: unknown): unknown {
  if (!Array.isArray(input) || !Array.isArray(output) || input.length !== output.length) return output;
  let all = true;
  for (let i = 0; i < output.length; i++) {
    const a: unknown = input[i];
    const b: unknown = output[i];
    if (a === b) continue;
    if (Array.isArray(a) && Array.isArray(b) && flatEqual(a, b)) output[i] = a;
    else all = false;
  }
  return all ? input : output;
}

function flatEqual(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (x !== b[i] || (x !== null && typeof x === 'object')) return false;
  }
  return true;
}

/** Builds a validated history from ops already in memory (tests, generators, the simulator). */
export function historyFromOps(ops: readonly Omit<Op, 'index'>[] | readonly Op[], options: HistoryBuilderOptions = {}): History {
  const builder = new HistoryBuilder(options);
  for (const op of ops) builder.add({ ...(op as Op) });
  return builder.finish();
}
