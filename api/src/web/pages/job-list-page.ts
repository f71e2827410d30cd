import type { FastifyInstance } from 'fastify';
import type { Job } from '../../generated/prisma/client.js';
import type { AppDeps } from '../../http/app-deps.js';
import { principalOf } from '../../http/plugins/auth.js';
import { JOB_STATUSES, OUTCOMES } from '../../http/schemas/job.js';
import { listJobs } from '../../store/job-queries.js';
import { KNOWN_ANOMALY_TYPES, KNOWN_PROTOCOLS, JobListPageQuerySchema, pager, present, select, textFilter, type JobListPageQuery } from '../filters.js';
import { asRecord, badge, when } from '../format.js';
import { html, link, type Html } from '../html.js';
import { sendPage } from '../layout.js';
import { requireViewer } from '../session.js';

const PAGE_JOBS = 50;
const TYPES_SHOWN_MAX = 6;

/**
 * The job list, newest first: the JSON API's query (the team filter, the indexed `seq` cursor)
 * plus one grouped query for the anomaly types of the jobs on the page.
 */
export function registerJobListPage(app: FastifyInstance, deps: AppDeps): void {
  app.get('/ui', { schema: { hide: true, querystring: JobListPageQuerySchema }, preHandler: requireViewer(deps.tokens) }, async (request, reply) => {
    const principal = principalOf(request);
    const query = present(request.query as JobListPageQuery);
    const page = await listJobs(deps.prisma, principal, { ...query, limit: query.limit ?? PAGE_JOBS });
    const ids = page.items.map((j) => j.id);
    const groups = ids.length === 0 ? [] : await deps.prisma.anomaly.groupBy({ by: ['jobId', 'type'], where: { jobId: { in: ids } }, orderBy: [{ jobId: 'asc' }, { type: 'asc' }] });
    const types = new Map<string, string[]>();
    for (const g of groups) types.set(g.jobId, [...(types.get(g.jobId) ?? []), g.type]);
    const filters = { status: query.status, outcome: query.outcome, kind: query.kind, protocol: query.protocol, anomaly: query.anomaly, limit: query.limit };
    const body = html`<h1>Jobs</h1>
<form class="filters" method="get" action="/ui">
${select('status', 'status', JOB_STATUSES, query.status)}
${select('outcome', 'verdict', OUTCOMES, query.outcome)}
${select('kind', 'kind', ['check', 'run'], query.kind)}
${textFilter('protocol', 'protocol', KNOWN_PROTOCOLS, query.protocol)}
${textFilter('anomaly', 'anomaly type', KNOWN_ANOMALY_TYPES, query.anomaly)}
<button type="submit" class="primary">Filter</button> <a href="/ui">clear</a>
</form>
${page.items.length === 0 ? html`<p class="card muted">No jobs${Object.keys(query).length > 0 ? ' match these filters' : ' yet'}.</p>` : jobsTable(page.items, types)}
${pager('/ui', filters, query.cursor, page.nextCursor)}`;
    return sendPage(reply, { title: 'Jobs', principal, body });
  });
}

function jobsTable(jobs: Job[], types: ReadonlyMap<string, string[]>): Html {
  const rows = jobs.map((job) => {
    const found = types.get(job.id) ?? [];
    return html`<tr><td>${when(job.createdAt)}</td><td><a class="mono" href="/ui/jobs/${job.id}">${job.id.slice(0, 8)}</a></td>
<td>${job.kind}</td><td>${badge(job.status)}</td><td>${what(job)}</td>
<td>${badge(job.outcome)}${job.consistency !== null ? html` <span class="small">consistency <strong>${job.consistency}</strong></span>` : ''}${job.isolation !== null ? html` <span class="small">isolation <strong>${job.isolation}</strong></span>` : ''}</td>
<td class="small">${found.slice(0, TYPES_SHOWN_MAX).map((t) => html`<a href="${link('/ui/anomalies', { type: t, jobId: job.id })}">${t}</a> `)}${found.length > TYPES_SHOWN_MAX ? `+${found.length - TYPES_SHOWN_MAX}` : ''}</td></tr>`;
  });
  return html`<table class="grid jobs"><thead><tr><th>created</th><th>job</th><th>kind</th><th>status</th><th>protocol / source</th><th>verdict</th><th>anomalies</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

/** A run names its protocol and nemesis; a check its file and model. */
function what(job: Job): Html {
  const spec = asRecord(job.spec);
  if (job.kind === 'run') return html`<span class="mono">${job.protocol ?? String(spec.protocol ?? '?')}</span> <span class="muted small">${String(spec.nemesis ?? '')}</span>`;
  const source = typeof spec.source === 'string' ? spec.source : 'upload';
  return html`<span class="mono">${source}</span>${job.model !== null ? html` <span class="muted small">${job.model}</span>` : ''}`;
}
