import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ApiError } from '../../errors.js';
import { streamHistory } from '../../store/history-store.js';
import { findVisibleJob } from '../../store/job-queries.js';
import type { AppDeps } from '../app-deps.js';
import { principalOf } from '../plugins/auth.js';
import { AUTH_ERRORS, JobIdParamsSchema, errorResponses, type JobIdParams } from '../schemas/common.js';

export function registerGetHistory(app: FastifyInstance, deps: AppDeps): void {
  app.get('/jobs/:id/history', {
    config: { scope: 'read' },
    schema: {
      tags: ['jobs'],
      summary: "A job's history as JSONL, streamed",
      description: 'One Jepsen op map per line (the uploaded history normalised, or the history a protocol run produced), streamed chunk by chunk whatever its size.',
      security: [{ bearer: [] }],
      params: JobIdParamsSchema,
      response: { 200: Type.String({ description: 'application/x-ndjson' }), ...errorResponses(400, ...AUTH_ERRORS, 404) },
    },
  }, async (request, reply) => {
    const { id } = request.params as JobIdParams;
    await findVisibleJob(deps.prisma, principalOf(request), id);
    const stream = await streamHistory(deps.prisma, id);
    if (stream === undefined) throw new ApiError('VRD_ERR_JOB_NOT_FOUND', `job ${id} has no history yet`);
    return reply
      .type('application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="${id}.jsonl"`)
      .send(stream);
  });
}
