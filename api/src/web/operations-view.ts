import { asArray, asRecord, processName, shortJson } from './format.js';
import { html, type Html } from './html.js';

/**
 * Operations, transactions and dependency edges as tables. They read stored report JSON, so
 * every field is treated as unknown and every value is escaped text.
 */

const OPS_SHOWN_MAX = 50;

/** Operations (a witness, a prefix, a violation's few): id, process, span, what, outcome. */
export function operationsTable(ops: unknown, options: { highlight?: ReadonlySet<number>; state?: boolean } = {}): Html {
  const list = asArray(ops);
  if (list.length === 0) return html`<p class="muted">none</p>`;
  const rows = list.slice(0, OPS_SHOWN_MAX).map((raw) => {
    const step = asRecord(raw);
    // Prefix steps are `{ op, state }`; plain operations are the op itself.
    const op = options.state === true ? asRecord(step.op) : step;
    const id = typeof op.id === 'number' ? op.id : undefined;
    const witness = id !== undefined && options.highlight?.has(id) === true;
    const what = typeof op.description === 'string' ? op.description : `${String(op.f)} ${shortJson(op.input)}`;
    return html`<tr${witness ? html` class="witness"` : ''}><td class="mono">#${String(op.id ?? '?')}</td><td class="mono">${processName(op.process)}</td>
<td class="mono">${span(op.call, op.ret)}</td><td class="mono">${what}</td><td>${statusWord(op.status)}</td>${options.state === true ? html`<td class="mono">${String(step.state ?? '')}</td>` : ''}</tr>`;
  });
  return html`<table class="grid"><thead><tr><th>op</th><th>process</th><th>positions</th><th>operation</th><th>outcome</th>${options.state === true ? html`<th>state after</th>` : ''}</tr></thead>
<tbody>${rows}</tbody></table>${list.length > OPS_SHOWN_MAX ? html`<p class="muted small">… and ${list.length - OPS_SHOWN_MAX} more</p>` : ''}`;
}

/** An isolation anomaly's transactions with their micro-ops as completed. */
export function transactionsTable(transactions: unknown): Html {
  const list = asArray(transactions);
  if (list.length === 0) return html``;
  const rows = list.slice(0, OPS_SHOWN_MAX).map((raw) => {
    const t = asRecord(raw);
    return html`<tr><td class="mono">${String(t.name ?? '?')}</td><td class="mono">${processName(t.process)}</td>
<td class="mono">${span(t.call, t.ret)}</td><td>${statusWord(t.status)}</td><td class="mono">${shortJson(t.ops, 400)}</td></tr>`;
  });
  return html`<table class="grid"><thead><tr><th>txn</th><th>process</th><th>positions</th><th>outcome</th><th>micro-ops</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Dependency edges: `T1 -wr(x)→ T2` and why. */
export function edgesList(edges: unknown): Html {
  const list = asArray(edges);
  if (list.length === 0) return html``;
  const items = list.slice(0, OPS_SHOWN_MAX).map((raw) => {
    const e = asRecord(raw);
    const key = e.key !== undefined ? `(${shortJson(e.key, 80)})` : '';
    return html`<li><span class="mono">${String(e.from ?? '?')} –${String(e.kind ?? '?')}${key}→ ${String(e.to ?? '?')}</span>${typeof e.why === 'string' ? html` <span class="muted">${e.why}</span>` : ''}</li>`;
  });
  return html`<ul class="edges">${items}</ul>`;
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
