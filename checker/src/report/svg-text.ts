/**
 * Text measuring for the SVG renderings, without a font engine: the drawings use one monospace
 * face, so a label's width is its length in cells. Wide (East Asian, emoji) characters take two.
 */

/** Width of one monospace cell at the drawings' 11 px font, rounded up so estimates never fall short. */
export const CHAR_PX = 6.8;

/** Cells a string takes in a monospace font. */
export function textCells(s: string): number {
  let cells = 0;
  for (const ch of s) cells += isWide(ch.codePointAt(0)!) ? 2 : 1;
  return cells;
}

export function textPx(s: string, charPx = CHAR_PX): number {
  return textCells(s) * charPx;
}

/** The string cut to at most `cells` cells, with `…` when cut. */
export function fitCells(s: string, cells: number): string {
  if (textCells(s) <= cells) return s;
  let out = '';
  let used = 0;
  for (const ch of s) {
    const w = isWide(ch.codePointAt(0)!) ? 2 : 1;
    if (used + w > cells - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
}

function isWide(cp: number): boolean {
  return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3)
    || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60)
    || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd);
}

/**
 * Greedy row packing of labels along one axis: each label goes to the first row where it starts
 * after the previous label of that row ends (plus a gap). Returns each label's row, in input order,
 * or -1 for a label no row has room for within `rowsMax` (the caller leaves it out: labels never
 * overlap).
 */
export function packRows(spans: readonly { start: number; end: number }[], gap: number, rowsMax: number): number[] {
  const order = spans.map((s, i) => ({ ...s, i })).sort((a, b) => a.start - b.start || a.i - b.i);
  const rowEnds: number[] = [];
  const rows = new Array<number>(spans.length).fill(0);
  for (const s of order) {
    let row = rowEnds.findIndex((end) => s.start >= end + gap);
    if (row < 0 && rowEnds.length < rowsMax) row = rowEnds.length;
    rows[s.i] = row;
    if (row >= 0) rowEnds[row] = s.end;
  }
  return rows;
}

/** Tick spacing, in positions, for ticks at least `minPx` apart: 1, 2 or 5 times a power of ten. */
export function tickSpacing(pxPerPosition: number, minPx: number): number {
  for (let magnitude = 1; magnitude < 1e15; magnitude *= 10) {
    for (const m of [1, 2, 5]) if (m * magnitude * pxPerPosition >= minPx) return m * magnitude;
  }
  return 1e15;
}

/** A time in nanoseconds as seconds, with as many decimals as ticks `deltaNs` apart need. */
export function formatSeconds(ns: number, deltaNs: number): string {
  const decimals = Math.max(0, Math.min(9, Math.ceil(-Math.log10(Math.max(1, deltaNs) / 1e9)) + 1));
  return `${(ns / 1e9).toFixed(decimals)} s`;
}
