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
    const iso = report.isolation;
    verdict.isolation = iso.strongest;
    // Judged against the models asked for (strict serializable by default, which every anomaly rules out).
    if (iso.valid !== undefined) {
      violated ||= iso.valid === false;
      unknown ||= iso.valid === 'unknown';
    } else {
      violated ||= iso.anomalies.length > 0;
      unknown ||= iso.unknown.length > 0;
    }
    const types = [...new Set(iso.anomalies.map((a) => a.type))];
    parts.push(`strongest isolation level that holds: ${iso.strongest}${types.length > 0 ? ` (anomalies: ${types.join(', ')})` : ''}`);
    const undecided = (iso.consistencyModels ?? []).filter((m) => iso.models?.find((v) => v.model === m)?.status === 'unknown');
    if (undecided.length > 0) parts.push(`${undecided.join(', ')} unknown`);
  }
  for (const invariant of report.invariants ?? []) {
    violated ||= invariant.status === 'violated';
    unknown ||= invariant.status === 'unknown';
    parts.push(`${invariant.name} invariant ${invariant.status !== 'violated' ? invariant.status : `violated (${Object.entries(invariant.counts).map(([k, n]) => `${n} ${k}`).join(', ')})`}`);
  }
  verdict.outcome = violated ? 'violated' : unknown ? 'unknown' : 'ok';
  verdict.summary = parts.join('; ');
  return verdict;
}
