import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Job } from '../../generated/prisma/client.js';
import { findVisibleJob } from '../../store/job-queries.js';
import type { AppDeps } from '../app-deps.js';
import { isFinished, jobView } from '../job-view.js';
import { principalOf } from '../plugins/auth.js';
import { AUTH_ERRORS, JobIdParamsSchema, errorResponses, type JobIdParams } from '../schemas/common.js';

/** Events are hints; the database is read again this often in case one was missed. */
const POLL_MS = 2_000;
const PING_MS = 15_000;

export function registerJobEvents(app: FastifyInstance, deps: AppDeps): void {
  app.get('/jobs/:id/events', {
    config: { scope: 'read' },
    schema: {
      tags: ['jobs'],
      summary: "Follow a job's progress (server-sent events)",
      description: 'A `text/event-stream`: `job` (the job, at once and on every status change), `progress` (`{ phase, done, total }`), and `end` (its final status) before the stream closes.',
      security: [{ bearer: [] }],
      params: JobIdParamsSchema,
      response: { 200: Type.String({ description: 'text/event-stream' }), ...errorResponses(400, ...AUTH_ERRORS, 404) },
    },
  }, async (request, reply) => {
    const { id } = request.params as JobIdParams;
    const first = await findVisibleJob(deps.prisma, principalOf(request), id);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    const send = (event: string, data: unknown): void => {
      if (!raw.writableEnded) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    let lastKey = '';
    let closed = false;
    let refreshing: Promise<void> | undefined;
    const timers: NodeJS.Timeout[] = [];
    let unsubscribe = (): void => undefined;
    const close = (): void => {
      if (closed) return;
      closed = true;
      timers.forEach(clearInterval);
      unsubscribe();
      raw.end();
    };
    const show = (job: Job): void => {
      const key = `${job.status}:${job.attempts}:${JSON.stringify(job.progress)}`;
      if (key !== lastKey) {
        lastKey = key;
        send('job', jobView(job));
      }
      if (isFinished(job.status)) {
        send('end', { status: job.status, outcome: job.outcome });
        close();
      }
    };
    const refresh = (): Promise<void> => {
      refreshing ??= deps.prisma.job.findUnique({ where: { id } })
        .then((job) => (job === null ? close() : show(job)), (e: unknown) => request.log.warn({ err: e }, 'event stream refresh failed'))
        .finally(() => {
          refreshing = undefined;
        });
      return refreshing;
    };
    // The response's close, not the request's: a request also closes once its (empty) body is read.
    raw.on('close', close);
    show(first);
    if (closed) return;
    unsubscribe = deps.events.subscribe(id, (event) => {
      if (event.type === 'progress') send('progress', { ...event.progress, jobId: event.jobId });
      else void refresh();
    });
    timers.push(setInterval(() => void refresh(), POLL_MS), setInterval(() => raw.write(': ping\n\n'), PING_MS));
  });
}
