import type { Anomaly, Job } from '../generated/prisma/client.js';
import type { AnomalyView } from './schemas/anomaly.js';
import type { JobView } from './schemas/job.js';

/** A job row as the API shows it, with the links a client follows next. */
export function jobView(job: Job): JobView {
  const self = `/jobs/${job.id}`;
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    team: job.team,
    protocol: job.protocol,
    model: job.model,
    spec: (job.spec ?? {}) as Record<string, unknown>,
    outcome: job.outcome,
    consistency: job.consistency,
    isolation: job.isolation,
    error: (job.error ?? null) as JobView['error'],
    progress: (job.progress ?? null) as JobView['progress'],
    parentId: job.parentId,
    partIndex: job.partIndex,
    partsTotal: job.partsTotal,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    links: { self, report: `${self}/report`, history: `${self}/history`, events: `${self}/events` },
  };
}

export function anomalyView(a: Anomaly): AnomalyView {
  return {
    id: a.id,
    jobId: a.jobId,
    category: a.category,
    type: a.type,
    level: a.level,
    rulesOut: a.rulesOut,
    sentence: a.sentence,
    witness: a.witness,
    createdAt: a.createdAt.toISOString(),
    links: { job: `/jobs/${a.jobId}`, report: `/jobs/${a.jobId}/report` },
  };
}

/** A job is finished once it can change no more. */
export function isFinished(status: Job['status']): boolean {
  return status === 'done' || status === 'failed' || status === 'cancelled';
}
