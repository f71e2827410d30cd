import type { History, Op, Operation, ProcessId } from '../history/op.js';
import { showValue } from '../models/values.js';
import { escapeXml } from './escape.js';
import type { Report } from './report.js';
import { CHAR_PX, fitCells, formatSeconds, packRows, textPx, tickSpacing } from './svg-text.js';
import { faultBands, type FaultBand } from './timeline-faults.js';

export interface TimelineOptions {
  /** Operation ids to outline (a witness, an anomaly's transactions). Defaults from the report. */
  highlight?: ReadonlySet<number>;
  /** The operation that cannot be linearized, outlined apart from the witness. Defaults from the report. */
  blocked?: number;
  /** History positions to draw; defaults to a window around the highlighted operations. */
  window?: { from: number; to: number };
  /**
   * The positions shown at first, within the window (default: all of it). The rest is drawn
   * beyond the edges, for a script to pan and zoom to.
   */
  view?: { from: number; to: number };
  /** Most operations drawn (outlined ones first; the rest are counted). Default 600. */
  operationsMax?: number;
  /** Width of the drawing in pixels (default 1180, a page's card): zooming, not width, shows detail. */
  widthPx?: number;
  /** Scale to the container's width (`width="100%"`) rather than a fixed width. */
  fluid?: boolean;
  /** A sentence for the footer, e.g. what the caller left out of `history`. */
  note?: string;
}

const LANE_LABEL_PX = 96;
const RIGHT_PX = 8;
const BAR_PX = 18;
const LANE_PAD_PX = 6;
const ROW_PX = 14;
const AXIS_PX = 18;
const TIME_AXIS_PX = 12;
const FOOTER_PX = 22;
const TICK_GAP_PX = 72;
/** Label rows under one lane, and of fault labels: beyond these a label is left out (never overlapped). */
const LABEL_ROWS_MAX = 6;
const FAULT_ROWS_MAX = 4;
/** How far into its first and last position a bar starts and ends, so neighbours stay apart. */
const INSET = 0.08;

const STYLE = [
  '.vt text{fill:#222}.vt .lane{fill:#555}.vt .axis text{fill:#667}.vt .vt-grid{fill:#e9edf1}',
  '.vt .ok{fill:#cfe8cf;stroke:#3c7d3c}.vt .fail{fill:#e6e6e6;stroke:#888}.vt .info{fill:#fbe5b6;stroke:#b07d12;stroke-dasharray:4 2}',
  '.vt .hl{stroke:#c0392b;stroke-width:2.5}.vt .bl{stroke:#7b0d0d;stroke-width:3.5;stroke-dasharray:none}',
  '.vt .op-label{font-weight:600;fill:#8c1c13}.vt .op-label.bl-label{fill:#5a0a0a}',
  '.vt .fault{fill:#f5b7b1;opacity:.35}.vt .fault-label{fill:#7a2a22}',
  '.vt .lin{stroke:#1f5fa8;stroke-width:2.5}.vt .dim{opacity:.35}.vt .step-line{fill:none;stroke:#1f5fa8;stroke-width:1.5}',
  '.vt .step-dot{fill:#1f5fa8}.vt .step-no{fill:#fff;font-size:9px;font-weight:700}.vt .step-x{fill:#7b0d0d}',
].join('');

/**
 * The history as an SVG timeline that fits a page's card: an axis in history positions (and in
 * time, when the history has times), one lane per process, one bar per operation from invocation
 * to completion (open-ended when indeterminate), fault periods as labelled bands, and the
 * counterexample outlined with its labels written in full beneath its bars. Labels are packed in
 * rows so none overlaps another. Every element placed along the axis carries its place in
 * history positions (`data-p0`, `data-p1`), so the pages' script can zoom and pan by rescaling.
 * Every value from the history is escaped: histories are untrusted input.
 */
export function renderTimelineSvg(history: History, report?: Report, options: TimelineOptions = {}): string {
  const highlight = options.highlight ?? highlightedIds(report);
  const blocked = options.blocked ?? report?.linearizability?.counterexample?.blocked.id;
  const operationsMax = options.operationsMax ?? 600;
  const window = options.window ?? defaultWindow(history, highlight, operationsMax);
  const ops = drawnOperations(history.operations, window, highlight, operationsMax);
  const processes = [...new Set(ops.map((o) => o.process))].sort(compareProcess);
  const width = Math.max(320, Math.round(options.widthPx ?? 1180));
  const plotPx = width - LANE_LABEL_PX - RIGHT_PX;
  const shown = options.view === undefined ? window : { from: Math.max(window.from, options.view.from), to: Math.min(window.to, options.view.to) };
  const scale = plotPx / Math.max(1, shown.to - shown.from + 1);
  const X = (p: number): number => (p - shown.from) * scale;
  const times = timesOf(history.ops, window);
  const hasTimes = times.some((t) => t !== null);

  // Fault labels, packed in rows above the lanes.
  const bands = faultBands(history.events, window);
  const bandLabels = bands.map((b) => fitCells(b.label, 60));
  const bandAnchor = bands.map((b) => Math.max(b.from, shown.from));
  const bandRows = packRows(bands.map((b, i) => ({ start: X(bandAnchor[i]!), end: X(bandAnchor[i]!) + textPx(bandLabels[i]!) })), 8, FAULT_ROWS_MAX);
  const faultRowCount = Math.max(0, ...bandRows.map((r) => r + 1));

  // Full labels of outlined operations, packed in rows under their lane.
  const labelCells = Math.floor(plotPx / CHAR_PX) - 1;
  const labelled = ops.filter((o) => highlight.has(o.id) || o.id === blocked).map((o) => {
    const text = fitCells(`${o.id === blocked ? '✕ cannot follow the prefix: ' : ''}#${o.id} ${label(o)}`, labelCells);
    const w = textPx(text);
    const anchor = Math.max(shown.from, Math.min(shown.from + (plotPx - w) / scale, o.call + INSET));
    return { op: o, text, w, anchor };
  });
  const laneRows = new Map<ProcessId, number>();
  const labelRow = new Map<number, number>();
  for (const p of processes) {
    const mine = labelled.filter((l) => l.op.process === p);
    const rows = packRows(mine.map((l) => ({ start: X(l.anchor), end: X(l.anchor) + l.w })), 10, LABEL_ROWS_MAX);
    mine.forEach((l, i) => labelRow.set(l.op.id, rows[i]!));
    laneRows.set(p, Math.max(0, ...rows.map((r) => r + 1)));
  }

  const axisPx = AXIS_PX + (hasTimes ? TIME_AXIS_PX : 0);
  const bandTop = axisPx + 4;
  const lanesTop = bandTop + faultRowCount * ROW_PX + 4;
  const laneTop = new Map<ProcessId, number>();
  let y = lanesTop;
  for (const p of processes) {
    laneTop.set(p, y);
    y += BAR_PX + LANE_PAD_PX + laneRows.get(p)! * ROW_PX;
  }
  const lanesBottom = y;
  const height = lanesBottom + FOOTER_PX;

  const out: string[] = [];
  const size = options.fluid === true ? `width="100%"` : `width="${width}" height="${height}"`;
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="vt" ${size} viewBox="0 0 ${width} ${height}" preserveAspectRatio="xMinYMin meet" font-family="ui-monospace, monospace" font-size="11" role="img" aria-label="history timeline"`
    + ` data-from="${window.from}" data-to="${window.to}" data-view-from="${shown.from}" data-view-to="${shown.to}" data-plot="${plotPx}" data-axis="${axisPx}" data-lanes-top="${lanesTop}" data-lanes-bottom="${lanesBottom}"${hasTimes ? ` data-times="${escapeXml(JSON.stringify(times))}"` : ''}>`);
  out.push(`<style>${STYLE}</style>`);
  processes.forEach((p) => out.push(`<text class="lane" data-process="${escapeXml(String(p))}" x="6" y="${laneTop.get(p)! + 13}">${escapeXml(fitCells(`process ${String(p)}`, 13))}<title>${escapeXml(`process ${String(p)}`)}</title></text>`));
  out.push(`<svg class="vt-plot" x="${LANE_LABEL_PX}" y="0" width="${plotPx}" height="${height}">`);
  out.push(`<g class="axis">${axisTicks(window, shown, scale, times, axisPx, lanesBottom).join('')}</g>`);
  out.push(`<g class="bands">${bands.map((b, i) => band(b, bandLabels[i]!, bandAnchor[i]!, bandRows[i]!, X, plotPx, window, bandTop, lanesBottom)).join('')}</g>`);
  out.push('<g class="ops">');
  for (const o of ops) out.push(bar(o, laneTop.get(o.process)!, X, plotPx, window, highlight.has(o.id), o.id === blocked));
  out.push('</g><g class="labels">');
  for (const l of labelled) {
    const row = labelRow.get(l.op.id)!;
    if (row < 0) continue;
    const ly = laneTop.get(l.op.process)! + BAR_PX + LANE_PAD_PX / 2 + row * ROW_PX + 10;
    out.push(`<text class="op-label${l.op.id === blocked ? ' bl-label' : ''}" data-call="${l.op.call}" data-p0="${round(l.anchor)}" x="${round(X(l.anchor))}" y="${ly}"${outside(X(l.anchor), l.w, plotPx) ? ' display="none"' : ''}>${escapeXml(l.text)}</text>`);
  }
  out.push('</g><g class="steps"></g></svg>');
  const hidden = history.operations.length - ops.length;
  const footer = `positions ${window.from}–${window.to}${hidden > 0 ? `; ${hidden} operation(s) not drawn` : ''}${options.note !== undefined ? `; ${options.note}` : ''}`;
  out.push(`<text x="6" y="${height - 7}">${escapeXml(footer)}</text>`);
  out.push('</svg>');
  return out.join('\n');
}

/** How far past the plot's edges a clipped bar may reach (its rounded end and outline stay out of sight). */
const EDGE_PX = 4;

/**
 * Where a span of the axis lands in the plot, cut to the plot (plus EDGE_PX): nothing placed
 * reaches beyond the drawing, so no element is wider than the page that holds it. `hidden` when
 * it is entirely out of view. The pages' script applies the same rule when it zooms and pans.
 */
export function clampSpan(x0: number, x1: number, plotPx: number, minPx: number): { x: number; w: number; hidden: boolean } {
  const hidden = x1 < -EDGE_PX || x0 > plotPx + EDGE_PX;
  const x = Math.min(Math.max(x0, -EDGE_PX), plotPx + EDGE_PX);
  const end = Math.min(Math.max(x1, x0 + minPx), plotPx + EDGE_PX);
  return { x, w: Math.max(0, end - x), hidden };
}

function bar(o: Operation, top: number, X: (p: number) => number, plotPx: number, window: { from: number; to: number }, hl: boolean, isBlocked: boolean): string {
  const open = o.ret === Infinity;
  const p0 = Math.max(o.call, window.from - 0.5) + INSET;
  const p1 = (open ? window.to + 1.5 : Math.min(o.ret, window.to + 0.5) + 1) - INSET;
  const { x, w, hidden } = clampSpan(X(p0), X(p1), plotPx, 3);
  const cls = `${o.status}${hl ? ' hl' : ''}${isBlocked ? ' bl' : ''}`;
  const full = fitCells(label(o), 200);
  const textX = Math.max(x, 0) + 3;
  const cells = Math.floor((Math.min(x + w, plotPx) - textX - 3) / CHAR_PX);
  return `<g class="op" data-call="${o.call}" data-ret="${open ? 'open' : o.ret}" data-id="${o.id}" data-p0="${round(p0)}" data-p1="${round(p1)}" data-label="${escapeXml(full)}"${hidden ? ' display="none"' : ''}>`
    + `<rect class="${cls}" x="${round(x)}" y="${top}" width="${round(w)}" height="${BAR_PX}" rx="3"/>`
    + `<text x="${round(textX)}" y="${top + 13}">${cells >= 2 ? escapeXml(fitCells(full, cells)) : ''}</text>`
    + `<title>${escapeXml(tooltip(o))}</title></g>`;
}

function band(b: FaultBand, text: string, anchor: number, row: number, X: (p: number) => number, plotPx: number, window: { from: number; to: number }, top: number, bottom: number): string {
  const p0 = Math.max(b.from, window.from - 0.5);
  const p1 = Math.min(b.to, window.to + 1.5);
  const c = clampSpan(X(p0), X(p1), plotPx, 2);
  const rect = `<rect class="fault" data-p0="${round(p0)}" data-p1="${round(p1)}" x="${round(c.x)}" y="${top}" width="${round(c.w)}" height="${bottom - top}"${c.hidden ? ' display="none"' : ''}><title>${escapeXml(b.label)}</title></rect>`;
  if (row < 0) return rect;
  const x = X(anchor) + 2;
  return `${rect}<text class="fault-label" data-p0="${round(anchor)}" x="${round(x)}" y="${top + row * ROW_PX + 10}"${outside(x, textPx(text), plotPx) ? ' display="none"' : ''}>${escapeXml(text)}<title>${escapeXml(b.label)}</title></text>`;
}

/** A label that would not fit whole in the plot is not shown (rather than cut or overlapping). */
function outside(x: number, w: number, plotPx: number): boolean {
  return x < -0.5 || x + w > plotPx + 0.5;
}

/** Ticks in positions (and the time of the event there), with faint grid lines through the lanes. */
function axisTicks(window: { from: number; to: number }, shown: { from: number; to: number }, scale: number, times: readonly (number | null)[], axisPx: number, bottom: number): string[] {
  const every = tickSpacing(scale, TICK_GAP_PX);
  const known = times.filter((t): t is number => t !== null);
  const deltaNs = known.length > 1 ? ((known[known.length - 1]! - known[0]!) / Math.max(1, times.length)) * every : 1e9;
  const out: string[] = [];
  const plotPx = (shown.to - shown.from + 1) * scale;
  for (let p = Math.ceil(shown.from / every) * every; p <= shown.to; p += every) {
    const x = (p - shown.from) * scale;
    const t = times[p - window.from] ?? null;
    out.push(`<rect class="vt-grid" x="${round(x)}" y="${axisPx - 3}" width="1" height="${bottom - axisPx + 3}"/>`);
    // A tick's text that would run past the plot's end is left out (never cut).
    if (!outside(x, textPx(String(p)), plotPx)) out.push(`<text x="${round(x)}" y="11">${p}</text>`);
    const time = t === null ? undefined : formatSeconds(t, deltaNs);
    if (time !== undefined && !outside(x, textPx(time), plotPx)) out.push(`<text x="${round(x)}" y="${11 + TIME_AXIS_PX}">${escapeXml(time)}</text>`);
  }
  return out;
}

/** The time (ns) of the event at each position of the window, null where the history has none. */
function timesOf(ops: readonly Op[], window: { from: number; to: number }): (number | null)[] {
  const times = new Array<number | null>(window.to - window.from + 1).fill(null);
  for (const op of ops) {
    if (op.index >= window.from && op.index <= window.to && typeof op.time === 'number' && Number.isFinite(op.time)) times[op.index - window.from] = op.time;
  }
  return times;
}

/** The operations to draw: those in the window, outlined ones first when there are too many. */
function drawnOperations(operations: readonly Operation[], window: { from: number; to: number }, highlight: ReadonlySet<number>, max: number): Operation[] {
  const inWindow = operations.filter((o) => o.call <= window.to && o.ret >= window.from);
  if (inWindow.length <= max) return inWindow;
  const outlined = inWindow.filter((o) => highlight.has(o.id));
  const rest = inWindow.filter((o) => !highlight.has(o.id)).slice(0, Math.max(0, max - outlined.length));
  return [...outlined, ...rest].sort((a, b) => a.call - b.call);
}

function highlightedIds(report: Report | undefined): Set<number> {
  const ids = new Set<number>();
  const cx = report?.linearizability?.counterexample;
  if (cx !== undefined) {
    for (const o of cx.witness.operations) ids.add(o.id);
    ids.add(cx.blocked.id);
  }
  return ids;
}

function defaultWindow(history: History, highlight: ReadonlySet<number>, operationsMax: number): { from: number; to: number } {
  const ops = history.operations;
  if (ops.length === 0) return { from: 0, to: 0 };
  const end = (o: Operation): number => (o.ret === Infinity ? o.call : o.ret);
  const chosen = ops.filter((o) => highlight.has(o.id));
  if (chosen.length === 0) {
    const last = ops[Math.min(ops.length, operationsMax) - 1]!;
    return { from: ops[0]!.call, to: Math.max(...ops.slice(0, operationsMax).map(end), last.call) };
  }
  const from = Math.min(...chosen.map((o) => o.call));
  const to = Math.max(...chosen.map(end));
  const pad = Math.max(4, Math.floor((to - from) * 0.1));
  return { from: Math.max(0, from - pad), to: to + pad };
}

/** What an operation did: its function and value (the result, once it completed ok). */
function label(op: Operation): string {
  return `${op.f} ${showValue(op.status === 'ok' && op.output !== undefined ? op.output : op.input)}`;
}

function tooltip(op: Operation): string {
  const lines = [
    `#${op.id} process ${String(op.process)} ${op.f}`,
    `status: ${op.status}`,
    `invoked at ${op.call}${op.ret === Infinity ? ', never completed (indeterminate)' : `, completed at ${op.ret}`}`,
    `input: ${showValue(op.input)}`,
  ];
  if (op.status === 'ok') lines.push(`output: ${showValue(op.output)}`);
  if (op.node !== undefined) lines.push(`node: ${String(op.node)}`);
  return lines.join('\n');
}

function round(n: number): string {
  return (Math.round(n * 100) / 100).toString();
}

function compareProcess(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a !== typeof b) return typeof a === 'number' ? -1 : 1;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}
