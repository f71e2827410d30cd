import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { visibleHistoryStream } from '../../store/history-store.js';
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
      response: { 200: Type.String({ description: 'application/x-ndjson' }), ...errorResponses(400, ...AUTH_ERRORS, 404, 409) },
    },
  }, async (request, reply) => {
    const { id } = request.params as JobIdParams;
    const stream = await visibleHistoryStream(deps.prisma, principalOf(request), id);
    return reply
      .type('application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="${id}.jsonl"`)
      .send(stream);
  });
}
