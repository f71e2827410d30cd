import type { Op, Operation } from '../history/op.js';
import { showValue } from '../models/values.js';
import { keyName, plural, valueAt, VIOLATIONS_MAX_DEFAULT, views } from './describe.js';
import { isFinalRead, lastHealTime, showDurationNs, type FinalReadsOptions } from './final-reads.js';
import type { LevelResult, Violation } from './types.js';
import type { VersionTable } from './version-table.js';

export interface EventualOptions {
  final?: FinalReadsOptions;
  /** Witnesses kept per kind of violation. Default 5. */
  violationsMax?: number;
}

/**
 * Eventual consistency (the seed's 最终一致性; BASE), judged from the final reads:
 * - convergence: on each key, the last final read of every replica (`node`, else the process)
 *   returns the same value; earlier final reads may still be stale (a poll that catches up);
 * - no lost write: every acknowledged write is the converged value, or was overwritten by a later
 *   one. "Later" is real time: a converged value written by an op that completed before the
 *   acknowledged write was invoked (or the initial value) cannot have overwritten it. Where reads
 *   return siblings, a write among the converged siblings is not lost, and one missing from them
 *   is lost when every converged sibling was written before it began;
 * - no invented value: no read, final or not, returned a value nobody wrote (or only a failed
 *   write tried to write).
 * Convergence time runs from the later of the last heal and the last write to the completion of
 * the first final read after which every final read of the key agrees (an upper bound).
 * With no final reads the level is `unknown`, never `holds`; so is a history with written keys no
 * final read covers.
 */
export function eventualLevel(table: VersionTable, events: readonly Op[], options: EventualOptions = {}): LevelResult {
  const finalOpts = options.final ?? {};
  const max = options.violationsMax ?? VIOLATIONS_MAX_DEFAULT;
  const { ops, readOf, writeOf, keyOfOp, versionValue, versionWriter, versionDup, calls, rets, status } = table;
  const label = (key: number, value: unknown): string => valueAt(table.keys[key], value, table.kind);
  const scope = (op: Operation): string => `process ${String(op.process)}`;
  const violations: Violation[] = [];
  const counts = { invented: 0, divergent: 0, lost: 0 };

  for (const r of table.unnamedReads) {
    counts.invented++;
    if (counts.invented > max) continue;
    const op = ops[r.op]!;
    const what = r.failedWrite ? 'which only a failed write tried to write' : 'a value nobody wrote';
    violations.push({ kind: 'invented-value', scope: scope(op), sentence: `${scope(op)} read ${label(keyOfOp[r.op]!, r.value)}, ${what} (invented value)`, operations: views([op], table.model) });
  }

  // Final reads: the last one per replica and key.
  const finals: number[] = [];
  for (let i = 0; i < ops.length; i++) if (readOf[i]! >= 0 && isFinalRead(ops[i]!, finalOpts)) finals.push(i);
  const keys = table.keys.length;
  const lastByReplica = new Map<string, number>();
  for (const i of finals) {
    const op = ops[i]!;
    const id = `${keyOfOp[i]}\u0000${String(op.node ?? `process ${String(op.process)}`)}`;
    const prev = lastByReplica.get(id);
    if (prev === undefined || rets[prev]! < op.ret) lastByReplica.set(id, i);
  }
  const converged = new Int32Array(keys).fill(-1);
  const replicasOf: number[][] = Array.from({ length: keys }, () => []);
  for (const i of lastByReplica.values()) replicasOf[keyOfOp[i]!]!.push(i);
  for (let k = 0; k < keys; k++) {
    const last = replicasOf[k]!;
    if (last.length === 0) continue;
    const values = new Set(last.map((i) => readOf[i]!));
    if (values.size === 1) {
      converged[k] = readOf[last[0]!]!;
      continue;
    }
    counts.divergent++;
    if (counts.divergent > max) continue;
    last.sort((a, b) => rets[a]! - rets[b]!);
    const seen = last.slice(0, 4).map((i) => `${replicaName(ops[i]!)} read ${showValue(versionValue[readOf[i]!])}`).join(', ');
    violations.push({
      kind: 'convergence',
      sentence: `replicas disagree on ${table.kind === 'kv' ? keyName(table.keys[k]) : 'the register'} after the final phase: ${seen}${last.length > 4 ? ', ...' : ''} (convergence)`,
      operations: views(last.map((i) => ops[i]), table.model),
    });
  }

  // Lost writes: per key, the latest acknowledged write the converged value cannot have overwritten.
  // Only writes that completed before the key's final phase began: writes had to have stopped.
  const finalFrom = new Array<number>(keys).fill(Infinity);
  for (const i of finals) finalFrom[keyOfOp[i]!] = Math.min(finalFrom[keyOfOp[i]!]!, calls[i]!);
  const lostAt = new Int32Array(keys).fill(-1);
  let ambiguousKeys = 0;
  const ambiguous = new Uint8Array(keys);
  for (let i = 0; i < ops.length; i++) {
    const w = writeOf[i]!;
    if (w < 0 || status[i] !== 0) continue;
    const k = keyOfOp[i]!;
    const c = converged[k]!;
    if (c < 0 || c === w || rets[i]! > finalFrom[k]!) continue;
    const set = table.members[c];
    if (set !== undefined && set.includes(w)) continue;
    if (versionDup[w] === 1 || (set ?? [c]).some((m) => versionDup[m] === 1)) {
      if (ambiguous[k] === 0) ambiguousKeys++;
      ambiguous[k] = 1;
      continue;
    }
    const older = (set ?? [c]).every((m) => {
      const writer = versionWriter[m]!;
      return writer === -1 || (status[writer] === 0 && rets[writer]! < calls[i]!);
    });
    if (older && (lostAt[k] === -1 || calls[lostAt[k]!]! < calls[i]!)) lostAt[k] = i;
  }
  for (let k = 0; k < keys; k++) {
    const i = lostAt[k]!;
    if (i < 0) continue;
    counts.lost++;
    if (counts.lost > max) continue;
    const c = converged[k]!;
    const set = table.members[c];
    const writer = versionWriter[c]!;
    const ending = set !== undefined ? `the siblings ${label(k, versionValue[c])}, each written before it began`
      : writer === -1 ? `the initial value ${label(k, versionValue[c])}` : `${label(k, versionValue[c])}, written before it began`;
    const writers = (set ?? [c]).slice(0, 2).map((m) => versionWriter[m]!).filter((x) => x >= 0).map((x) => ops[x]);
    violations.push({
      kind: 'lost-write',
      scope: scope(ops[i]!),
      sentence: `${scope(ops[i]!)}'s acknowledged write of ${label(k, versionValue[writeOf[i]!])} is lost: every replica ended with ${ending} (lost write)`,
      operations: views([ops[i], ...writers, ...replicasOf[k]!.slice(0, 3).map((r) => ops[r])], table.model),
    });
  }

  const details: Record<string, unknown> = {
    finalReads: finals.length,
    replicas: new Set([...lastByReplica.keys()].map((id) => id.slice(id.indexOf('\u0000') + 1))).size,
    keys,
    convergedKeys: converged.filter((c) => c >= 0).length,
    inventedValues: counts.invented,
    divergentKeys: counts.divergent,
    lostWrites: counts.lost,
  };
  Object.assign(details, convergenceTime(table, events, finals, converged, finalOpts));
  if (violations.length > 0) return { level: 'eventual', status: 'violated', violations, details };
  if (finals.length === 0) {
    return { level: 'eventual', status: 'not-applicable', cause: 'no final reads: mark the reads taken after faults healed and writes stopped with phase "final", or name them with the `final` option', details };
  }
  const uncovered = writtenKeysWithoutFinalRead(table, converged, replicasOf);
  if (uncovered > 0) return { level: 'eventual', status: 'unknown', cause: `${plural(uncovered, 'written key')} had no final read: convergence unknown there`, details };
  if (ambiguousKeys > 0) return { level: 'eventual', status: 'unknown', cause: `values written more than once on ${plural(ambiguousKeys, 'key')}: lost writes cannot be told apart`, details };
  return { level: 'eventual', status: 'holds', details };
}

function replicaName(op: Operation): string {
  return op.node !== undefined ? `node ${String(op.node)}` : `process ${String(op.process)}`;
}

function writtenKeysWithoutFinalRead(table: VersionTable, converged: Int32Array, replicasOf: number[][]): number {
  const written = new Uint8Array(table.keys.length);
  for (let i = 0; i < table.ops.length; i++) if (table.writeOf[i]! >= 0 && table.ops[i]!.status === 'ok') written[table.keyOfOp[i]!] = 1;
  let n = 0;
  for (let k = 0; k < written.length; k++) if (written[k] === 1 && replicasOf[k]!.length === 0 && converged[k]! < 0) n++;
  return n;
}

/** From the later of the last heal and the last write to the first final read after which the key agrees. */
function convergenceTime(table: VersionTable, events: readonly Op[], finals: readonly number[], converged: Int32Array, options: FinalReadsOptions): Record<string, unknown> {
  const { ops, writeOf, readOf, keyOfOp } = table;
  let lastWrite: number | undefined;
  for (let i = 0; i < ops.length; i++) {
    if (writeOf[i]! < 0) continue;
    const t = ops[i]!.endTime ?? ops[i]!.time;
    if (t !== undefined && (lastWrite === undefined || t > lastWrite)) lastWrite = t;
  }
  const heal = lastHealTime(events, options);
  const from = heal === undefined ? lastWrite : lastWrite === undefined ? heal : Math.max(heal, lastWrite);
  if (from === undefined) return {};
  // Per key, walking final reads latest first: the earliest read from which all agree.
  const agreedAt = new Array<number | undefined>(table.keys.length).fill(undefined);
  const broken = new Uint8Array(table.keys.length);
  const byTime = [...finals].sort((a, b) => (ops[b]!.endTime ?? ops[b]!.time ?? 0) - (ops[a]!.endTime ?? ops[a]!.time ?? 0));
  for (const i of byTime) {
    const k = keyOfOp[i]!;
    if (converged[k]! < 0 || broken[k] === 1) continue;
    if (readOf[i] !== converged[k]) { broken[k] = 1; continue; }
    const t = ops[i]!.endTime ?? ops[i]!.time;
    if (t !== undefined) agreedAt[k] = t;
  }
  let latest: number | undefined;
  for (const t of agreedAt) if (t !== undefined && (latest === undefined || t > latest)) latest = t;
  if (latest === undefined) return { quietFrom: { time: from, by: heal !== undefined && heal >= (lastWrite ?? -Infinity) ? 'heal' : 'last-write' } };
  const ns = Math.max(0, latest - from);
  return {
    quietFrom: { time: from, by: heal !== undefined && heal >= (lastWrite ?? -Infinity) ? 'heal' : 'last-write' },
    convergenceTimeNs: ns,
    convergenceTime: showDurationNs(ns),
  };
}
