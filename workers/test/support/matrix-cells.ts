import type { MatrixCell, MatrixResult } from '../../src/run/matrix.js';

/** The cell of one protocol variant under one nemesis. */
export function cellOf(m: MatrixResult, protocol: string, bug: string | null, nemesis: string): MatrixCell {
  const cell = m.cells.find((c) => c.protocol === protocol && c.bug === bug && c.nemesis === nemesis);
  if (cell === undefined) throw new Error(`no cell ${protocol}/${bug ?? 'correct'} × ${nemesis}`);
  return cell;
}

/** The cells of one variant, by nemesis. */
export function column(m: MatrixResult, protocol: string, bug: string | null): MatrixCell[] {
  return m.cells.filter((c) => c.protocol === protocol && c.bug === bug);
}

/** `protocol/bug × nemesis`, for assertion messages. */
export function nameOf(c: MatrixCell): string {
  return `${c.protocol}${c.bug !== null ? `/${c.bug}` : ''} × ${c.nemesis}`;
}
