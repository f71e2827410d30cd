import type { FastifyInstance } from 'fastify';
import { cancelJob, findVisibleJob } from '../../store/job-queries.js';
import type { AppDeps } from '../app-deps.js';
import { jobView } from '../job-view.js';
import { principalOf } from '../plugins/auth.js';
import { AUTH_ERRORS, JobIdParamsSchema, errorResponses, type JobIdParams } from '../schemas/common.js';
import { JobSchema } from '../schemas/job.js';

export function registerCancelJob(app: FastifyInstance, deps: AppDeps): void {
  app.delete('/jobs/:id', {
    config: { scope: 'submit' },
    schema: {
      tags: ['jobs'],
      summary: 'Cancel a queued or running job',
      description: 'A running job stops at its next heartbeat and writes nothing. A finished job cannot be cancelled (409).',
      security: [{ bearer: [] }],
      params: JobIdParamsSchema,
      response: { 200: JobSchema, ...errorResponses(400, ...AUTH_ERRORS, 404, 409) },
    },
  }, async (request) => {
    const { id } = request.params as JobIdParams;
    const job = await findVisibleJob(deps.prisma, principalOf(request), id);
    const cancelled = await cancelJob(deps.prisma, job);
    await deps.dispatch.cancel(id);
    deps.events.emit({ type: 'status', jobId: id, rootId: id, status: 'cancelled' });
    return jobView(cancelled);
  });
}
