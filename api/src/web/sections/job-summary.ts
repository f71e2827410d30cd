import type { Job } from '../../generated/prisma/client.js';
import { asRecord, badge, between, bytes, shortJson, when } from '../format.js';
import { html, type Html } from '../html.js';

export interface StoredHistoryInfo {
  format: string;
  source: string | null;
  events: number;
  bytes: bigint;
  storedBytes: bigint;
}

export interface PartRow {
  id: string;
  partIndex: number | null;
  status: string;
  outcome: string | null;
  spec: unknown;
}

/** What was checked or run, when, how far it got, and how it ended if it failed. */
export function jobSummary(job: Job, history: StoredHistoryInfo | null, family: { parent: string | null; parts: PartRow[] }): Html {
  const spec = asRecord(job.spec);
  const error = job.error === null ? null : asRecord(job.error);
  const progress = job.progress === null ? null : asRecord(job.progress);
  return html`<section class="card" id="job">
<h2>${job.kind === 'run' ? 'Protocol run' : job.kind === 'test' ? 'Database test' : 'History check'}</h2>
<dl class="facts">
<dt>status</dt><dd>${badge(job.status)} <span class="muted small">attempt ${job.attempts} of ${job.maxAttempts}</span></dd>
${job.team !== null ? html`<dt>team</dt><dd>${job.team}</dd>` : ''}
${job.kind === 'run' ? runSpec(spec) : job.kind === 'test' ? testSpec(spec) : checkSpec(job, spec, history)}
<dt>created</dt><dd>${when(job.createdAt)}</dd>
<dt>started</dt><dd>${when(job.startedAt)} <span class="muted small">queued ${between(job.createdAt, job.startedAt)}</span></dd>
<dt>finished</dt><dd>${when(job.finishedAt)} <span class="muted small">ran ${between(job.startedAt, job.finishedAt)}</span></dd>
${progress !== null ? html`<dt>progress</dt><dd>${String(progress.phase ?? '')}${typeof progress.done === 'number' ? html` — ${progress.done}${typeof progress.total === 'number' ? ` of ${progress.total}` : ''}` : ''}</dd>` : ''}
${family.parent !== null ? html`<dt>part of</dt><dd><a href="/ui/jobs/${family.parent}">job ${family.parent}</a> (part ${(job.partIndex ?? 0) + 1})</dd>` : ''}
</dl>
${error !== null ? html`<div class="error-box"><strong>${String(error.code ?? 'error')}</strong>: ${String(error.message ?? '')}</div>` : ''}
${family.parts.length > 0 ? partsTable(family.parts, job.partsTotal) : ''}
<details><summary class="small">${job.kind === 'run' ? 'run spec' : job.kind === 'test' ? 'test spec' : 'check options'} as submitted</summary><pre>${JSON.stringify(spec, null, 2)}</pre></details>
</section>`;
}

function runSpec(spec: Record<string, unknown>): Html {
  return html`<dt>protocol</dt><dd class="mono">${String(spec.protocol ?? '?')}</dd>
<dt>nemesis</dt><dd class="mono">${String(spec.nemesis ?? 'default')}</dd>
<dt>seed</dt><dd class="mono">${String(spec.seed ?? '?')}</dd>
${spec.bug !== undefined && spec.bug !== null ? html`<dt>bug</dt><dd class="mono">${String(spec.bug)}</dd>` : ''}
${spec.ops !== undefined ? html`<dt>operations</dt><dd>${String(spec.ops)}</dd>` : ''}`;
}

function testSpec(spec: Record<string, unknown>): Html {
  return html`<dt>target</dt><dd class="mono">${String(spec.target ?? '?')}</dd>
<dt>workload</dt><dd class="mono">${String(spec.workload ?? '?')}</dd>
<dt>isolation</dt><dd class="mono">${String(spec.isolation ?? '?')}</dd>
${spec.ops !== undefined ? html`<dt>transactions</dt><dd>${String(spec.ops)}</dd>` : ''}
${spec.seed !== undefined ? html`<dt>seed</dt><dd class="mono">${String(spec.seed)}</dd>` : ''}`;
}

function checkSpec(job: Job, spec: Record<string, unknown>, history: StoredHistoryInfo | null): Html {
  return html`<dt>source</dt><dd class="mono">${String(spec.source ?? history?.source ?? 'upload')}</dd>
<dt>format</dt><dd>${String(spec.format ?? history?.format ?? '?')}</dd>
<dt>model</dt><dd class="mono">${job.model ?? (typeof spec.model === 'string' ? spec.model : 'implied by the history')}${spec.init !== undefined ? html` <span class="muted">init ${shortJson(spec.init, 80)}</span>` : ''}</dd>
${history !== null ? html`<dt>history</dt><dd>${history.events} events, ${bytes(history.bytes)} (${bytes(history.storedBytes)} stored)</dd>` : ''}
${spec.levels === true ? html`<dt>levels</dt><dd>every consistency level checked</dd>` : ''}`;
}

function partsTable(parts: PartRow[], total: number | null): Html {
  const rows = parts.map((p) => html`<tr><td><a href="/ui/jobs/${p.id}">part ${(p.partIndex ?? 0) + 1}</a></td><td>${badge(p.status)}</td><td>${badge(p.outcome)}</td>
<td class="mono small">${shortJson(asRecord(p.spec).keys ?? [], 160)}</td></tr>`);
  return html`<h3>Parts (${total ?? parts.length}, checked apart by key)</h3>
<table class="grid"><thead><tr><th>part</th><th>status</th><th>verdict</th><th>keys</th></tr></thead><tbody>${rows}</tbody></table>`;
}
