import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../app-deps.js';
import { gauge } from '../metrics-registry.js';

/** Counting jobs scans a table: scrapes share one count for a few seconds. */
const JOB_COUNTS_MS = 5_000;

export function registerMetrics(app: FastifyInstance, deps: AppDeps): void {
  let jobCounts: { at: number; text: Promise<string> } | undefined;
  const countJobs = async (): Promise<string> => {
    const rows = await deps.prisma.job.groupBy({ by: ['status'], _count: { _all: true } });
    return gauge('verdict_jobs', 'Jobs in the database, by status.', rows.map((r) => ({ labels: { status: r.status }, value: r._count._all })));
  };
  app.get('/metrics', {
    schema: {
      tags: ['service'],
      summary: 'Prometheus metrics (text format 0.0.4)',
      response: { 200: Type.String() },
    },
  }, async (_request, reply) => {
    const now = Date.now();
    if (jobCounts === undefined || now - jobCounts.at > JOB_COUNTS_MS) jobCounts = { at: now, text: countJobs() };
    const [jobs, queue] = await Promise.all([
      jobCounts.text.catch(() => ''),
      deps.dispatch.counts().catch(() => ({} as Record<string, number>)),
    ]);
    const memory = process.memoryUsage();
    const text = [
      deps.metrics.render(),
      jobs,
      gauge('verdict_queue_jobs', `Jobs in the ${deps.dispatch.mode} queue, by state.`, Object.entries(queue).map(([state, value]) => ({ labels: { state }, value }))),
      gauge('verdict_event_followers', 'Clients following a job (server-sent events).', [{ value: deps.events.followers }]),
      gauge('process_resident_memory_bytes', 'Resident memory of the API process.', [{ value: memory.rss }]),
      gauge('process_uptime_seconds', 'Seconds since the API process started.', [{ value: Math.round(process.uptime()) }]),
    ].join('');
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(text);
  });
}
