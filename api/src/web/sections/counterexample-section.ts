import type { Counterexample, LinearizabilityResult } from '@verdict/checker';
import { badge, duration, processName } from '../format.js';
import { html, type Html } from '../html.js';
import { operationsTable } from '../operations-view.js';

const PATHS_SHOWN_MAX = 3;
const ATTEMPTS_SHOWN_MAX = 20;
const PARTITIONS_SHOWN_MAX = 20;

/** The linearizability result and, when it fails, the counterexample a person can follow. */
export function linearizabilitySection(lin: LinearizabilityResult): Html {
  const decided = lin.partitions.filter((p) => p.outcome !== 'unknown').length;
  const notable = lin.partitions.filter((p) => p.outcome !== 'ok').slice(0, PARTITIONS_SHOWN_MAX);
  return html`<section class="card" id="linearizability">
<h2>Linearizability ${badge(lin.outcome, lin.outcome === 'illegal' ? 'not linearizable' : lin.outcome === 'ok' ? 'linearizable' : 'unknown')}</h2>
<p class="small muted">model ${lin.model}; ${lin.operations} operations in ${lin.partitions.length} partition(s), ${decided} decided;
${lin.stats.steps} search steps in ${duration(lin.stats.elapsedMs)}${lin.stats.threads > 1 ? ` on ${lin.stats.threads} threads` : ''}</p>
${lin.cause !== undefined ? html`<p>${lin.outcome === 'unknown' ? 'undecided: ' : 'note: '}${lin.cause.message}</p>` : ''}
${notable.length > 0 && lin.partitions.length > 1 ? html`<p class="small">${notable.map((p) => html`<span class="mono">${JSON.stringify(p.key)}</span> ${badge(p.outcome)} `)}</p>` : ''}
${lin.counterexample !== undefined ? counterexample(lin.counterexample) : ''}
</section>`;
}

function counterexample(cx: Counterexample): Html {
  const witnessIds = new Set(cx.witness.operations.map((o) => o.id));
  const path = cx.finalPaths[0];
  const first = cx.prefixLength - cx.prefix.length + 1;
  const last = cx.prefixLength;
  return html`<div id="counterexample">
${cx.partition !== '' ? html`<p>In partition (key) <code>${JSON.stringify(cx.partition)}</code>:</p>` : ''}
<h3>Witness: ${cx.witness.operations.length} operation(s)${cx.witness.minimal ? ', minimal' : ', shrinking stopped at its budget'}</h3>
<p class="sentence">${cx.witness.explanation}.</p>
${operationsTable(cx.witness.operations)}
<h3>It cannot follow the longest linearizable prefix</h3>
${operationsTable([cx.blocked], { highlight: witnessIds })}
<details class="prefix" data-seq-name="prefix" data-seq-name-text="Longest linearizable prefix"><summary>Longest linearizable prefix: ${cx.prefixLength} operation(s) from initial state <code>${cx.initialState}</code>${cx.prefix.length < cx.prefixLength ? `, the last ${cx.prefix.length} shown` : ''}, with the state after each</summary>
${cx.prefix.length > 0 ? html`<p class="small">Click a step to draw the order chosen up to it on the timeline, with the state after each step${cx.prefix.length > 0 ? html` (<a href="#lin-prefix-${first}">first step</a>, <a href="#lin-prefix-${last}">the whole prefix</a>)` : ''}.</p>` : ''}
${operationsTable(cx.prefix, { state: true, highlight: witnessIds, steps: { seq: 'prefix', first } })}
</details>
${path !== undefined && path.attempts.length > 0 ? finalPaths(cx) : ''}
</div>`;
}

/** Why every pending operation fails at the deepest point the search reached, and the steps that led there. */
function finalPaths(cx: Counterexample): Html {
  const paths = cx.finalPaths.slice(0, PATHS_SHOWN_MAX).map((p, i) => {
    const attempts = p.attempts.slice(0, ATTEMPTS_SHOWN_MAX).map((a) => html`<li><span class="mono">${a.op.description}</span>
<span class="muted small">(#${a.op.id}, process ${processName(a.op.process)})</span>: ${a.reason}</li>`);
    const seq = `path-${i}`;
    const name = `${cx.finalPaths.length > 1 ? `Path ${i + 1}` : 'Final path'}`;
    const rows = [...p.steps, { op: p.blocked, state: 'cannot go next' }];
    return html`<div class="final-path"><p class="small">${cx.finalPaths.length > 1 ? `Path ${i + 1}: ` : ''}after ${p.steps.length} step(s), every pending operation fails:</p>
<ul>${attempts}</ul>${p.attempts.length > ATTEMPTS_SHOWN_MAX ? html`<p class="small muted">… and ${p.attempts.length - ATTEMPTS_SHOWN_MAX} more</p>` : ''}
<details data-seq-name="${seq}" data-seq-name-text="${name}"><summary class="small">its ${p.steps.length} step(s) with the state after each, then the operation that cannot go next — <a href="#lin-${seq}-${p.steps.length + 1}">show them on the timeline</a></summary>
${operationsTable(rows, { state: true, steps: { seq, first: 1, blockedLast: true } })}
</details></div>`;
  });
  const more = cx.finalPaths.length - PATHS_SHOWN_MAX;
  return html`<h3>Final paths</h3>${paths}${more > 0 ? html`<p class="small muted">${more} more path(s) reach the same depth (see the JSON report)</p>` : ''}`;
}
