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
import { runCatalog } from '../run-catalog.js';
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
    const { seed, ...rest } = query;
    const [page, catalog] = await Promise.all([
      listJobs(deps.prisma, principal, { ...rest, ...(seed !== undefined ? { seed: Number(seed) } : {}), limit: query.limit ?? PAGE_JOBS }),
      runCatalog(),
    ]);
    const ids = page.items.map((j) => j.id);
    const groups = ids.length === 0 ? [] : await deps.prisma.anomaly.groupBy({ by: ['jobId', 'type'], where: { jobId: { in: ids } }, orderBy: [{ jobId: 'asc' }, { type: 'asc' }] });
    const types = new Map<string, string[]>();
    for (const g of groups) types.set(g.jobId, [...(types.get(g.jobId) ?? []), g.type]);
    const filters = { status: query.status, outcome: query.outcome, kind: query.kind, protocol: query.protocol, bug: query.bug, scenario: query.scenario, nemesis: query.nemesis, seed: query.seed, anomaly: query.anomaly, limit: query.limit };
    const body = html`<h1>Jobs</h1>
<form class="filters" method="get" action="/ui">
${select('status', 'status', JOB_STATUSES, query.status)}
${select('outcome', 'verdict', OUTCOMES, query.outcome)}
${select('kind', 'kind', ['check', 'run', 'test'], query.kind)}
${textFilter('protocol', 'protocol', KNOWN_PROTOCOLS, query.protocol)}
${textFilter('bug', 'bug', catalog.bugs, query.bug)}
${textFilter('scenario', 'scenario', catalog.scenarios, query.scenario)}
${textFilter('nemesis', 'nemesis', catalog.nemeses, query.nemesis)}
<label>seed<input name="seed" value="${query.seed ?? ''}" inputmode="numeric" pattern="[0-9]*" maxlength="15" size="6" autocomplete="off"></label>
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
    return html`<tr><td>${when(job.createdAt)}</td><td class="nowrap"><a class="mono" href="/ui/jobs/${job.id}">${job.id.slice(0, 8)}</a></td>
<td class="nowrap">${job.kind}</td><td>${badge(job.status)}</td><td class="what">${what(job)}</td>
<td>${badge(job.outcome)}${job.consistency !== null ? html` <span class="small">consistency <strong>${job.consistency}</strong></span>` : ''}${job.isolation !== null ? html` <span class="small">isolation <strong>${job.isolation}</strong></span>` : ''}</td>
<td class="small">${found.slice(0, TYPES_SHOWN_MAX).map((t) => html`<a href="${link('/ui/anomalies', { type: t, jobId: job.id })}">${t}</a> `)}${found.length > TYPES_SHOWN_MAX ? `+${found.length - TYPES_SHOWN_MAX}` : ''}</td></tr>`;
  });
  return html`<table class="grid jobs"><thead><tr><th>created</th><th>job</th><th>kind</th><th>status</th><th>what ran</th><th>verdict</th><th>anomalies</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

/**
 * A run names its protocol, then its bug (or "correct"), scenario, nemesis and seed, each a link
 * to the runs that share it; a check names its file and model.
 */
function what(job: Job): Html {
  const spec = asRecord(job.spec);
  if (job.kind === 'run') {
    const protocol = job.protocol ?? (typeof spec.protocol === 'string' ? spec.protocol : '?');
    const fact = (name: string, value: unknown, text?: string): Html => value === undefined || value === null || value === ''
      ? html``
      : html` <span class="fact small" data-fact="${name}"><span class="muted">${name}</span> <a class="mono" href="${link('/ui', { kind: 'run', protocol, [name]: String(value) })}">${text ?? String(value)}</a></span>`;
    const bug = typeof spec.bug === 'string' && spec.bug !== '' ? spec.bug : undefined;
    return html`<a class="mono" data-fact="protocol" href="${link('/ui', { kind: 'run', protocol })}">${protocol}</a>${bug !== undefined ? fact('bug', bug) : html` <span class="fact small muted" data-fact="bug">correct</span>`}${fact('scenario', spec.scenario)}${fact('nemesis', spec.nemesis)}${fact('seed', typeof spec.seed === 'number' ? spec.seed : undefined)}`;
  }
  if (job.kind === 'test') {
    return html`<span class="mono" data-fact="target">${String(spec.target ?? '?')}</span> <span class="fact small" data-fact="workload">${String(spec.workload ?? '?')}</span> <span class="fact small" data-fact="isolation">${String(spec.isolation ?? '?')}</span>`;
  }
  const source = typeof spec.source === 'string' ? spec.source : 'upload';
  return html`<span class="mono">${source}</span>${job.model !== null ? html` <span class="muted small">${job.model}</span>` : ''}`;
}
