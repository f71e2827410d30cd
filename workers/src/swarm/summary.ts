import type { SwarmRunOutcome } from './run-one.js';

/** Counts over a group of runs (all, one protocol, one nemesis). */
export interface SwarmTally {
  runs: number;
  /** Client operations, summed. */
  ops: number;
  violated: number;
  unknown: number;
  errors: number;
  /** Runs that lost availability for a while (not a violation: CAP and 2PC's blocking). */
  blocked: number;
}

export interface SwarmSummary {
  total: SwarmTally;
  byProtocol: Record<string, SwarmTally>;
  byNemesis: Record<string, SwarmTally>;
}

export function emptyTally(): SwarmTally {
  return { runs: 0, ops: 0, violated: 0, unknown: 0, errors: 0, blocked: 0 };
}

export function emptySummary(): SwarmSummary {
  return { total: emptyTally(), byProtocol: {}, byNemesis: {} };
}

/** Adds one run to the summary. */
export function tally(summary: SwarmSummary, o: SwarmRunOutcome): void {
  for (const t of [summary.total, summary.byProtocol[o.protocol] ??= emptyTally(), summary.byNemesis[o.nemesis] ??= emptyTally()]) {
    t.runs++;
    t.ops += o.ops;
    if (o.outcome === 'violated') t.violated++;
    else if (o.outcome === 'unknown') t.unknown++;
    else if (o.outcome === 'error') t.errors++;
    if (o.blocked) t.blocked++;
  }
}

/** A failed run as the swarm prints it: what broke and the command that replays it. */
export function renderFailure(o: SwarmRunOutcome): string {
  const what = o.outcome === 'error' ? 'ERROR' : o.outcome === 'violated' ? 'VIOLATION' : 'UNKNOWN';
  const lines = [`${what} in run ${o.index} (${o.protocol}${o.bug !== null ? `/${o.bug}` : ''} × ${o.nemesis}, ${o.ops} ops): ${o.reason ?? ''}`, `  replay: ${o.reproduce}`];
  if (o.historyHash !== undefined) lines.push(`  history sha256 ${o.historyHash}`);
  return lines.join('\n');
}

/** The summary tables: by protocol, then by nemesis, then the total. */
export function renderSummary(summary: SwarmSummary): string {
  const header = ['runs', 'ops', 'violated', 'unknown', 'errors', 'blocked'];
  const row = (name: string, t: SwarmTally): string[] => [name, String(t.runs), String(t.ops), String(t.violated), String(t.unknown), String(t.errors), String(t.blocked)];
  const table = (title: string, rows: string[][]): string => {
    const all = [[title, ...header], ...rows];
    const widths = all[0]!.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
    return all.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
  };
  const sorted = (group: Record<string, SwarmTally>): string[][] => Object.keys(group).sort().map((k) => row(k, group[k]!));
  return [
    table('protocol', [...sorted(summary.byProtocol), row('total', summary.total)]),
    '',
    table('nemesis', [...sorted(summary.byNemesis), row('total', summary.total)]),
  ].join('\n');
}
