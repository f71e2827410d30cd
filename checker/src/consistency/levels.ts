import { VerdictError } from '../errors.js';
import type { History, Operation } from '../history/op.js';
import { check, checkSync, type CheckOptions } from '../linearizability/check.js';
import type { LinearizabilityResult } from '../linearizability/result.js';
import type { Model } from '../models/model.js';
import { eventualLevel } from './eventual-check.js';
import type { FinalReadsOptions } from './final-reads.js';
import { applyImplication, strongestLevel } from './lattice.js';
import { sequentialLevel, strongLevel } from './level-results.js';
import { checkSequential, checkSequentialSync, type SequentialOptions, type SequentialResult } from './sequential.js';
import { sessionLevel } from './session-check.js';
import { CONSISTENCY_LEVELS, type ConsistencyLevel, type LevelResult, type LevelsResult } from './types.js';
import type { DataModelKind } from './version-table.js';
import { readHistory } from './checks.js';

export interface LevelsOptions extends CheckOptions {
  /** Levels to check; the others are reported `unknown` ("not checked"). Default: all. */
  levels?: readonly ConsistencyLevel[];
  /** Program order for sequential consistency: per session (default) or per process. */
  order?: SequentialOptions['order'];
  /** Which reads are final, and which nemesis events heal (the eventual check). */
  final?: FinalReadsOptions;
  /** How to read values for the session and eventual checks; default from the model's name. */
  dataModel?: DataModelKind;
  /** Initial value of every key (or per key) for the session and eventual checks; default from the model. */
  initialValue?: unknown;
  /** Witnesses kept per guarantee or kind of violation. Default 5. */
  violationsMax?: number;
}

/**
 * Every consistency level of a history, and the strongest that holds. `strong` is the
 * linearizability check (its full result is in `linearizability`); when it holds, sequential
 * consistency is implied and not searched again, but the session, user and eventual checks still
 * run (they are linear). Time and memory limits apply to each search on its own; a limit gives
 * `unknown` with its cause, never a pass.
 */
export async function checkLevels(history: History | readonly Operation[], model: Model<any>, options: LevelsOptions = {}): Promise<LevelsResult> {
  const wanted = wantedLevels(options);
  const lin = wanted.has('strong') ? await check(model, history, options) : undefined;
  const seq = wanted.has('sequential') && lin?.outcome !== 'ok' ? await checkSequential(model, history, sequentialOptions(options)) : undefined;
  return assemble(history, model, options, wanted, lin, seq);
}

/** `checkLevels` on the calling thread, without yielding. */
export function checkLevelsSync(history: History | readonly Operation[], model: Model<any>, options: Omit<LevelsOptions, 'threads' | 'parallelThresholdOps'> = {}): LevelsResult {
  const wanted = wantedLevels(options);
  const lin = wanted.has('strong') ? checkSync(model, history, options) : undefined;
  const seq = wanted.has('sequential') && lin?.outcome !== 'ok' ? checkSequentialSync(model, history, sequentialOptions(options)) : undefined;
  return assemble(history, model, options, wanted, lin, seq);
}

function wantedLevels(options: LevelsOptions): Set<ConsistencyLevel> {
  const wanted = new Set(options.levels ?? CONSISTENCY_LEVELS);
  for (const l of wanted) {
    if (!CONSISTENCY_LEVELS.includes(l)) throw new VerdictError('VRD_ERR_CONSISTENCY_OPTIONS', `unknown level ${JSON.stringify(l)} (known: ${CONSISTENCY_LEVELS.join(', ')})`);
  }
  return wanted;
}

function sequentialOptions(options: LevelsOptions): SequentialOptions {
  const out: SequentialOptions = {};
  if (options.timeLimitMs !== undefined) out.timeLimitMs = options.timeLimitMs;
  if (options.memoryLimitBytes !== undefined) out.memoryLimitBytes = options.memoryLimitBytes;
  if (options.order !== undefined) out.order = options.order;
  if (options.counterexample !== undefined) out.counterexample = options.counterexample;
  if (options.shrinkTimeMs !== undefined) out.shrinkTimeMs = Math.min(options.shrinkTimeMs, 1_000);
  if (options.signal !== undefined) out.signal = options.signal;
  return out;
}

function assemble(
  history: History | readonly Operation[],
  model: Model<any>,
  options: LevelsOptions,
  wanted: ReadonlySet<ConsistencyLevel>,
  lin: LinearizabilityResult | undefined,
  seq: SequentialResult | undefined,
): LevelsResult {
  const notChecked = (level: ConsistencyLevel): LevelResult => ({ level, status: 'unknown', cause: 'not checked (left out by the `levels` option)' });
  const byLevel = new Map<ConsistencyLevel, LevelResult>();
  byLevel.set('strong', lin !== undefined ? strongLevel(lin) : notChecked('strong'));
  if (!wanted.has('sequential')) byLevel.set('sequential', notChecked('sequential'));
  else if (lin?.outcome === 'ok') byLevel.set('sequential', { level: 'sequential', status: 'holds', details: { impliedBy: 'strong', note: 'linearizable histories are sequentially consistent: not searched again' } });
  else byLevel.set('sequential', sequentialLevel(seq!));

  const linear = (['session', 'user', 'eventual'] as const).filter((l) => wanted.has(l));
  if (linear.length > 0) {
    const read = readHistory(history, model, options);
    const scratch = {};
    for (const l of linear) {
      if (typeof read === 'string') byLevel.set(l, { level: l, status: 'not-applicable', cause: read });
      else if (l === 'eventual') byLevel.set(l, eventualLevel(read.table, read.events, options));
      else byLevel.set(l, sessionLevel(read.table, l, options.violationsMax, scratch));
    }
  }
  for (const l of CONSISTENCY_LEVELS) if (!byLevel.has(l)) byLevel.set(l, notChecked(l));
  const levels = CONSISTENCY_LEVELS.map((l) => byLevel.get(l)!);
  const notes: string[] = [];
  applyImplication(levels, notes);
  const chosen = strongestLevel(levels);
  notes.push(...chosen.notes);
  const result: LevelsResult = { levels, strongest: chosen.strongest };
  if (notes.length > 0) result.notes = notes;
  if (lin !== undefined) result.linearizability = lin;
  return result;
}
