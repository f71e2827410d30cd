import type { MatrixCell, MatrixResult } from './matrix.js';

const SHORT: Record<string, string> = {
  strong: 'strong', sequential: 'seq', session: 'session', user: 'user', eventual: 'eventual', none: 'none',
  'strict-serializable': 'strict-ser', serializable: 'ser', 'snapshot-isolation': 'SI', 'repeatable-read': 'RR',
  'read-committed': 'RC', 'read-uncommitted': 'RU',
};

const CELL_WIDTH = 13;

/**
 * The matrix as a table: a row per nemesis, a column per protocol variant. A cell shows the
 * strongest level that held in every seed; `✗` marks a violation, `?` an undecided check,
 * `⊘` a blocked run (availability lost), `!` a run that failed.
 */
export function renderMatrix(m: MatrixResult): string {
  const label = (i: number): string => `${String.fromCharCode(65 + (i % 26))}${i >= 26 ? Math.floor(i / 26) + 1 : ''}`;
  const out: string[] = [
    `Verdict matrix: ${m.variants.length} protocol variants × ${m.nemeses.length} nemeses, seeds ${m.seeds.join(', ')}, ${m.ops} operations per run`,
    '',
    ...m.variants.map((v, i) => `  ${label(i)}  ${v.protocol}${v.bug !== null ? ` with bug ${v.bug}` : ' (correct)'}`),
    '',
  ];
  const nemesisWidth = Math.max(8, ...m.nemeses.map((n) => n.length)) + 2;
  out.push(`${'nemesis'.padEnd(nemesisWidth)}${m.variants.map((v, i) => label(i).padEnd(CELL_WIDTH)).join('')}`.trimEnd());
  for (const nemesis of m.nemeses) {
    const row = m.variants.map((v) => cellText(m.cells.find((c) => c.protocol === v.protocol && c.bug === v.bug && c.nemesis === nemesis)).padEnd(CELL_WIDTH));
    out.push(`${nemesis.padEnd(nemesisWidth)}${row.join('')}`.trimEnd());
  }
  out.push('', '  ✗ violated   ? undecided   ⊘ blocked (availability lost)   ! run failed');
  const notable = m.cells.filter((c) => c.violatedSeeds.length > 0 || c.errors.length > 0 || c.blockedSeeds.length > 0);
  if (notable.length > 0) out.push('', 'Findings:');
  for (const c of notable) out.push(...findingLines(c));
  return `${out.join('\n')}\n`;
}

function cellText(c: MatrixCell | undefined): string {
  if (c === undefined) return '-';
  if (c.runs === 0) return '!';
  const level = c.isolation ?? c.consistency;
  const mark = c.outcomes.violated > 0 ? '✗' : c.outcomes.unknown > 0 ? '?' : '';
  const blocked = c.blockedSeeds.length > 0 ? '⊘' : '';
  const failed = c.errors.length > 0 ? '!' : '';
  return `${mark}${level === undefined ? '?' : SHORT[level] ?? level}${blocked}${failed}`;
}

function findingLines(c: MatrixCell): string[] {
  const name = `${c.protocol}${c.bug !== null ? `/${c.bug}` : ''} × ${c.nemesis}`;
  const lines: string[] = [];
  if (c.violatedSeeds.length > 0) {
    lines.push(`  ✗ ${name}: ${c.anomalies.join(', ') || 'violated'} (seeds ${c.violatedSeeds.join(', ')}); replay: ${c.reproduce ?? ''}`);
  }
  if (c.blockedSeeds.length > 0) lines.push(`  ⊘ ${name}: blocked in seeds ${c.blockedSeeds.join(', ')}${c.violatedSeeds.length === 0 ? ', nothing inconsistent' : ''}`);
  for (const e of c.errors) lines.push(`  ! ${name}: ${e}`);
  return lines;
}
