import type { History, Op, Operation } from '../history/op.js';
import { showValue } from '../models/values.js';
import { escapeXml } from './escape.js';
import type { Report } from './report.js';

export interface TimelineOptions {
  /** Operation ids to outline (a witness, an anomaly's transactions). Defaults from the report. */
  highlight?: ReadonlySet<number>;
  /** History positions to draw; defaults to a window around the highlighted operations. */
  window?: { from: number; to: number };
  /** Most operations drawn (the rest are summarised). Default 600. */
  operationsMax?: number;
  /** Widest drawing, in pixels. Default 1600. */
  widthPxMax?: number;
}

const LANE_PX = 26;
const MARGIN_LEFT_PX = 90;
const MARGIN_TOP_PX = 34;

/**
 * The history as an SVG timeline: one lane per process, one bar per operation from invocation to
 * completion (open-ended when indeterminate), fault periods shaded, the counterexample outlined.
 * Every value from the history is escaped: histories are untrusted input.
 */
export function renderTimelineSvg(history: History, report?: Report, options: TimelineOptions = {}): string {
  const highlight = options.highlight ?? highlightedIds(report);
  const window = options.window ?? defaultWindow(history, highlight, options.operationsMax ?? 600);
  const ops = history.operations.filter((o) => o.call <= window.to && (o.ret === Infinity ? Infinity : o.ret) >= window.from).slice(0, options.operationsMax ?? 600);
  const processes = [...new Set(ops.map((o) => o.process))].sort(compareProcess);
  const lane = new Map(processes.map((p, i) => [p, i]));
  const span = Math.max(1, window.to - window.from + 1);
  const step = Math.max(3, Math.min(40, (options.widthPxMax ?? 1600) / span));
  const x = (pos: number): number => MARGIN_LEFT_PX + (Math.min(Math.max(pos, window.from), window.to + 1) - window.from) * step;
  const width = Math.ceil(x(window.to + 1) + 20);
  const height = MARGIN_TOP_PX + processes.length * LANE_PX + 30;

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="ui-monospace, monospace" font-size="11" role="img" aria-label="history timeline">`);
  parts.push('<style>.ok{fill:#cfe8cf;stroke:#3c7d3c}.fail{fill:#e6e6e6;stroke:#888}.info{fill:#fbe5b6;stroke:#b07d12;stroke-dasharray:4 2}.hl{stroke:#c0392b;stroke-width:2.5}.fault{fill:#f5b7b1;opacity:.35}text{fill:#222}.lane{fill:#555}</style>');
  for (const band of faultBands(history.events, window)) {
    parts.push(`<rect class="fault" x="${x(band.from)}" y="${MARGIN_TOP_PX - 6}" width="${Math.max(2, x(band.to) - x(band.from))}" height="${processes.length * LANE_PX + 6}"><title>${escapeXml(band.label)}</title></rect>`);
    parts.push(`<text x="${x(band.from) + 2}" y="${MARGIN_TOP_PX - 10}">${escapeXml(truncate(band.label, 40))}</text>`);
  }
  processes.forEach((p, i) => {
    parts.push(`<text class="lane" x="6" y="${MARGIN_TOP_PX + i * LANE_PX + 15}">${escapeXml(truncate(`process ${String(p)}`, 14))}</text>`);
  });
  for (const op of ops) {
    const y = MARGIN_TOP_PX + lane.get(op.process)! * LANE_PX;
    const x0 = x(op.call);
    const x1 = op.ret === Infinity ? x(window.to + 1) : x(op.ret) + step * 0.6;
    const cls = `${op.status}${highlight.has(op.id) ? ' hl' : ''}`;
    const label = `${op.f} ${showValue(op.status === 'ok' && op.output !== undefined ? op.output : op.input)}`;
    parts.push(`<g><rect class="${cls}" x="${x0.toFixed(1)}" y="${y}" width="${Math.max(3, x1 - x0).toFixed(1)}" height="${LANE_PX - 6}" rx="3"/>`
      + `<text x="${(x0 + 3).toFixed(1)}" y="${y + 14}">${escapeXml(truncate(label, Math.max(1, Math.floor((x1 - x0) / 6.5))))}</text>`
      + `<title>${escapeXml(tooltip(op))}</title></g>`);
  }
  const hidden = history.operations.length - ops.length;
  parts.push(`<text x="6" y="${height - 10}">${escapeXml(`positions ${window.from}–${window.to}${hidden > 0 ? `; ${hidden} operation(s) outside this window` : ''}`)}</text>`);
  parts.push('</svg>');
  return parts.join('\n');
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

function faultBands(events: readonly Op[], window: { from: number; to: number }): { from: number; to: number; label: string }[] {
  const bands: { from: number; to: number; label: string }[] = [];
  const open: Op[] = [];
  for (const e of events) {
    if (e.type === 'invoke') continue; // Jepsen logs a nemesis op twice; the completion says what happened
    if (/^(start|kill|crash|partition|skew|pause|isolate)/.test(e.f)) open.push(e);
    else if (/^(stop|heal|restart|resume|unskew)/.test(e.f) && open.length > 0) {
      const start = open.shift()!;
      bands.push({ from: start.index, to: e.index, label: `${start.f} ${showValue(start.value)}` });
    }
  }
  for (const start of open) bands.push({ from: start.index, to: window.to + 1, label: `${start.f} ${showValue(start.value)}` });
  return bands.filter((b) => b.to >= window.from && b.from <= window.to);
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

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, Math.max(0, n - 1))}…`;
}

function compareProcess(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}
