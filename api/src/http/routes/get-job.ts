import type { FastifyInstance } from 'fastify';
import { findVisibleJob } from '../../store/job-queries.js';
import type { AppDeps } from '../app-deps.js';
import { jobView } from '../job-view.js';
import { principalOf } from '../plugins/auth.js';
import { AUTH_ERRORS, JobIdParamsSchema, errorResponses, type JobIdParams } from '../schemas/common.js';
import { JobSchema } from '../schemas/job.js';

export function registerGetJob(app: FastifyInstance, deps: AppDeps): void {
  app.get('/jobs/:id', {
    config: { scope: 'read' },
    schema: {
      tags: ['jobs'],
      summary: 'A job: status, progress, verdict, error',
      security: [{ bearer: [] }],
      params: JobIdParamsSchema,
      response: { 200: JobSchema, ...errorResponses(400, ...AUTH_ERRORS, 404) },
    },
  }, async (request) => {
    const { id } = request.params as JobIdParams;
    return jobView(await findVisibleJob(deps.prisma, principalOf(request), id));
  });
}
