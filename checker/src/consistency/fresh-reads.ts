import type { History, Operation } from '../history/op.js';
import type { Model } from '../models/model.js';
import { showValue } from '../models/values.js';
import { readHistory, type SessionCheckOptions } from './checks.js';
import { plural, valueAt, VIOLATIONS_MAX_DEFAULT, views } from './describe.js';
import { isFinalRead, type FinalReadsOptions } from './final-reads.js';
import type { LevelStatus, Violation } from './types.js';
import type { VersionTable } from './version-table.js';

export interface FreshReadsOptions extends SessionCheckOptions {
  /** Which reads are final (left out: they read one replica each, after the run). Default phase "final". */
  final?: FinalReadsOptions;
}

/** Whether every read saw the last write acknowledged before it began. */
export interface FreshReadsResult {
  status: LevelStatus;
  /** Reads judged (ok reads naming a written or initial version, final reads left out). */
  reads: number;
  /** Stale reads among them, all of them (only a few are shown). */
  stale: number;
  violations: Violation[];
  cause?: string;
}

/**
 * Does every read see the last acknowledged write — the property a quorum system with R + W > N
 * promises? A read is stale when the version it returned had been overwritten, before the read
 * began, by an acknowledged write: that write was invoked after the version's own write completed,
 * and completed before the read was invoked. (The initial value is stale once any write completed
 * before the read.) A read of siblings is fresh when one of them is. Writes still in flight when
 * the read began may go either way: this is Lamport's regular register for many writers, weaker
 * than linearizability — two reads may still see two overlapping writes in opposite orders, or a
 * read see a write that a later read no longer sees. Linearizability implies it. Values written
 * twice to a key make it `unknown` (a read of one cannot name its write).
 */
export function checkFreshReads(history: History | readonly Operation[], model: Model<any>, options: FreshReadsOptions = {}): FreshReadsResult {
  const read = readHistory(history, model, options);
  if (typeof read === 'string') return { status: 'unknown', reads: 0, stale: 0, violations: [], cause: read };
  return freshReads(read.table, options);
}

function freshReads(table: VersionTable, options: FreshReadsOptions): FreshReadsResult {
  const { ops, readOf, writeOf, keyOfOp, calls, rets, status, versionWriter } = table;
  const max = options.violationsMax ?? VIOLATIONS_MAX_DEFAULT;
  if (table.duplicates > 0) return { status: 'unknown', reads: 0, stale: 0, violations: [], cause: `${plural(table.duplicates, 'value')} written more than once to a key: a read of one cannot name its write` };
  // Per key: acknowledged writes by completion, and the one invoked last among the first j of them.
  const writes: number[][] = table.keys.map(() => []);
  for (let i = 0; i < ops.length; i++) if (writeOf[i]! >= 0 && status[i] === 0) writes[keyOfOp[i]!]!.push(i);
  const latest = writes.map((list) => {
    list.sort((a, b) => rets[a]! - rets[b]!);
    const out = new Int32Array(list.length);
    let best = -1;
    list.forEach((w, j) => { if (best < 0 || calls[w]! > calls[best]!) best = w; out[j] = best; });
    return out;
  });
  /** The acknowledged write invoked last among those that completed before `at` (-1: none). */
  const overwriter = (key: number, at: number): number => {
    const list = writes[key]!;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rets[list[mid]!]! < at) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? -1 : latest[key]![lo - 1]!;
  };
  const label = (v: number): string => valueAt(table.keys[table.versionKey[v]!], table.versionValue[v], table.kind);
  const violations: Violation[] = [];
  let reads = 0;
  let stale = 0;
  for (let i = 0; i < ops.length; i++) {
    const v = readOf[i]!;
    const op = ops[i]!;
    if (v < 0 || writeOf[i]! >= 0 || status[i] !== 0 || isFinalRead(op, options.final ?? {})) continue;
    reads++;
    const key = keyOfOp[i]!;
    const b = overwriter(key, calls[i]!);
    if (b < 0) continue;
    const members = table.members[v] ?? [v];
    // Overwritten: written (completed) before b was invoked; the initial value is older than any write.
    const old = members.every((m) => {
      const a = versionWriter[m]!;
      return a === -1 || (status[a] === 0 && rets[a]! < calls[b]!);
    });
    if (!old) continue;
    stale++;
    if (violations.length >= max) continue;
    const writers = members.map((m) => versionWriter[m]!).filter((a) => a >= 0).map((a) => ops[a]);
    const what = members.length > 1 ? `the siblings ${label(v)}, each` : versionWriter[v] === -1 ? `the initial value ${label(v)},` : `${label(v)},`;
    violations.push({
      kind: 'stale-read',
      scope: `process ${String(op.process)}`,
      sentence: `process ${String(op.process)} read ${what} overwritten before the read began: process ${String(ops[b]!.process)}'s write of ${showValue(table.versionValue[writeOf[b]!])} was acknowledged before it, and invoked after that value's write completed (stale read)`,
      operations: views([...writers, ops[b], op], table.model),
    });
  }
  if (stale > 0) return { status: 'violated', reads, stale, violations };
  return { status: 'holds', reads, stale: 0, violations };
}
