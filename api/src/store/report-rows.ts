import { CONSISTENCY_LEVELS, ISOLATION_LEVELS, type Report } from '@verdict/checker';

/** One anomaly row: searchable by type and by the weakest level it rules out. */
export interface AnomalyRow {
  category: 'isolation' | 'consistency' | 'linearizability';
  type: string;
  level: string | null;
  rulesOut: string[];
  sentence: string;
  witness: unknown;
}

export interface ReportRow {
  kind: string;
  outcome: 'ok' | 'violated' | 'unknown';
  consistency: string | null;
  isolation: string | null;
  levels: { level: string; status: string }[];
  isolationResult: unknown;
  summary: string;
  elapsedMs: number;
}

/** A report with many witnesses stays one bounded set of rows. */
const ANOMALY_ROWS_MAX = 1_000;

/** The columns of a report's row: the headline, each level's status, and the isolation result. */
export function reportRow(report: Report): ReportRow {
  const levels = report.consistency !== undefined
    ? report.consistency.levels.map((l) => ({ level: l.level, status: l.status }))
    : report.linearizability !== undefined
      ? [{ level: 'strong', status: report.linearizability.outcome === 'ok' ? 'holds' : report.linearizability.outcome === 'illegal' ? 'violated' : 'unknown' }]
      : [];
  return {
    kind: report.kind,
    outcome: report.verdict.outcome,
    consistency: report.verdict.consistency ?? null,
    isolation: report.verdict.isolation ?? null,
    levels,
    isolationResult: report.isolation === undefined ? null : { strongest: report.isolation.strongest, levels: report.isolation.levels, unknown: report.isolation.unknown, transactions: report.isolation.transactions },
    summary: report.verdict.summary,
    elapsedMs: Math.round(report.elapsedMs),
  };
}

/**
 * Every anomaly and violated guarantee of a report, one row each. A witness that several levels
 * share (a read-your-writes violation also breaks sequential and strong) is one row, filed under
 * the weakest level it rules out, with all of them in `rulesOut`.
 */
export function anomalyRows(report: Report): AnomalyRow[] {
  const rows: AnomalyRow[] = [];
  for (const a of report.isolation?.anomalies ?? []) {
    rows.push({ category: 'isolation', type: String(a.type), level: weakest(a.rulesOut, ISOLATION_LEVELS), rulesOut: [...a.rulesOut], sentence: a.sentence, witness: { transactions: a.transactions, edges: a.edges } });
  }
  const byWitness = new Map<string, AnomalyRow>();
  for (const level of report.consistency?.levels ?? []) {
    for (const v of level.violations ?? []) {
      const key = `${v.kind}\u0000${v.scope ?? ''}\u0000${v.sentence}`;
      const row = byWitness.get(key);
      if (row !== undefined) {
        row.rulesOut.push(level.level);
        row.level = weakest(row.rulesOut, CONSISTENCY_LEVELS);
        continue;
      }
      // A linearizability witness is filed as one, whichever check found it (a run's levels do).
      const created: AnomalyRow = { category: v.kind === 'linearizability' ? 'linearizability' : 'consistency', type: v.kind, level: level.level, rulesOut: [level.level], sentence: v.sentence, witness: { scope: v.scope ?? null, operations: v.operations } };
      byWitness.set(key, created);
      rows.push(created);
    }
  }
  const lin = report.linearizability;
  if (lin?.counterexample !== undefined && ![...byWitness.values()].some((r) => r.type === 'linearizability')) {
    const cx = lin.counterexample;
    rows.push({ category: 'linearizability', type: 'linearizability', level: 'strong', rulesOut: ['strong'], sentence: cx.witness.explanation, witness: { partition: cx.partition, operations: cx.witness.operations, minimal: cx.witness.minimal } });
  }
  return rows.slice(0, ANOMALY_ROWS_MAX);
}

/** The weakest of `levels` in a lattice listed strongest first. */
function weakest(levels: readonly string[], lattice: readonly string[]): string | null {
  let found: string | null = null;
  let at = -1;
  for (const l of levels) {
    const i = lattice.indexOf(l);
    if (i > at) {
      at = i;
      found = l;
    }
  }
  return found ?? levels[0] ?? null;
}
