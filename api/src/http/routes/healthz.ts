import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../app-deps.js';

const State = Type.Union([Type.Literal('ok'), Type.Literal('down')]);

const HealthSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')], { description: 'ok only when every dependency is' }),
  database: State,
  queue: State,
  queueMode: Type.Union([Type.Literal('in-process'), Type.Literal('redis')]),
  version: Type.String(),
});

/** A dependency that does not answer in this time is down (a probe must not hang with it). */
const PROBE_WAIT_MS = 2_000;

export function registerHealthz(app: FastifyInstance, deps: AppDeps): void {
  app.get('/healthz', {
    schema: {
      tags: ['service'],
      summary: 'Readiness: are the database and the queue answering?',
      description: 'Each dependency with its state; 503 while either is down (Redis gone: jobs are still stored, and queued when it is back, but none runs).',
      response: { 200: HealthSchema, 503: HealthSchema },
    },
  }, async (_request, reply) => {
    const [database, queue] = await Promise.all([
      withinWait(deps.prisma.$queryRaw`SELECT 1`.then(() => 'ok' as const)),
      withinWait(deps.dispatch.health()),
    ]);
    const ok = database === 'ok' && queue === 'ok';
    const body = { status: ok ? 'ok' as const : 'unavailable' as const, database, queue, queueMode: deps.dispatch.mode, version: deps.version };
    return reply.status(ok ? 200 : 503).send(body);
  });
}

async function withinWait(probe: Promise<'ok' | 'down'>): Promise<'ok' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'down'>((resolve) => {
    timer = setTimeout(() => resolve('down'), PROBE_WAIT_MS);
  });
  try {
    return await Promise.race([probe.catch(() => 'down' as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
