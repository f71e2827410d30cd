import { CONSISTENCY_LEVELS, type ConsistencyLevel } from '../consistency/types.js';
import { ISOLATION_LEVELS } from '../isolation/levels.js';
import type { IsolationLevel } from '../isolation/types.js';
import type { Report } from './report.js';

/** Every level a gate can require: either lattice, or `atomic` (all-or-nothing commit). */
export type RequiredLevel = ConsistencyLevel | IsolationLevel | 'atomic' | 'linearizable';
export const REQUIRABLE_LEVELS: readonly RequiredLevel[] = [...CONSISTENCY_LEVELS, 'linearizable', ...ISOLATION_LEVELS, 'atomic'];

export function isRequiredLevel(s: string): s is RequiredLevel {
  return (REQUIRABLE_LEVELS as readonly string[]).includes(s);
}

/** `yes` the report shows the level holds, `no` it is violated, `unknown` it could not be decided. */
export type Requirement = 'yes' | 'no' | 'unknown';

/**
 * Does the report meet the required level? A level holds when the report says so for it (the
 * checkers fill implied levels); `unknown` is never a pass. A history the level does not apply
 * to (an isolation level on single-object operations) is `unknown`, with the reason.
 */
export function meetsRequirement(report: Report, level: RequiredLevel): { result: Requirement; reason: string } {
  if (level === 'linearizable') level = 'strong';
  if ((CONSISTENCY_LEVELS as readonly string[]).includes(level)) {
    const found = report.consistency?.levels.find((l) => l.level === level);
    if (found !== undefined) {
      return { result: found.status === 'holds' ? 'yes' : found.status === 'violated' ? 'no' : 'unknown', reason: `${level}: ${found.status}${found.cause !== undefined ? ` (${found.cause})` : ''}` };
    }
    if (level === 'strong' && report.linearizability !== undefined) {
      const o = report.linearizability.outcome;
      return { result: o === 'ok' ? 'yes' : o === 'illegal' ? 'no' : 'unknown', reason: `strong (linearizable): ${o}${report.linearizability.cause !== undefined ? ` (${report.linearizability.cause.message})` : ''}` };
    }
    return { result: 'unknown', reason: `${level} was not checked on this history` };
  }
  const isolation = report.isolation;
  if (isolation === undefined) return { result: 'unknown', reason: `${level} applies to transactional histories; this one has none` };
  if (level === 'atomic') {
    const broken = isolation.anomalies.filter((a) => a.type === 'non-atomic-commit');
    if (broken.length > 0) return { result: 'no', reason: `${broken.length} non-atomic commit(s)` };
    const undecided = isolation.unknown.some((u) => u.type === 'non-atomic-commit');
    return undecided ? { result: 'unknown', reason: 'the non-atomic-commit search did not finish' } : { result: 'yes', reason: 'every transaction committed everywhere or nowhere' };
  }
  const entry = isolation.levels.find((l) => l.level === level);
  if (entry === undefined) return { result: 'unknown', reason: `${level} was not evaluated` };
  const why = entry.ruledOutBy !== undefined && entry.ruledOutBy.length > 0 ? ` (ruled out by ${entry.ruledOutBy.join(', ')})` : '';
  return { result: entry.status === 'holds' ? 'yes' : entry.status === 'violated' ? 'no' : 'unknown', reason: `${level}: ${entry.status}${why}` };
}
