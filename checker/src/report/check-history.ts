import { VerdictError } from '../errors.js';
import { isNemesisOp, type History } from '../history/op.js';
import { jsonSafe } from '../history/value-json.js';
import { checkLevels } from '../consistency/levels.js';
import { checkInvariants } from '../invariants/registry.js';
import { checkIsolation } from '../isolation/check-isolation.js';
import { isTransactionalHistory } from '../isolation/micro-ops.js';
import type { IsolationOptions } from '../isolation/types.js';
import { check, type CheckOptions, type CheckProgress } from '../linearizability/check.js';
import type { Model } from '../models/model.js';
import { createModel } from '../models/registry.js';
import type { Report } from './report.js';
import { summarize } from './summary.js';

export interface CheckHistoryOptions {
  /** The model for single-object histories: a registry name or a model. Inferred for Porcupine logs. */
  model?: string | Model<any>;
  /** The model's initial state (already parsed JSON). */
  init?: unknown;
  /** Check every consistency level, not only linearizability. */
  levels?: boolean;
  timeLimitMs?: number;
  memoryLimitBytes?: number;
  threads?: CheckOptions['threads'];
  signal?: AbortSignal;
  onProgress?: (progress: CheckProgress) => void;
  /** For transactional histories: the models and anomalies judged, and version-order assumptions. */
  isolation?: Pick<IsolationOptions, 'consistencyModels' | 'anomalies' | 'linearizableKeys' | 'sequentialKeys'>;
}

/**
 * The one entry point the CLI and the service use: checks a parsed history with everything that
 * applies to it and returns the report. The report is JSON-safe: a value beyond 2^53 in it (an
 * operation's input or output) is the string of its digits, and its descriptions print it exactly.
 */
export async function checkHistory(history: History, options: CheckHistoryOptions = {}): Promise<Report> {
  const started = performance.now();
  const limits: CheckOptions = {
    ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
    ...(options.memoryLimitBytes !== undefined ? { memoryLimitBytes: options.memoryLimitBytes } : {}),
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
  };
  const report: Report = {
    version: 1,
    kind: 'single-object',
    history: historyFacts(history),
    verdict: { outcome: 'unknown', summary: '' },
    elapsedMs: 0,
  };
  if (options.model === undefined && isTransactionalHistory(history)) {
    report.kind = 'transactional';
    report.isolation = checkIsolation(history, { ...options.isolation, ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}) });
  } else {
    const model = resolveModel(history, options);
    report.model = model.name;
    const judged = judgedPart(history, model);
    if (options.levels === true) {
      const { linearizability, ...levels } = await checkLevels(judged, model, limits);
      report.consistency = levels;
      if (linearizability !== undefined) report.linearizability = linearizability;
    } else {
      report.linearizability = await check(model, judged, limits);
    }
    const invariants = model.spec !== undefined ? checkInvariants(model.spec.name, history, model.spec.init) : [];
    if (invariants.length > 0) report.invariants = invariants;
  }
  report.verdict = summarize(report);
  report.elapsedMs = Math.round((performance.now() - started) * 10) / 10;
  // Reports are JSON for every reader: integers beyond 2^53 in the witnesses become their digits.
  return jsonSafe(report);
}

/**
 * The part of a history the model reads (see Model.judges): the same operations, ids and indices,
 * without those only the invariants judge.
 */
function judgedPart(history: History, model: Model<any>): History {
  const judges = model.judges;
  if (judges === undefined || history.operations.every((o) => judges(o.f))) return history;
  return { ...history, ops: history.ops.filter((o) => isNemesisOp(o) || judges(o.f)), operations: history.operations.filter((o) => judges(o.f)) };
}

/** The model a history is checked against: named, or implied by its format. */
export function resolveModel(history: History, options: Pick<CheckHistoryOptions, 'model' | 'init'>): Model<any> {
  if (options.model !== undefined && typeof options.model !== 'string') return options.model;
  if (typeof options.model === 'string') return createModel(options.model, options.init);
  if (history.format === 'porcupine-etcd') return createModel('etcd-register', options.init ?? null);
  if (history.format === 'porcupine-kv') return createModel('kv', options.init ?? '');
  const txn = history.operations.length > 0 && history.operations.every((o) => o.f === 'txn');
  const example = txn ? '--model multi-register, for Knossos\'s [read|write key value] transactions' : '--model cas-register --init 0';
  throw new VerdictError('VRD_ERR_CHECK_OPTIONS', `${history.source ?? 'this history'} needs a model: name one with --model (e.g. ${example})`);
}

function historyFacts(history: History): Report['history'] {
  // One indexed pass for both counts: it runs once a check, mostly before the JIT has optimised
  // anything, where an array map, a Set built from it and a for-of each cost a pass of their own.
  const { operations } = history;
  const processes = new Set<unknown>();
  let completed = 0;
  for (let i = 0; i < operations.length; i++) {
    const o = operations[i]!;
    processes.add(o.process);
    if (o.completionIndex !== undefined) completed++;
  }
  const facts: Report['history'] = {
    // Read without its ops: an invocation, its completion if any, the faults.
    events: history.ops.length > 0 ? history.ops.length : history.events.length + operations.length + completed,
    operations: operations.length,
    processes: processes.size,
    faults: history.events.length,
  };
  if (history.source !== undefined) facts.source = history.source;
  if (history.format !== undefined) facts.format = history.format;
  if (history.warnings !== undefined && history.warnings.length > 0) facts.warnings = [...history.warnings];
  return facts;
}
