import type { FastifyInstance } from 'fastify';
import { listJobs } from '../../store/job-queries.js';
import type { AppDeps } from '../app-deps.js';
import { jobView } from '../job-view.js';
import { principalOf } from '../plugins/auth.js';
import { AUTH_ERRORS, errorResponses } from '../schemas/common.js';
import { JobListSchema, ListJobsQuerySchema, type ListJobsQuery } from '../schemas/job.js';

export function registerListJobs(app: FastifyInstance, deps: AppDeps): void {
  app.get('/jobs', {
    config: { scope: 'read' },
    schema: {
      tags: ['jobs'],
      summary: 'List jobs, newest first',
      description: 'Filter by status, outcome (the verdict), kind, protocol and anomaly type; page with `cursor` (the previous page\'s `nextCursor`). A token sees its own team\'s jobs only.',
      security: [{ bearer: [] }],
      querystring: ListJobsQuerySchema,
      response: { 200: JobListSchema, ...errorResponses(400, ...AUTH_ERRORS) },
    },
  }, async (request) => {
    const page = await listJobs(deps.prisma, principalOf(request), request.query as ListJobsQuery);
    return { jobs: page.items.map(jobView), nextCursor: page.nextCursor };
  });
}
