import type { DependencyEdge, TransactionView } from '../isolation/types.js';
import { escapeXml } from './escape.js';
import { fitCells, textPx } from './svg-text.js';

/** What a cycle graph draws: an isolation anomaly's transactions and the edges between them. */
export interface CycleGraphInput {
  type: string;
  sentence?: string;
  transactions: readonly TransactionView[];
  edges: readonly DependencyEdge[];
}

const NODE_W = 178;
const LINE_PX = 13;
const MOPS_SHOWN = 3;
const NODE_CELLS = 25;
const LABEL_CELLS = 34;
const PAD = 16;
const PAIR_BEND_PX = 58;

/** Edge colours and dashes by kind (Elle's palette: data dependencies solid, order edges dashed). */
const KIND_STYLE: Record<string, { color: string; dash?: string }> = {
  ww: { color: '#1f5fa8' },
  wr: { color: '#2e7d32' },
  rw: { color: '#b3261e' },
  wrp: { color: '#2e7d32', dash: '6 3' },
  rwp: { color: '#b3261e', dash: '6 3' },
  realtime: { color: '#6a1b9a', dash: '4 3' },
  process: { color: '#555555', dash: '2 3' },
};
const OTHER_KIND = { color: '#777777', dash: '3 3' };

interface Node {
  name: string;
  txn?: TransactionView;
  x: number;
  y: number;
  h: number;
  lines: string[];
}

/**
 * An isolation anomaly as a small graph, as Elle draws cycles: transactions as boxes (name,
 * process, outcome, first micro-ops), dependency edges as arrows labelled with their kind, key and
 * value. Nodes sit on a circle in the order the edges visit them, so a cycle reads clockwise;
 * parallel and opposite edges between two transactions bend apart. Presentation attributes only
 * (no `<style>`), so it embeds in a page under a strict CSP and stands alone as a download. Every
 * value is escaped: keys and values come from the history. Edges carry `data-from`, `data-to`,
 * `data-kind`, `data-key` and `data-value` for tests and scripts.
 */
export function renderCycleSvg(anomaly: CycleGraphInput): string {
  const nodes = layoutNodes(anomaly);
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const edges = anomaly.edges.filter((e) => byName.has(e.from) && byName.has(e.to) && e.from !== e.to);
  const drawn = edges.map((e, i) => edgeGeometry(e, i, edges, byName));

  const xs = [...nodes.flatMap((n) => [n.x - NODE_W / 2, n.x + NODE_W / 2]), ...drawn.flatMap((d) => [d.lx - d.lw / 2, d.lx + d.lw / 2])];
  const ys = [...nodes.flatMap((n) => [n.y - n.h / 2, n.y + n.h / 2]), ...drawn.flatMap((d) => [d.ly - 9, d.ly + 9])];
  const kinds = [...new Set(edges.map((e) => e.kind))];
  const legend = kinds.map((k) => `${k}: ${KIND_WORDS[k] ?? k}`);
  const legendW = Math.max(0, ...legend.map((l) => textPx(l) + 30));
  const minX = Math.min(...xs) - PAD;
  const maxX = Math.max(Math.max(...xs) + PAD, minX + legendW + PAD);
  const minY = Math.min(...ys) - PAD - 20;
  const legendTop = Math.max(...ys) + PAD;
  const maxY = legendTop + legend.length * 15 + 6;
  const w = Math.ceil(maxX - minX);
  const h = Math.ceil(maxY - minY);

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="cycle-graph" width="${w}" height="${h}" viewBox="${r(minX)} ${r(minY)} ${w} ${h}" font-family="ui-monospace, monospace" font-size="11" role="img" aria-label="${escapeXml(`${anomaly.type}: dependency graph`)}" data-type="${escapeXml(anomaly.type)}">`);
  out.push(`<title>${escapeXml(anomaly.sentence !== undefined ? `${anomaly.type}: ${anomaly.sentence}` : anomaly.type)}</title>`);
  out.push(`<rect x="${r(minX)}" y="${r(minY)}" width="${w}" height="${h}" fill="#ffffff"/>`);
  out.push(`<text x="${r(minX + PAD)}" y="${r(minY + 16)}" font-weight="700" fill="#1d232a">${escapeXml(fitCells(anomaly.type, 40))}</text>`);
  for (const d of drawn) out.push(d.svg);
  for (const n of nodes) out.push(nodeSvg(n));
  legend.forEach((text, i) => {
    const style = KIND_STYLE[kinds[i]!] ?? OTHER_KIND;
    const y = legendTop + i * 15;
    out.push(`<g class="legend"><line x1="${r(minX + PAD)}" y1="${r(y + 4)}" x2="${r(minX + PAD + 22)}" y2="${r(y + 4)}" stroke="${style.color}" stroke-width="2"${style.dash !== undefined ? ` stroke-dasharray="${style.dash}"` : ''}/>`
      + `<text x="${r(minX + PAD + 28)}" y="${r(y + 8)}" fill="#444">${escapeXml(text)}</text></g>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

const KIND_WORDS: Record<string, string> = {
  ww: 'wrote the next version',
  wr: 'read what the other wrote',
  rw: 'read a version the other overwrote',
  wrp: 'a scan saw what the other wrote',
  rwp: 'a scan missed what the other wrote',
  realtime: 'completed before the other began',
  process: 'ran before the other on one process',
};

/** Nodes in the order the edges visit them, then any other transaction, on a circle (clockwise from the top). */
function layoutNodes(anomaly: CycleGraphInput): Node[] {
  const order: string[] = [];
  for (const e of anomaly.edges) for (const n of [e.from, e.to]) if (!order.includes(n)) order.push(n);
  for (const t of anomaly.transactions) if (!order.includes(t.name)) order.push(t.name);
  const txns = new Map(anomaly.transactions.map((t) => [t.name, t]));
  const n = order.length;
  const radius = n <= 1 ? 0 : n === 2 ? (NODE_W + 150) / 2 : Math.max(150, (NODE_W + 90) / (2 * Math.sin(Math.PI / n)));
  return order.map((name, i) => {
    const txn = txns.get(name);
    const lines = nodeLines(name, txn);
    const angle = n === 2 ? Math.PI * (1 - i) : -Math.PI / 2 + (2 * Math.PI * i) / n;
    return { name, txn, lines, h: 10 + lines.length * LINE_PX, x: radius * Math.cos(angle), y: radius * Math.sin(angle) };
  });
}

function nodeLines(name: string, txn: TransactionView | undefined): string[] {
  if (txn === undefined) return [name];
  const head = `${name} · p ${String(txn.process)} · ${txn.status === 'ok' ? 'ok' : txn.status === 'fail' ? 'aborted' : 'indeterminate'}`;
  const mops = txn.ops.map(showMop);
  const shown = mops.slice(0, MOPS_SHOWN).map((m) => fitCells(m, NODE_CELLS));
  if (mops.length > MOPS_SHOWN) shown.push(`… ${mops.length - MOPS_SHOWN} more`);
  return [fitCells(head, NODE_CELLS), ...shown];
}

function nodeSvg(n: Node): string {
  const x0 = n.x - NODE_W / 2;
  const y0 = n.y - n.h / 2;
  const status = n.txn?.status;
  const stroke = status === 'fail' ? '#888888' : status === 'info' ? '#b07d12' : '#1d232a';
  const dash = status === undefined || status === 'ok' ? '' : ' stroke-dasharray="4 2"';
  const lines = n.lines.map((l, i) => `<text x="${r(x0 + 8)}" y="${r(y0 + 15 + i * LINE_PX)}"${i === 0 ? ' font-weight="700"' : ''} fill="${i === 0 ? '#1d232a' : '#333333'}">${escapeXml(l)}</text>`);
  const title = n.txn === undefined ? n.name : `${n.name}, process ${String(n.txn.process)}, ${n.txn.status}, positions ${n.txn.call}–${n.txn.ret ?? '…'}\n${n.txn.ops.map(showMop).join('\n')}`;
  const process = n.txn === undefined ? '' : ` data-process="${escapeXml(String(n.txn.process))}"`;
  return `<g class="txn" data-name="${escapeXml(n.name)}"${process}><rect x="${r(x0)}" y="${r(y0)}" width="${NODE_W}" height="${n.h}" rx="6" fill="#f7f9fb" stroke="${stroke}" stroke-width="1.5"${dash}/>${lines.join('')}<title>${escapeXml(title)}</title></g>`;
}

/** An edge as a quadratic curve between the two boxes, bent apart from its parallel and opposite edges. */
function edgeGeometry(e: DependencyEdge, index: number, all: readonly DependencyEdge[], nodes: ReadonlyMap<string, Node>): { svg: string; lx: number; ly: number; lw: number } {
  const a = nodes.get(e.from)!;
  const b = nodes.get(e.to)!;
  // Edges between the same two transactions, either way, share a canonical direction for their bends.
  const pair = all.map((x, i) => ({ x, i })).filter(({ x }) => (x.from === e.from && x.to === e.to) || (x.from === e.to && x.to === e.from));
  const k = pair.findIndex((p) => p.i === index);
  const forward = e.from < e.to;
  const [p, q] = forward ? [a, b] : [b, a];
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  const len = Math.max(1, Math.hypot(dx, dy));
  const bend = (k - (pair.length - 1) / 2) * PAIR_BEND_PX * (pair.length > 1 ? 1 : 0);
  const cx = (a.x + b.x) / 2 + (-dy / len) * bend * 2;
  const cy = (a.y + b.y) / 2 + (dx / len) * bend * 2;
  const start = boxExit(a, cx, cy);
  const end = boxExit(b, cx, cy);
  const style = KIND_STYLE[e.kind] ?? OTHER_KIND;
  const lx = 0.25 * start.x + 0.5 * cx + 0.25 * end.x;
  const ly = 0.25 * start.y + 0.5 * cy + 0.25 * end.y;
  const text = fitCells(edgeLabel(e), LABEL_CELLS);
  const lw = textPx(text) + 8;
  const tx = end.x - cx;
  const ty = end.y - cy;
  const tl = Math.max(1, Math.hypot(tx, ty));
  const ux = tx / tl;
  const uy = ty / tl;
  const head = [
    [end.x, end.y],
    [end.x - ux * 10 - uy * 4.5, end.y - uy * 10 + ux * 4.5],
    [end.x - ux * 10 + uy * 4.5, end.y - uy * 10 - ux * 4.5],
  ].map(([x, y]) => `${r(x!)},${r(y!)}`).join(' ');
  const data = `data-from="${escapeXml(e.from)}" data-to="${escapeXml(e.to)}" data-kind="${escapeXml(e.kind)}"${e.key !== undefined ? ` data-key="${escapeXml(showKey(e.key))}"` : ''}${e.value !== undefined ? ` data-value="${escapeXml(showMopValue(e.value))}"` : ''}`;
  const svg = `<g class="edge" ${data}>`
    + `<path d="M${r(start.x)},${r(start.y)} Q${r(cx)},${r(cy)} ${r(end.x - ux * 9)},${r(end.y - uy * 9)}" fill="none" stroke="${style.color}" stroke-width="1.8"${style.dash !== undefined ? ` stroke-dasharray="${style.dash}"` : ''}/>`
    + `<polygon points="${head}" fill="${style.color}"/>`
    + `<rect x="${r(lx - lw / 2)}" y="${r(ly - 8)}" width="${r(lw)}" height="16" rx="3" fill="#ffffff" stroke="${style.color}" stroke-width="0.8"/>`
    + `<text x="${r(lx)}" y="${r(ly + 4)}" text-anchor="middle" fill="${style.color}">${escapeXml(text)}</text>`
    + `<title>${escapeXml(`${e.from} → ${e.to}: ${edgeLabel(e)}${e.why !== undefined ? `\n${e.why}` : ''}`)}</title></g>`;
  return { svg, lx, ly, lw };
}

/** `rw x = 3`: the kind, the key and the value the dependency is about. */
export function edgeLabel(e: DependencyEdge): string {
  if (e.key === undefined) return e.kind;
  return `${e.kind} ${showKey(e.key)}${e.value !== undefined ? ` = ${showMopValue(e.value)}` : ''}`;
}

/** Where the segment from a box's centre towards (tx, ty) leaves the box. */
function boxExit(n: Node, tx: number, ty: number): { x: number; y: number } {
  const dx = tx - n.x;
  const dy = ty - n.y;
  if (dx === 0 && dy === 0) return { x: n.x, y: n.y };
  const sx = dx === 0 ? Infinity : (NODE_W / 2 + 2) / Math.abs(dx);
  const sy = dy === 0 ? Infinity : (n.h / 2 + 2) / Math.abs(dy);
  const s = Math.min(sx, sy, 1);
  return { x: n.x + dx * s, y: n.y + dy * s };
}

/** A micro-op as Elle prints it: `append 9 5`, `r 6 nil`, `r 9 [1 2]`. */
export function showMop(mop: unknown): string {
  if (!Array.isArray(mop)) return showMopValue(mop);
  return mop.map(showMopValue).join(' ');
}

function showKey(k: unknown): string {
  return typeof k === 'string' && /^[\w.:-]+$/.test(k) ? k : showMopValue(k);
}

function showMopValue(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return v.length > 8 ? `[${[...v.slice(0, 3).map(showMopValue), '…', ...v.slice(-3).map(showMopValue)].join(' ')}]` : `[${v.map(showMopValue).join(' ')}]`;
  if (typeof v === 'object') {
    try {
      return JSON.stringify(v);
    } catch {
      return String(v);
    }
  }
  return typeof v === 'string' && !/^[\w.:-]+$/.test(v) ? JSON.stringify(v) : String(v);
}

function r(n: number): string {
  return (Math.round(n * 10) / 10).toString();
}
