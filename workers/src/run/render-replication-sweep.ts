import type { SweepCell, SweepResult, SweepRow } from './replication-sweep.js';

const SHORT: Record<string, string> = { strong: 'strong', sequential: 'seq', session: 'session', user: 'user', eventual: 'eventual', none: 'none' };
const CELL_WIDTH = 18;

/**
 * The sweep as a table — a row per setting, a column per nemesis, each cell the strongest level
 * that held in every seed — then per setting what the cells leave out: whether every read saw the
 * last acknowledged write, the writes lost, which partition sides stayed available, and for
 * settings that never reach `strong` why, with the operations that show it.
 */
export function renderReplicationSweep(s: SweepResult): string {
  const label = (i: number): string => String.fromCharCode(65 + (i % 26));
  const settingWidth = Math.max(...s.rows.map((r) => r.label.length)) + 4;
  const out: string[] = [
    `Replication sweep: ${s.protocol} on ${s.nodes} nodes, ${s.clients} clients pausing ${s.thinkMsMean} ms on average, ${s.ops} operations per run, seed${s.seeds.length > 1 ? 's' : ''} ${s.seeds.join(', ')}`,
    'Each cell: the strongest level that held (strong ⊃ seq ⊃ session ⊃ eventual; none: not even eventual).',
    '',
    `${'setting'.padEnd(settingWidth)}${s.nemeses.map((n) => n.padEnd(CELL_WIDTH)).join('')}`.trimEnd(),
  ];
  s.rows.forEach((row, i) => {
    out.push(`${`${label(i)}  ${row.label}`.padEnd(settingWidth)}${row.cells.map((c) => cellText(c).padEnd(CELL_WIDTH)).join('')}`.trimEnd());
  });
  out.push('', '  ⊘ blocked in some seed (availability lost)   ! a run failed   ? a level undecided in its time');
  out.push('', 'Per setting:');
  s.rows.forEach((row, i) => out.push(...rowLines(row, label(i))));
  return `${out.join('\n')}\n`;
}

function cellText(c: SweepCell): string {
  if (c.errors.length === c.seeds.length) return '!';
  const level = c.strongest === undefined ? '?' : SHORT[c.strongest] ?? c.strongest;
  const undecided = Object.values(c.levels).includes('unknown') ? '?' : '';
  return `${level}${undecided}${c.blockedSeeds.length > 0 ? '⊘' : ''}${c.errors.length > 0 ? '!' : ''}`;
}

function rowLines(row: SweepRow, letter: string): string[] {
  const lines = [`  ${letter}  ${row.label}: ${row.setting.shows}`];
  const cells = row.cells.filter((c) => c.errors.length < c.seeds.length);
  const fresh = cells.filter((c) => c.fresh === 'holds').map((c) => c.nemesis);
  const stale = cells.filter((c) => c.fresh === 'violated').map((c) => c.nemesis);
  lines.push(`       every read saw the last acknowledged write: ${fresh.length === cells.length ? 'under every nemesis' : fresh.length === 0 ? 'under no nemesis' : `under ${fresh.join(', ')}; stale reads under ${stale.join(', ')}`}`);
  const lost = cells.filter((c) => c.lostWrites > 0);
  lines.push(`       acknowledged writes lost: ${lost.length === 0 ? 'none' : lost.map((c) => `${c.lostWrites} under ${c.nemesis}${c.skewedRuns > 0 ? ' (clocks skewed)' : ''}`).join(', ')}`);
  const divergent = cells.filter((c) => c.divergentKeys > 0);
  if (divergent.length > 0) lines.push(`       replicas apart after the heal: ${divergent.map((c) => `${c.divergentKeys} key(s) under ${c.nemesis}`).join(', ')}`);
  const sides = cells.reduce((acc, c) => ({
    minority: [acc.minority[0] + c.sides.minority[0], acc.minority[1] + c.sides.minority[1]],
    majority: [acc.majority[0] + c.sides.majority[0], acc.majority[1] + c.sides.majority[1]],
  }), { minority: [0, 0], majority: [0, 0] });
  const of = (x: number[]): string => `${x[0]} of ${x[0]! + x[1]!}`;
  if (sides.minority[0]! + sides.minority[1]! + sides.majority[0]! + sides.majority[1]! > 0) {
    lines.push(`       partition sides available: minority ${of(sides.minority)}, majority ${of(sides.majority)}`);
  }
  const blocked = cells.filter((c) => c.blockedSeeds.length > 0);
  if (blocked.length > 0) lines.push(`       blocked: ${blocked.map((c) => `${c.nemesis} (seed${c.blockedSeeds.length > 1 ? 's' : ''} ${c.blockedSeeds.join(', ')})`).join(', ')}`);
  const why = cells.find((c) => c.nemesis === 'none' && c.notLinearizable !== undefined) ?? cells.find((c) => c.notLinearizable !== undefined);
  if (why?.notLinearizable !== undefined) {
    lines.push(`       not linearizable (${why.nemesis}): ${why.notLinearizable.sentence}`);
    for (const op of why.notLinearizable.operations) lines.push(`         ${op}`);
    lines.push(`       replay: ${why.reproduce}`);
  }
  for (const c of row.cells) for (const e of c.errors) lines.push(`       ! ${c.nemesis}: ${e}`);
  return lines;
}
