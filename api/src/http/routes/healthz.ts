import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../app-deps.js';

const HealthSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  database: Type.Union([Type.Literal('ok'), Type.Literal('down')]),
  queue: Type.Union([Type.Literal('in-process'), Type.Literal('redis')]),
  version: Type.String(),
});

export function registerHealthz(app: FastifyInstance, deps: AppDeps): void {
  app.get('/healthz', {
    schema: {
      tags: ['service'],
      summary: 'Liveness and readiness: is the database answering?',
      response: { 200: HealthSchema, 503: HealthSchema },
    },
  }, async (_request, reply) => {
    const database = await deps.prisma.$queryRaw`SELECT 1`.then(() => 'ok' as const, () => 'down' as const);
    const body = { status: database === 'ok' ? 'ok' as const : 'unavailable' as const, database, queue: deps.dispatch.mode, version: deps.version };
    return reply.status(database === 'ok' ? 200 : 503).send(body);
  });
}
