import type { FastifyInstance } from 'fastify';
import type { Anomaly } from '../../generated/prisma/client.js';
import type { AppDeps } from '../../http/app-deps.js';
import { principalOf } from '../../http/plugins/auth.js';
import { listAnomalies, visibleTo } from '../../store/job-queries.js';
import { ANOMALY_CATEGORIES, AnomaliesPageQuerySchema, KNOWN_ANOMALY_TYPES, KNOWN_LEVELS, KNOWN_PROTOCOLS, pager, present, select, textFilter, type AnomaliesPageQuery } from '../filters.js';
import { cycleFigure, cycleGraphSvg } from '../cycle-graph.js';
import { asArray, asRecord, when } from '../format.js';
import { html, type Html } from '../html.js';
import { sendPage } from '../layout.js';
import { edgesList, operationsTable, transactionsTable } from '../operations-view.js';
import { requireViewer } from '../session.js';

const PAGE_ANOMALIES = 50;
/** An anomaly is shown by its few operations; more are on its job's page. */
const WITNESS_SHOWN_MAX = 6;

/** Anomalies across the caller's jobs, newest first, by type, level ruled out, category or protocol. */
export function registerAnomaliesPage(app: FastifyInstance, deps: AppDeps): void {
  app.get('/ui/anomalies', { schema: { hide: true, querystring: AnomaliesPageQuerySchema }, preHandler: requireViewer(deps.tokens) }, async (request, reply) => {
    const principal = principalOf(request);
    const query = present(request.query as AnomaliesPageQuery);
    const page = await listAnomalies(deps.prisma, principal, { ...query, limit: query.limit ?? PAGE_ANOMALIES });
    const jobIds = [...new Set(page.items.map((a) => a.jobId))];
    const jobs = jobIds.length === 0 ? [] : await deps.prisma.job.findMany({ where: { id: { in: jobIds }, ...visibleTo(principal) }, select: { id: true, kind: true, protocol: true, spec: true } });
    const jobLabels = new Map(jobs.map((j) => [j.id, j.kind === 'run' ? (j.protocol ?? 'run') : String(asRecord(j.spec).source ?? 'upload')]));
    const filters = { type: query.type, level: query.level, category: query.category, protocol: query.protocol, jobId: query.jobId, limit: query.limit };
    const body = html`<h1>Anomalies</h1>
<form class="filters" method="get" action="/ui/anomalies">
${textFilter('type', 'type', KNOWN_ANOMALY_TYPES, query.type)}
${select('level', 'weakest level ruled out', KNOWN_LEVELS, query.level)}
${select('category', 'category', ANOMALY_CATEGORIES, query.category)}
${textFilter('protocol', 'protocol', KNOWN_PROTOCOLS, query.protocol)}
${query.jobId !== undefined ? html`<input type="hidden" name="jobId" value="${query.jobId}">` : ''}
<button type="submit" class="primary">Search</button> <a href="/ui/anomalies">clear</a>
</form>
${query.jobId !== undefined ? html`<p class="small">Of <a href="/ui/jobs/${query.jobId}">job ${query.jobId}</a> only.</p>` : ''}
${page.items.length === 0 ? html`<p class="card muted">No anomalies${Object.keys(query).length > 0 ? ' match this search' : ' yet'}.</p>` : page.items.map((a) => anomalyCard(a, jobLabels.get(a.jobId)))}
${pager('/ui/anomalies', filters, query.cursor, page.nextCursor)}`;
    return sendPage(reply, { title: 'Anomalies', principal, body });
  });
}

function anomalyCard(a: Anomaly, jobLabel: string | undefined): Html {
  const witness = asRecord(a.witness);
  return html`<article class="card anomaly">
<h3><span class="badge st-violated">${a.type}</span> <span class="muted small">${a.category}${a.level !== null ? ` · rules out ${a.level}` : ''}${a.rulesOut.length > 1 ? ` (and ${a.rulesOut.filter((l) => l !== a.level).join(', ')})` : ''}</span></h3>
<p class="sentence">${a.sentence}</p>
${witnessView(a.category, a.type, a.sentence, witness)}
<p class="small">in <a href="/ui/jobs/${a.jobId}">job ${a.jobId.slice(0, 8)}</a> <span class="mono">${jobLabel ?? ''}</span> · found ${when(a.createdAt)}</p>
</article>`;
}

/** Isolation anomalies are shown by their cycle graph, transactions and edges; the rest by their operations. */
function witnessView(category: string, type: string, sentence: string, witness: Record<string, unknown>): Html {
  if (category === 'isolation') {
    return html`${cycleFigure(cycleGraphSvg(type, sentence, witness), undefined)}${transactionsTable(asArray(witness.transactions).slice(0, WITNESS_SHOWN_MAX))}${edgesList(asArray(witness.edges).slice(0, WITNESS_SHOWN_MAX))}`;
  }
  const ops = asArray(witness.operations);
  return html`${typeof witness.partition === 'string' && witness.partition !== '' ? html`<p class="small">key <code>${JSON.stringify(witness.partition)}</code></p>` : ''}
${typeof witness.scope === 'string' ? html`<p class="small">${witness.scope}</p>` : ''}
${operationsTable(ops.slice(0, WITNESS_SHOWN_MAX))}${ops.length > WITNESS_SHOWN_MAX ? html`<p class="small muted">${ops.length - WITNESS_SHOWN_MAX} more on the job's page</p>` : ''}`;
}
