import type { Report } from './report.js';

/** The headline verdict of a report: the strongest level of each lattice and one sentence. */
export function summarize(report: Report): Report['verdict'] {
  const parts: string[] = [];
  let violated = false;
  let unknown = false;
  const verdict: Report['verdict'] = { outcome: 'ok', summary: '' };
  if (report.consistency !== undefined) {
    verdict.consistency = report.consistency.strongest;
    violated ||= report.consistency.levels.some((l) => l.status === 'violated');
    unknown ||= report.consistency.levels.some((l) => l.status === 'unknown');
    parts.push(`strongest consistency level that holds: ${report.consistency.strongest}`);
  } else if (report.linearizability !== undefined) {
    const lin = report.linearizability;
    if (lin.outcome === 'ok') {
      verdict.consistency = 'strong';
      parts.push('linearizable (strong)');
    } else if (lin.outcome === 'illegal') {
      violated = true;
      parts.push('not linearizable');
    } else {
      unknown = true;
      parts.push(`linearizability unknown: ${lin.cause?.message ?? 'undecided'}`);
    }
  }
  if (report.isolation !== undefined) {
    verdict.isolation = report.isolation.strongest;
    violated ||= report.isolation.anomalies.length > 0;
    unknown ||= report.isolation.unknown.length > 0;
    const types = [...new Set(report.isolation.anomalies.map((a) => a.type))];
    parts.push(`strongest isolation level that holds: ${report.isolation.strongest}${types.length > 0 ? ` (anomalies: ${types.join(', ')})` : ''}`);
  }
  for (const invariant of report.invariants ?? []) {
    violated ||= invariant.status === 'violated';
    parts.push(`${invariant.name} invariant ${invariant.status === 'holds' ? 'holds' : `violated (${Object.entries(invariant.counts).map(([k, n]) => `${n} ${k}`).join(', ')})`}`);
  }
  verdict.outcome = violated ? 'violated' : unknown ? 'unknown' : 'ok';
  verdict.summary = parts.join('; ');
  return verdict;
}
