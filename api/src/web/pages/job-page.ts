import type { FastifyInstance } from 'fastify';
import type { Report } from '@verdict/checker';
import type { AppDeps } from '../../http/app-deps.js';
import { isFinished } from '../../http/job-view.js';
import { principalOf } from '../../http/plugins/auth.js';
import { visibleReportJson } from '../../http/report-cache.js';
import { JobIdParamsSchema, type JobIdParams } from '../../http/schemas/common.js';
import { findVisibleJob } from '../../store/job-queries.js';
import { styleHashesOf } from '../csp.js';
import { badge } from '../format.js';
import { html, trustedSvg, type Html } from '../html.js';
import { partsOf, storedHistoryInfo, timelineSource } from '../job-data.js';
import { sendPage } from '../layout.js';
import { isolationAnomaliesSection, violationsSection } from '../sections/anomalies-section.js';
import { linearizabilitySection } from '../sections/counterexample-section.js';
import { jobSummary } from '../sections/job-summary.js';
import { runFactsSection } from '../sections/run-facts-section.js';
import { verdictSection } from '../sections/verdict-section.js';
import { requireViewer } from '../session.js';
import { loadTimeline, type TimelineView } from '../timeline-window.js';

/** A job still queued or running reloads itself this often (a meta refresh: no script needed). */
const REFRESH_S = 5;

/** One job: what it checked, its verdict and every level, its witnesses, and their timeline. */
export function registerJobPage(app: FastifyInstance, deps: AppDeps): void {
  app.get('/ui/jobs/:id', { schema: { hide: true, params: JobIdParamsSchema }, preHandler: requireViewer(deps.tokens) }, async (request, reply) => {
    const principal = principalOf(request);
    const { id } = request.params as JobIdParams;
    const job = await findVisibleJob(deps.prisma, principal, id);
    const [json, history, parts] = await Promise.all([visibleReportJson(deps, principal, id), storedHistoryInfo(deps, id), partsOf(deps, principal, job)]);
    const report = json === undefined ? undefined : (JSON.parse(json) as Report & { run?: unknown });
    const source = timelineSource(job, report, parts);
    const timeline = await loadTimeline(deps.prisma, source.jobId, source.focus);
    const body = html`<h1>Job <span class="mono">${job.id}</span> ${badge(job.outcome ?? job.status)}</h1>
${links(job.id, report !== undefined, history !== null)}
${jobSummary(job, history, { parent: job.parentId, parts })}
${report !== undefined ? verdictSection(report) : html`<section class="card"><p class="muted">No report yet: the job is ${job.status}.</p></section>`}
${report?.run !== undefined ? runFactsSection(report.run) : ''}
${timeline !== undefined ? timelineSection(timeline, source.jobId === job.id ? undefined : source.jobId) : ''}
${report?.linearizability !== undefined ? linearizabilitySection(report.linearizability) : ''}
${report?.isolation !== undefined ? isolationAnomaliesSection(report.isolation) : ''}
${report?.consistency !== undefined ? violationsSection(report.consistency) : ''}`;
    return sendPage(reply, {
      title: `Job ${job.id.slice(0, 8)}`,
      principal,
      body,
      styleHashes: timeline !== undefined ? styleHashesOf(timeline.svg) : [],
      ...(isFinished(job.status) ? {} : { refreshSeconds: REFRESH_S }),
    });
  });
}

function links(id: string, hasReport: boolean, hasHistory: boolean): Html {
  const base = `/ui/jobs/${id}`;
  return html`<nav class="links card small" aria-label="downloads">
${hasReport ? html`<a href="${base}/report.json">JSON report</a><a href="${base}/report.txt">text report</a><a href="${base}/junit.xml">JUnit XML</a>` : ''}
${hasHistory ? html`<a href="${base}/history.jsonl">raw history (JSONL)</a>` : ''}
<span class="muted">API: <code>GET /jobs/${id}/report</code> with a token</span>
</nav>`;
}

function timelineSection(t: TimelineView, partId: string | undefined): Html {
  const outlined = t.focus === 0
    ? 'no witness to outline'
    : t.outlined === t.focus
      ? `the ${t.outlined} operation(s) of the witness are outlined in red`
      : `${t.outlined} of the witness's ${t.focus} operation(s) found in this window and outlined`;
  return html`<section class="card" id="timeline">
<h2>Timeline</h2>
<p class="small muted">Positions ${t.from}–${t.to} of ${t.events} history events${partId !== undefined ? html`, from <a href="/ui/jobs/${partId}">the part</a> that holds the failing key` : ''};
${outlined}.${t.clipped ? ' The witness spans more than one window: this one is centred on the operation that cannot be linearized.' : ''}
${t.chunksSkipped > 0 ? ' Part of this stretch of the history was too large to read here: download the history for all of it.' : ''}
${t.numbering === 'positions' ? ' Operations are numbered by the position of their invocation here, not as in the report.' : ''}
Hover a bar for the operation's details.</p>
<div class="timeline">${trustedSvg(t.svg)}</div>
</section>`;
}
