import type { IsolationResult, LevelsResult } from '@verdict/checker';
import { cycleDownloadPath, cycleFigure, cycleGraphSvg } from '../cycle-graph.js';
import { html, type Html } from '../html.js';
import { edgesList, operationsTable, transactionsTable } from '../operations-view.js';

const ANOMALIES_SHOWN_MAX = 30;
const VIOLATIONS_SHOWN_MAX = 10;

/** Each isolation anomaly: its type, the levels it rules out, its sentence, its cycle graph, transactions and edges. */
export function isolationAnomaliesSection(iso: IsolationResult, jobId: string): Html {
  if (iso.anomalies.length === 0) return html``;
  const items = iso.anomalies.slice(0, ANOMALIES_SHOWN_MAX).map((a, i) => html`<div class="anomaly" id="anomaly-${i}">
<h3>${a.type} <span class="muted small">rules out ${a.rulesOut.join(', ')}</span></h3>
<p class="sentence">${a.sentence}</p>
${cycleFigure(cycleGraphSvg(String(a.type), a.sentence, a), cycleDownloadPath(jobId, i))}
${transactionsTable(a.transactions)}
${edgesList(a.edges)}
</div>`);
  const more = iso.anomalies.length - ANOMALIES_SHOWN_MAX;
  return html`<section class="card" id="isolation-anomalies">
<h2>Isolation anomalies (${iso.anomalies.length})</h2>
${items}
${more > 0 ? html`<p class="muted small">… and ${more} more in the JSON report</p>` : ''}
</section>`;
}

/** The violated consistency levels' witnesses: one sentence and the few operations each. */
export function violationsSection(levels: LevelsResult): Html {
  const violated = levels.levels.filter((l) => (l.violations?.length ?? 0) > 0);
  if (violated.length === 0) return html``;
  // Folded, but for the weakest violated level (the most telling): a run can break every level many times.
  const blocks = violated.map((l, i) => {
    const shown = l.violations!.slice(0, VIOLATIONS_SHOWN_MAX).map((v) => html`<div class="violation">
<p class="sentence"><span class="badge st-violated">${v.kind}</span>${v.scope !== undefined ? html` <span class="muted small">${v.scope}</span>` : ''} ${v.sentence}</p>
${operationsTable(v.operations)}
</div>`);
    const more = l.violations!.length - VIOLATIONS_SHOWN_MAX;
    return html`<details id="violations-${l.level}"${i === violated.length - 1 ? ' open' : ''}><summary><strong>${l.level}</strong>: ${l.violations!.length} violation(s)</summary>
${shown}${more > 0 ? html`<p class="muted small">… and ${more} more</p>` : ''}</details>`;
  });
  return html`<section class="card" id="violations"><h2>Consistency violations</h2>${blocks}</section>`;
}
