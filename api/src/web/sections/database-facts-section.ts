import { asRecord } from '../format.js';
import { html, type Html } from '../html.js';

/**
 * A database test's facts (stored beside the report as `database`): which server, at which
 * isolation level, what the clients saw (committed, refused and why, indeterminate and why), and
 * the command that runs the same operations again.
 */
export function databaseFactsSection(database: unknown): Html {
  const d = asRecord(database);
  if (Object.keys(d).length === 0) return html``;
  const level = asRecord(d.level);
  const reasons = (r: unknown): string => Object.entries(asRecord(r)).map(([k, v]) => `${k} ${String(v)}`).join(', ');
  return html`<section class="card" id="database">
<h2>Database test</h2>
<dl class="facts">
<dt>target</dt><dd class="mono">${String(d.target ?? '?')} (${String(d.serverVersion ?? d.dialect ?? '?')})</dd>
<dt>workload</dt><dd>${String(d.workload ?? '?')}, ${String(d.clients ?? '?')} clients, ${String(d.transactions ?? '?')} transactions, seed ${String(d.seed ?? '?')}</dd>
<dt>isolation</dt><dd>${String(d.isolation ?? '?')}${typeof level.note === 'string' ? html` <span class="muted">— ${level.note}</span>` : ''}</dd>
<dt>committed</dt><dd>${String(d.ok ?? 0)} ok, ${String(d.fail ?? 0)} refused${Number(d.fail) > 0 ? ` (${reasons(d.failReasons)})` : ''}, ${String(d.info ?? 0)} indeterminate${Number(d.info) > 0 ? ` (${reasons(d.infoReasons)})` : ''}</dd>
<dt>connections killed</dt><dd>${String(d.kills ?? 0)}</dd>
${typeof d.command === 'string' ? html`<dt>run again</dt><dd><code>${d.command}</code></dd>` : ''}
</dl>
</section>`;
}
