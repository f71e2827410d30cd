import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Report } from '@verdict/checker';
import type { AppDeps } from '../../http/app-deps.js';
import { isFinished } from '../../http/job-view.js';
import { principalOf } from '../../http/plugins/auth.js';
import { visibleReportJson } from '../../http/report-cache.js';
import { JobIdParamsSchema, type JobIdParams } from '../../http/schemas/common.js';
import { findVisibleJob } from '../../store/job-queries.js';
import { TIMELINE_SCRIPT_FILE } from '../client/static-scripts.js';
import { styleHashesOf } from '../csp.js';
import { asRecord, badge } from '../format.js';
import { html, type Html } from '../html.js';
import { invariantOperations, partsOf, storedHistoryInfo, timelineRequest, timelineSource } from '../job-data.js';
import { sendPage } from '../layout.js';
import { isolationAnomaliesSection, violationsSection } from '../sections/anomalies-section.js';
import { linearizabilitySection } from '../sections/counterexample-section.js';
import { invariantsSection, type ViolationRef } from '../sections/invariants-section.js';
import { jobSummary } from '../sections/job-summary.js';
import { runFactsSection } from '../sections/run-facts-section.js';
import { databaseFactsSection } from '../sections/database-facts-section.js';
import { timelineSection } from '../sections/timeline-section.js';
import { verdictSection } from '../sections/verdict-section.js';
import { requireViewer } from '../session.js';
import { TIMELINE_VIEWS } from '../timeline-view.js';
import { loadTimeline } from '../timeline-window.js';

/** A job still queued or running reloads itself this often (a meta refresh: no script needed). */
const REFRESH_S = 5;

const JobPageQuerySchema = Type.Object({
  timeline: Type.Optional(Type.Union(TIMELINE_VIEWS.map((v) => Type.Literal(v)), { description: 'what the timeline draws (default focus: the witness\'s key and processes)' })),
  violation: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}-[0-9]{1,4}$', description: 'centre the timeline on an invariant\'s violation: `<invariant>-<violation>`, both counted from 0 in the report' })),
}, { additionalProperties: false });

/** One job: what it checked, its verdict and every level, its witnesses, and their timeline. */
export function registerJobPage(app: FastifyInstance, deps: AppDeps): void {
  app.get('/ui/jobs/:id', { schema: { hide: true, params: JobIdParamsSchema, querystring: JobPageQuerySchema }, preHandler: requireViewer(deps.tokens) }, async (request, reply) => {
    const principal = principalOf(request);
    const { id } = request.params as JobIdParams;
    const { timeline: asked = 'focus', violation } = request.query as Static<typeof JobPageQuerySchema>;
    const job = await findVisibleJob(deps.prisma, principal, id);
    const [json, history, parts] = await Promise.all([visibleReportJson(deps, principal, id), storedHistoryInfo(deps, id), partsOf(deps, principal, job)]);
    const report = json === undefined ? undefined : (JSON.parse(json) as Report & { run?: unknown; database?: unknown });
    const invariants = await invariantOperations(deps, job, report, violationRef(violation));
    // Centred on an invariant's violation, the counterexample's key and steps do not apply.
    const byWitness = invariants.chosen === undefined;
    const source = byWitness ? timelineSource(job, report, parts) : { jobId: job.id, focus: invariants.focus };
    const view = source.focus.length === 0 ? 'all' : asked;
    const timeline = await loadTimeline(deps.prisma, source.jobId, source.focus, { ...(byWitness ? timelineRequest(report, view, asRecord(job.spec).init) : { view }), fluid: true });
    const key = byWitness ? report?.linearizability?.counterexample?.partition : undefined;
    const processes = new Set(source.focus.map((f) => String(f.process))).size;
    const summary = jobSummary(job, history, { parent: job.parentId, parts });
    // A finished job opens on its answer (the verdict, the timeline, the witnesses); what was run comes after.
    const body = html`<h1>Job <span class="mono">${job.id}</span> ${badge(job.outcome ?? job.status)}</h1>
${links(job.id, report !== undefined, history !== null)}
${report === undefined ? summary : ''}
${report !== undefined ? verdictSection(report) : html`<section class="card"><p class="muted">No report yet: the job is ${job.status}.</p></section>`}
${timeline !== undefined ? timelineSection(timeline, { jobId: job.id, ...(source.jobId !== job.id ? { partId: source.jobId } : {}), ...(key !== undefined && key !== '' ? { key } : {}), processes, subject: byWitness ? 'witness' : 'violation' }) : ''}
${report?.linearizability !== undefined ? linearizabilitySection(report.linearizability) : ''}
${report?.isolation !== undefined ? isolationAnomaliesSection(report.isolation, job.id) : ''}
${report?.consistency !== undefined ? violationsSection(report.consistency) : ''}
${report?.invariants !== undefined ? invariantsSection(report.invariants, { page: `/ui/jobs/${job.id}`, located: invariants.located, searched: invariants.searched, ...(invariants.chosen !== undefined ? { focused: invariants.chosen } : {}) }) : ''}
${report?.run !== undefined ? runFactsSection(report.run) : ''}
${report?.database !== undefined ? databaseFactsSection(report.database) : ''}
${report !== undefined ? summary : ''}`;
    return sendPage(reply, {
      title: `Job ${job.id.slice(0, 8)}`,
      principal,
      body,
      styleHashes: timeline !== undefined ? styleHashesOf(timeline.svg) : [],
      ...(timeline !== undefined ? { scripts: [TIMELINE_SCRIPT_FILE] } : {}),
      ...(isFinished(job.status) ? {} : { refreshSeconds: REFRESH_S }),
    });
  });
}

/** The `violation` query value as numbers (its pattern is checked by the schema). */
function violationRef(param: string | undefined): ViolationRef | undefined {
  if (param === undefined) return undefined;
  const [invariant, violation] = param.split('-').map(Number);
  return { invariant: invariant!, violation: violation! };
}

function links(id: string, hasReport: boolean, hasHistory: boolean): Html {
  const base = `/ui/jobs/${id}`;
  return html`<nav class="links card small" aria-label="downloads">
${hasReport ? html`<a href="${base}/report.json">JSON report</a><a href="${base}/report.txt">text report</a><a href="${base}/junit.xml">JUnit XML</a>` : ''}
${hasHistory ? html`<a href="${base}/history.jsonl">raw history (JSONL)</a>` : ''}
<span class="muted">API: <code>GET /jobs/${id}/report</code> with a token</span>
</nav>`;
}
