import { asArray, asRecord, processName, shortJson } from './format.js';
import { html, type Html } from './html.js';

/**
 * Operations, transactions and dependency edges as tables. They read stored report JSON, so
 * every field is treated as unknown and every value is escaped text.
 */

const OPS_SHOWN_MAX = 50;

/** Rows that are steps of a linearization the page's script can step through (`#lin-<seq>-<n>`). */
export interface StepRows {
  seq: string;
  /** The number of the first row's step. */
  first: number;
  /** The last row is the operation that cannot go next. */
  blockedLast?: boolean;
  /** Where the step links point: this page (the default) or it reloaded with another timeline (`/ui/jobs/…?…`). */
  page?: string;
}

/** Operations (a witness, a prefix, a violation's few): id, process, span, what, outcome. */
export function operationsTable(ops: unknown, options: { highlight?: ReadonlySet<number>; state?: boolean; steps?: StepRows } = {}): Html {
  const list = asArray(ops);
  if (list.length === 0) return html`<p class="muted">none</p>`;
  const shown = list.slice(0, OPS_SHOWN_MAX);
  const rows = shown.map((raw, i) => {
    const step = asRecord(raw);
    // Prefix steps are `{ op, state }`; plain operations are the op itself.
    const op = options.state === true && step.op !== undefined ? asRecord(step.op) : step;
    const id = typeof op.id === 'number' ? op.id : undefined;
    const witness = id !== undefined && options.highlight?.has(id) === true;
    const what = typeof op.description === 'string' ? op.description : `${String(op.f)} ${shortJson(op.input)}`;
    const s = options.steps;
    const n = s === undefined ? 0 : s.first + i;
    const blocked = s?.blockedLast === true && i === shown.length - 1;
    const stepData = s === undefined ? '' : html` data-seq="${s.seq}" data-step="${n}" data-call="${String(op.call ?? '')}" data-ret="${op.ret === null || op.ret === undefined ? 'open' : String(op.ret)}"${options.state === true ? html` data-state="${String(step.state ?? '')}"` : ''} data-what="${what}"${blocked ? html` data-blocked` : ''}`;
    const idCell = s === undefined ? html`#${String(op.id ?? '?')}` : html`<a href="${s.page ?? ''}#lin-${s.seq}-${n}" title="${options.state === true ? 'show the steps up to this one on the timeline' : 'show the operations up to this one on the timeline'}">${blocked ? '✕' : `${n}.`} #${String(op.id ?? '?')}</a>`;
    return html`<tr${witness ? html` class="witness"` : ''}${stepData}><td class="mono nowrap">${idCell}</td><td class="mono">${processName(op.process)}</td>
<td class="mono">${span(op.call, op.ret)}</td><td class="mono wrap">${what}</td><td>${statusWord(op.status)}</td>${options.state === true ? html`<td class="mono wrap">${String(step.state ?? '')}</td>` : ''}</tr>`;
  });
  return html`<div class="table-fit"><table class="grid"><thead><tr><th>${options.steps !== undefined && options.state === true ? 'step' : 'op'}</th><th>process</th><th>positions</th><th>operation</th><th>outcome</th>${options.state === true ? html`<th>state after</th>` : ''}</tr></thead>
<tbody>${rows}</tbody></table></div>${list.length > OPS_SHOWN_MAX ? html`<p class="muted small">… and ${list.length - OPS_SHOWN_MAX} more</p>` : ''}`;
}

/** Micro-ops shown before the rest are folded behind an expander. */
const MOPS_SHOWN = 4;

/** An isolation anomaly's transactions with their micro-ops as completed (long lists folded). */
export function transactionsTable(transactions: unknown): Html {
  const list = asArray(transactions);
  if (list.length === 0) return html``;
  const rows = list.slice(0, OPS_SHOWN_MAX).map((raw) => {
    const t = asRecord(raw);
    return html`<tr><td class="mono">${String(t.name ?? '?')}</td><td class="mono">${processName(t.process)}</td>
<td class="mono">${span(t.call, t.ret)}</td><td>${statusWord(t.status)}</td><td class="mono wrap">${microOps(t.ops)}</td></tr>`;
  });
  return html`<div class="table-fit"><table class="grid"><thead><tr><th>txn</th><th>process</th><th>positions</th><th>outcome</th><th>micro-ops</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** Micro-ops one per line as JSON; past a few, or when long, the rest behind an expander. */
export function microOps(ops: unknown): Html {
  const list = asArray(ops).map((m) => shortJson(m, 400));
  const long = list.length > MOPS_SHOWN || list.some((m) => m.length > 120);
  if (!long) return html`${list.map((m) => html`<div>${m}</div>`)}`;
  const head = list.slice(0, MOPS_SHOWN).map((m) => (m.length > 120 ? `${m.slice(0, 119)}…` : m));
  return html`<details class="mops"><summary><span class="fold-head">${head.map((m) => html`<div>${m}</div>`)}<span class="muted small">${list.length > MOPS_SHOWN ? `show all ${list.length} micro-ops` : 'show in full'}</span></span><span class="fold-open muted small">${list.length} micro-op(s):</span></summary>
${list.map((m) => html`<div>${m}</div>`)}</details>`;
}

/** Dependency edges: `T1 -wr(x)→ T2` and why. */
export function edgesList(edges: unknown): Html {
  const list = asArray(edges);
  if (list.length === 0) return html``;
  const items = list.slice(0, OPS_SHOWN_MAX).map((raw) => {
    const e = asRecord(raw);
    const key = e.key !== undefined ? `(${shortJson(e.key, 80)}${e.value !== undefined ? ` = ${shortJson(e.value, 80)}` : ''})` : '';
    return html`<li><span class="mono">${String(e.from ?? '?')} –${String(e.kind ?? '?')}${key}→ ${String(e.to ?? '?')}</span>${typeof e.why === 'string' ? html` <span class="muted">${e.why}</span>` : ''}</li>`;
  });
  return html`<ul class="edges wrap">${items}</ul>`;
}

/** History positions of an invocation and its completion (open: `…`). */
function span(call: unknown, ret: unknown): string {
  return `[${String(call ?? '?')}, ${ret === null || ret === undefined ? '…' : String(ret)}]`;
}

function statusWord(status: unknown): string {
  if (status === 'ok') return 'ok';
  if (status === 'fail') return 'failed';
  if (status === 'info') return 'indeterminate';
  return String(status ?? '?');
}
