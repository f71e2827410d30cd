import type { FastifyInstance } from 'fastify';
import { isRequiredLevel, renderJunit, renderText, type Report } from '@verdict/checker';
import { ApiError } from '../../errors.js';
import { findVisibleJob } from '../../store/job-queries.js';
import { asRecord } from '../../web/format.js';
import { partsOf, timelineRequest, timelineSource } from '../../web/job-data.js';
import { loadTimeline } from '../../web/timeline-window.js';
import type { AppDeps } from '../app-deps.js';
import { principalOf } from '../plugins/auth.js';
import { finishedReportJson } from '../report-cache.js';
import { AUTH_ERRORS, JobIdParamsSchema, errorResponses, type JobIdParams } from '../schemas/common.js';
import { ReportQuerySchema, ReportSchema } from '../schemas/report.js';

/** The SVG is rendered from untrusted histories (escaped by the renderer); no script may run in it regardless. */
const SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'";

export function registerGetReport(app: FastifyInstance, deps: AppDeps): void {
  app.get('/jobs/:id/report', {
    config: { scope: 'read' },
    schema: {
      tags: ['jobs'],
      summary: "A finished job's report",
      description: 'JSON by default; `format=text` for people, `format=junit` (with `require=LEVEL` for a requirement test case) for CI, `format=svg` for the timeline. 409 until the job is done.',
      security: [{ bearer: [] }],
      params: JobIdParamsSchema,
      querystring: ReportQuerySchema,
      response: { 200: ReportSchema, ...errorResponses(400, ...AUTH_ERRORS, 404, 409) },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const { id } = request.params as JobIdParams;
    const { format = 'json', require } = request.query as { format?: 'json' | 'text' | 'junit' | 'svg'; require?: string };
    const json = await finishedReportJson(deps, principal, id);
    if (format === 'json') return reply.type('application/json; charset=utf-8').send(json);
    const report = JSON.parse(json) as Report;
    if (format === 'text') return reply.type('text/plain; charset=utf-8').send(renderText(report));
    if (format === 'svg') {
      // The job page's drawing: read from the few history chunks around the witness, never the whole history.
      const job = await findVisibleJob(deps.prisma, principal, id);
      const source = timelineSource(job, report, await partsOf(deps, principal, job));
      // As the job page opens: focused on the failing key and the witness's processes (all of them when there is no witness).
      const timeline = await loadTimeline(deps.prisma, source.jobId, source.focus, source.focus.length === 0 ? {} : timelineRequest(report, 'focus', asRecord(job.spec).init));
      if (timeline === undefined) throw new ApiError('VRD_ERR_JOB_NOT_FOUND', `job ${id} has no stored history`);
      return reply.type('image/svg+xml').header('content-security-policy', SVG_CSP).send(timeline.svg);
    }
    if (require !== undefined && !isRequiredLevel(require)) throw new ApiError('VRD_ERR_API_INVALID', `unknown level ${JSON.stringify(require)}`, { field: 'querystring.require' });
    return reply.type('application/xml; charset=utf-8').send(renderJunit(report, { suite: `verdict job ${id}`, ...(require !== undefined && isRequiredLevel(require) ? { require } : {}) }));
  });
}
