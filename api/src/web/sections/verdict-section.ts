import type { Report } from '@verdict/checker';
import { asRecord, badge, duration, shortJson } from '../format.js';
import { html, type Html } from '../html.js';

/** The headline and every level's own result: holds, violated (with how often) or unknown (why). */
export function verdictSection(report: Report): Html {
  const v = report.verdict;
  const h = report.history;
  return html`<section class="card" id="verdict">
<h2>Verdict ${badge(v.outcome)}</h2>
<p class="sentence">${v.summary}</p>
<dl class="facts">
${v.consistency !== undefined ? html`<dt>strongest consistency</dt><dd><strong>${v.consistency}</strong></dd>` : ''}
${v.isolation !== undefined ? html`<dt>strongest isolation</dt><dd><strong>${v.isolation}</strong></dd>` : ''}
<dt>history</dt><dd>${h.operations} operations, ${h.processes} processes, ${h.events} events${h.faults > 0 ? `, ${h.faults} fault events` : ''}</dd>
${report.model !== undefined ? html`<dt>model</dt><dd class="mono">${report.model}</dd>` : ''}
${invariantsFact(report)}
<dt>checked in</dt><dd>${duration(report.elapsedMs)}</dd>
</dl>
${(h.warnings ?? []).map((w) => html`<p class="small muted">warning: ${w}</p>`)}
${consistencyLevels(report)}
${isolationLevels(report)}
</section>`;
}

/** The invariants at a glance: those that do not hold by name, with a link to their section. */
function invariantsFact(report: Report): Html {
  const invariants = report.invariants ?? [];
  if (invariants.length === 0) return html``;
  const notHeld = invariants.map((inv, i) => ({ inv, i })).filter(({ inv }) => inv.status !== 'holds');
  const held = invariants.length - notHeld.length;
  return html`<dt>invariants</dt><dd>${notHeld.map(({ inv, i }) => html`<a href="#invariant-${i}" class="mono">${inv.name}</a> ${badge(inv.status)}, `)}<a href="#invariants">${held === invariants.length ? `all ${held} hold` : `${held} of ${invariants.length} hold`}</a></dd>`;
}

function consistencyLevels(report: Report): Html {
  const levels = report.consistency?.levels;
  if (levels === undefined) {
    const lin = report.linearizability;
    if (lin === undefined) return html``;
    const status = lin.outcome === 'ok' ? 'holds' : lin.outcome === 'illegal' ? 'violated' : 'unknown';
    return html`<h3>Consistency</h3><table class="grid"><thead><tr><th>level</th><th>result</th><th>detail</th></tr></thead>
<tbody><tr><td>strong (linearizable)</td><td>${badge(status)}</td><td>${lin.cause?.message ?? ''}<span class="muted small">${lin.outcome === 'ok' || lin.outcome === 'illegal' ? ' weaker levels were not checked (submit with levels=true)' : ''}</span></td></tr></tbody></table>`;
  }
  const rows = levels.map((l) => {
    const count = l.violations?.length ?? 0;
    const details = l.details !== undefined && Object.keys(l.details).length > 0
      ? html`<details><summary class="small">details</summary><pre>${shortJson(asRecord(l.details), 4_000)}</pre></details>`
      : '';
    return html`<tr><td>${l.level}</td><td>${badge(l.status)}</td><td>${count > 0 ? html`<a href="#violations-${l.level}">${count} violation(s)</a> ` : ''}${l.cause ?? ''}${details}</td></tr>`;
  });
  return html`<h3>Consistency levels</h3><table class="grid"><thead><tr><th>level</th><th>result</th><th>detail</th></tr></thead><tbody>${rows}</tbody></table>
${(report.consistency?.notes ?? []).map((n) => html`<p class="small muted">${n}</p>`)}`;
}

function isolationLevels(report: Report): Html {
  const iso = report.isolation;
  if (iso === undefined) return html``;
  const rows = iso.levels.map((l) => html`<tr><td>${l.level}</td><td>${badge(l.status)}</td>
<td>${l.ruledOutBy !== undefined && l.ruledOutBy.length > 0 ? `ruled out by ${l.ruledOutBy.join(', ')}` : ''}${l.cause ?? ''}</td></tr>`);
  const counts = Object.entries(iso.anomalyCounts ?? {}).map(([type, n]) => `${type} × ${n}`).join(', ');
  return html`<h3>Isolation levels <span class="muted small">(${iso.transactions} transactions)</span></h3>
<table class="grid"><thead><tr><th>level</th><th>result</th><th>detail</th></tr></thead><tbody>${rows}</tbody></table>
${counts !== '' ? html`<p class="small">anomalies found: ${counts}</p>` : ''}
${iso.unknown.map((u) => html`<p class="small muted">unknown: ${u.type} — ${u.cause}</p>`)}`;
}
