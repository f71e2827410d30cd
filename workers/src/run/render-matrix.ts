import type { MatrixCell, MatrixResult } from './matrix.js';
import { scenarioSummary } from './scenario-summary.js';

const SHORT: Record<string, string> = {
  strong: 'strong', sequential: 'seq', session: 'session', user: 'user', eventual: 'eventual', none: 'none',
  'strict-serializable': 'strict-ser', serializable: 'ser', 'snapshot-isolation': 'SI', 'repeatable-read': 'RR',
  'read-committed': 'RC', 'read-uncommitted': 'RU',
};

const CELL_WIDTH = 15;
const SUPERSCRIPTS = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

/**
 * The matrix as a table: a row per nemesis, a column per protocol variant. A cell shows the
 * strongest level that held in every seed; `✗` marks a violation, `?` an undecided check,
 * `⊘` a blocked run (availability lost), `!` a run that failed, and a superscript number the
 * scenario it ran under, explained below the table. Findings follow: what each violation was and
 * how to replay it, why each blocked cell blocked, and which side of each partition stayed
 * available for replicated stores (CAP).
 */
export function renderMatrix(m: MatrixResult): string {
  const label = (i: number): string => `${String.fromCharCode(65 + (i % 26))}${i >= 26 ? Math.floor(i / 26) + 1 : ''}`;
  const notes = footnotes(m);
  const out: string[] = [
    `Verdict matrix: ${m.variants.length} protocol variants × ${m.nemeses.length} nemeses, seed${m.seeds.length > 1 ? 's' : ''} ${m.seeds.join(', ')}, ${m.ops} operations per run`,
    '',
    ...m.variants.map((v, i) => `  ${label(i)}  ${v.protocol}${v.bug !== null ? ` with bug ${v.bug}` : ' (correct)'}`),
    '',
  ];
  const nemesisWidth = Math.max(8, ...m.nemeses.map((n) => n.length)) + 2;
  out.push(`${'nemesis'.padEnd(nemesisWidth)}${m.variants.map((v, i) => label(i).padEnd(CELL_WIDTH)).join('')}`.trimEnd());
  for (const nemesis of m.nemeses) {
    const row = m.variants.map((v) => {
      const cell = m.cells.find((c) => c.protocol === v.protocol && c.bug === v.bug && c.nemesis === nemesis);
      return `${cellText(cell)}${cell?.scenario !== undefined ? superscript(notes.numberOf(cell)) : ''}`.padEnd(CELL_WIDTH);
    });
    out.push(`${nemesis.padEnd(nemesisWidth)}${row.join('')}`.trimEnd());
  }
  out.push('', `  ✗ violated   ? undecided   ⊘ blocked (availability lost)   ! run failed${notes.lines.length > 0 ? '   ¹ ran under a scenario' : ''}`);
  if (notes.lines.length > 0) {
    out.push('', 'Scenarios: protocol-timed faults and tuned runs, for the correct protocol and its bugs alike (replay a cell with --scenario NAME):');
    out.push(...notes.lines);
  }
  const notable = m.cells.filter((c) => c.violatedSeeds.length > 0 || c.errors.length > 0 || c.blockedSeeds.length > 0 || (c.bug === null && c.sides !== undefined));
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
  // A violated cell with no level (a recipe's model rules out even the weakest) is `✗`, not `✗?`.
  const levelText = level === undefined ? (mark === '✗' ? '' : '?') : SHORT[level] ?? level;
  return `${mark}${levelText}${blocked}${failed}`;
}

/** One note per scenario used (per protocol and name), numbered in order of first use. */
function footnotes(m: MatrixResult): { numberOf: (c: MatrixCell) => number; lines: string[] } {
  const keyOf = (c: MatrixCell): string => `${c.protocol}/${c.scenario?.name ?? ''}`;
  const used = new Map<string, MatrixCell[]>();
  for (const c of m.cells) {
    if (c.scenario === undefined) continue;
    const list = used.get(keyOf(c));
    if (list === undefined) used.set(keyOf(c), [c]);
    else list.push(c);
  }
  const numbers = new Map([...used.keys()].map((k, i) => [k, i + 1]));
  const lines: string[] = [];
  for (const [key, cells] of used) {
    const s = cells[0]!.scenario!;
    const where = cells.map((c) => `${c.protocol}${c.bug !== null ? `/${c.bug}` : ''} × ${c.nemesis}`).join(', ');
    lines.push(...wrap(`${superscript(numbers.get(key)!)} ${cells[0]!.protocol} ${s.name} (${scenarioSummary(s.spec, s.seeds)}): ${s.description}.`, '  ', '    '));
    lines.push(...wrap(`used in ${where}`, '    ', '    '));
  }
  return { numberOf: (c) => numbers.get(keyOf(c)) ?? 0, lines };
}

const LINE_WIDTH = 110;

/** Words to lines of at most LINE_WIDTH characters, the first indented `first`, the rest `rest`. */
function wrap(text: string, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(' ')) {
    if (line.trim().length > 0 && line.length + 1 + word.length > LINE_WIDTH) {
      lines.push(line);
      line = rest;
    }
    line += line.trim().length > 0 ? ` ${word}` : word;
  }
  if (line.trim().length > 0) lines.push(line);
  return lines;
}

function superscript(n: number): string {
  return [...String(n)].map((d) => SUPERSCRIPTS[Number(d)]!).join('');
}

function findingLines(c: MatrixCell): string[] {
  const name = `${c.protocol}${c.bug !== null ? `/${c.bug}` : ''} × ${c.nemesis}`;
  const seeds = (xs: readonly number[]): string => `seed${xs.length > 1 ? 's' : ''} ${xs.join(', ')}`;
  const lines: string[] = [];
  if (c.violatedSeeds.length > 0) {
    lines.push(`  ✗ ${name}: ${c.anomalies.join(', ') || 'violated'} (${seeds(c.violatedSeeds)} of ${c.seeds.length}); replay: ${c.reproduce ?? ''}`);
  }
  if (c.blockedSeeds.length > 0) {
    lines.push(`  ⊘ ${name}: blocked in ${seeds(c.blockedSeeds)}${c.violatedSeeds.length === 0 ? ', nothing inconsistent' : ''} — ${c.blockedReason ?? ''}`);
  }
  if (c.bug === null && c.sides !== undefined) lines.push(`  ◐ ${name}: ${sidesText(c.sides)}`);
  for (const e of c.errors) lines.push(`  ! ${name}: ${e}`);
  return lines;
}

/** Partition sides, the CAP way: a consistent store keeps at most the majority side available. */
function sidesText(s: NonNullable<MatrixCell['sides']>): string {
  const parts: string[] = [];
  const total = (x: { available: number; unavailable: number }): number => x.available + x.unavailable;
  if (total(s.minority) > 0) parts.push(`minority side unavailable in ${s.minority.unavailable} of ${total(s.minority)} partitions`);
  if (total(s.majority) > 0) parts.push(`majority side available in ${s.majority.available} of ${total(s.majority)}`);
  return `${parts.join(', ')} (each side judged by the requests it got once the partition had settled)`;
}
