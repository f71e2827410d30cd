import type { Report } from '@verdict/checker';
import { testDatabase, type DbTestFacts } from './db-test.js';
import type { DbTestSpec } from './db-test-spec.js';
import { SQL_ISOLATION_LEVELS, type SqlIsolationLevel } from './isolation-levels.js';
import { DB_WORKLOADS, type DbWorkloadName } from './workloads/sql-workload.js';

/**
 * The seed's table, measured: the phenomena each isolation level is meant to rule out, and what a
 * database actually let through. Each column counts the anomalies of its kinds over every workload
 * run at that level.
 */
export const MATRIX_COLUMNS = [
  { name: 'dirty read', kinds: ['G0', 'G1a', 'G1b', 'G1c'] },
  { name: 'non-repeatable read', kinds: ['non-repeatable-read', 'G-single'] },
  { name: 'phantom', kinds: ['phantom-read'] },
  { name: 'lost update', kinds: ['lost-update', 'total-changed'] },
  { name: 'write skew', kinds: ['G2-item', 'G2'] },
] as const;

export interface DbMatrixOptions {
  target: string;
  levels?: readonly SqlIsolationLevel[];
  workloads?: readonly DbWorkloadName[];
  /** Fields every run shares (ops, clients, keys, seed...). */
  spec?: Omit<DbTestSpec, 'target' | 'workload' | 'isolation'>;
  signal?: AbortSignal;
  onRun?: (level: SqlIsolationLevel, workload: DbWorkloadName, done: number, total: number) => void;
}

/** One run of the matrix. */
export interface DbMatrixRun {
  level: SqlIsolationLevel;
  workload: DbWorkloadName;
  /** Anomalies by kind (isolation anomalies and invariant violations alike). */
  counts: Record<string, number>;
  /** The strongest level the run's history kept (isolation lattice, or `strong`/`none` for the bank). */
  strongest: string;
  outcome: Report['verdict']['outcome'];
  facts: DbTestFacts;
}

export interface DbMatrixResult {
  target: string;
  serverVersion: string;
  runs: DbMatrixRun[];
}

/** Runs every workload at every isolation level against one database. */
export async function runDbMatrix(options: DbMatrixOptions): Promise<DbMatrixResult> {
  const levels = options.levels ?? SQL_ISOLATION_LEVELS;
  const workloads = options.workloads ?? DB_WORKLOADS;
  const runs: DbMatrixRun[] = [];
  const total = levels.length * workloads.length;
  let serverVersion = '';
  let target = options.target;
  for (const level of levels) {
    for (const workload of workloads) {
      if (options.signal?.aborted === true) throw options.signal.reason ?? new Error('matrix cancelled');
      const result = await testDatabase({ ...options.spec, target: options.target, workload, isolation: level }, options.signal !== undefined ? { signal: options.signal } : {});
      serverVersion = result.facts.serverVersion;
      target = result.facts.target;
      runs.push({ level, workload, counts: anomalyCounts(result.report), strongest: strongestOf(result.report), outcome: result.report.verdict.outcome, facts: result.facts });
      options.onRun?.(level, workload, runs.length, total);
    }
  }
  return { target, serverVersion, runs };
}

/** Anomalies of a report by kind: isolation counts, and invariant violations (the bank's). */
export function anomalyCounts(report: Report): Record<string, number> {
  const counts: Record<string, number> = {};
  const iso = report.isolation;
  if (iso !== undefined) {
    if (iso.anomalyCounts !== undefined) Object.assign(counts, iso.anomalyCounts);
    else for (const a of iso.anomalies) counts[a.type] = (counts[a.type] ?? 0) + 1;
  }
  for (const invariant of report.invariants ?? []) for (const [kind, n] of Object.entries(invariant.counts)) counts[kind] = (counts[kind] ?? 0) + n;
  if (report.linearizability?.outcome === 'illegal' && report.isolation === undefined) counts['not-linearizable'] = 1;
  return counts;
}

function strongestOf(report: Report): string {
  if (report.isolation !== undefined) return report.isolation.strongest;
  if (report.linearizability !== undefined) {
    const invariantsHold = (report.invariants ?? []).every((i) => i.status === 'holds');
    if (report.linearizability.outcome === 'ok' && invariantsHold) return 'strict-serializable';
    if (report.linearizability.outcome === 'unknown') return 'unknown';
    return invariantsHold ? 'not strict-serializable' : 'none';
  }
  return report.verdict.isolation ?? report.verdict.consistency ?? 'unknown';
}

/** The table as text: one row per isolation level, the seed's columns, then what else appeared. */
export function renderDbMatrix(result: DbMatrixResult): string {
  const levels = [...new Set(result.runs.map((r) => r.level))];
  const header = ['isolation', ...MATRIX_COLUMNS.map((c) => c.name), 'other anomalies', 'strongest level kept (per workload)', 'refused'];
  const rows = levels.map((level) => {
    const runs = result.runs.filter((r) => r.level === level);
    const sum = (kinds: readonly string[]): number => runs.reduce((n, r) => n + kinds.reduce((m, k) => m + (r.counts[k] ?? 0), 0), 0);
    const shown = new Set<string>(MATRIX_COLUMNS.flatMap((c) => [...c.kinds]));
    const other = new Map<string, number>();
    for (const r of runs) for (const [k, n] of Object.entries(r.counts)) if (!shown.has(k)) other.set(k, (other.get(k) ?? 0) + n);
    const txns = runs.reduce((n, r) => n + r.facts.ok + r.facts.fail, 0);
    const refused = runs.reduce((n, r) => n + r.facts.fail - (r.facts.failReasons['voluntary-abort'] ?? 0) - (r.facts.failReasons['insufficient-funds'] ?? 0), 0);
    return [
      level,
      ...MATRIX_COLUMNS.map((c) => cell(sum(c.kinds))),
      [...other].map(([k, n]) => `${k} ${n}`).join(', ') || '—',
      runs.map((r) => `${r.workload}: ${r.strongest}`).join('; '),
      txns > 0 ? `${Math.round((refused / txns) * 100)} %` : '—',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const out = [`${result.target} — ${result.serverVersion}`, '', line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
  out.push('', 'Counts are anomalies found, over the workloads list-append, rw-register, bank and predicate at each level; ✓ none.');
  out.push('"refused": transactions the database rolled back (serialization failures, deadlocks, lock and statement timeouts).');
  return `${out.join('\n')}\n`;
}

function cell(n: number): string {
  return n === 0 ? '✓' : String(n);
}
