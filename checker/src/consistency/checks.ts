import { operationsOf, type History, type Op, type Operation } from '../history/op.js';
import type { Model } from '../models/model.js';
import { eventualLevel } from './eventual-check.js';
import type { FinalReadsOptions } from './final-reads.js';
import { sessionLevel } from './session-check.js';
import type { LevelResult } from './types.js';
import { buildVersionTable, dataModelOf, type DataModelKind, type VersionTable } from './version-table.js';

export interface SessionCheckOptions {
  /** How to read values: register or kv. Default from the model's name. */
  dataModel?: DataModelKind;
  /** Initial value of every key, or per key (an object). Default from the model. */
  initialValue?: unknown;
  /** Witnesses kept per guarantee or kind of violation. Default 5. */
  violationsMax?: number;
}

export interface EventualCheckOptions extends SessionCheckOptions {
  final?: FinalReadsOptions;
}

/** The session guarantees per session and per user, in time linear in the history. */
export function checkSessionGuarantees(history: History | readonly Operation[], model: Model<any>, options: SessionCheckOptions = {}): { session: LevelResult; user: LevelResult } {
  const read = readHistory(history, model, options);
  if (typeof read === 'string') return { session: { level: 'session', status: 'not-applicable', cause: read }, user: { level: 'user', status: 'not-applicable', cause: read } };
  const scratch = {};
  return { session: sessionLevel(read.table, 'session', options.violationsMax, scratch), user: sessionLevel(read.table, 'user', options.violationsMax, scratch) };
}

/** Convergence, lost and invented values from the final reads, in time linear in the history. */
export function checkEventual(history: History | readonly Operation[], model: Model<any>, options: EventualCheckOptions = {}): LevelResult {
  const read = readHistory(history, model, options);
  if (typeof read === 'string') return { level: 'eventual', status: 'not-applicable', cause: read };
  return eventualLevel(read.table, read.events, options);
}

/** The version table of a register or kv history, or why the checks cannot read it. */
export function readHistory(history: History | readonly Operation[], model: Model<any>, options: SessionCheckOptions): { table: VersionTable; events: readonly Op[] } | string {
  const operations = operationsOf(history);
  const events = Array.isArray(history) ? [] : (history as History).events;
  const kind = dataModelOf(model, options.dataModel);
  if (kind === undefined) return `these checks read register and kv histories; model ${model.name} is neither (name one with the dataModel option)`;
  const table = buildVersionTable(model, operations, kind, options.initialValue !== undefined ? { initialValue: options.initialValue } : {});
  if (table.unsupported !== undefined) return `these checks cannot follow ${table.unsupported.f} operations: a read must name the one write it saw`;
  return { table, events };
}
