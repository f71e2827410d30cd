import type { History } from '@verdict/checker';
import type { Principal } from '../auth/token-store.js';
import type { Job, Prisma, PrismaClient } from '../generated/prisma/client.js';
import { writeHistory } from '../store/history-store.js';
import { TRANSACTION_OPTIONS } from '../store/prisma-job-store.js';
import type { DatabaseTestSpec } from './database-test-job.js';
import type { CheckSpec } from './engine.js';
import type { JobDispatch } from './job-dispatch.js';

/** A job to create: a parsed history to check, a protocol run, or a database test. */
export type NewJob =
  | { kind: 'check'; history: History; spec: CheckSpec; maxAttempts?: number }
  | { kind: 'run'; spec: Record<string, unknown> & { protocol: string }; maxAttempts?: number }
  | { kind: 'test'; spec: DatabaseTestSpec; maxAttempts?: number };

/**
 * Stores a job (with its history, in the same transaction) and only then queues its id: if the
 * queue loses it, the job is still in Postgres and the reconciler queues it again.
 */
export async function submitJob(prisma: PrismaClient, dispatch: JobDispatch, principal: Principal, job: NewJob, defaultMaxAttempts: number): Promise<Job> {
  const common = {
    team: principal.team,
    submittedBy: principal.tokenId,
    maxAttempts: job.maxAttempts ?? defaultMaxAttempts,
  };
  const created = await prisma.$transaction(async (tx) => {
    if (job.kind === 'run') {
      return tx.job.create({ data: { ...common, kind: 'run', protocol: job.spec.protocol, spec: job.spec as Prisma.InputJsonValue } });
    }
    if (job.kind === 'test') {
      return tx.job.create({ data: { ...common, kind: 'test', spec: job.spec as Prisma.InputJsonValue } });
    }
    const row = await tx.job.create({
      data: { ...common, kind: 'check', model: job.spec.model ?? null, spec: job.spec as unknown as Prisma.InputJsonValue },
    });
    await writeHistory(tx, row.id, job.history, {
      format: job.spec.format ?? job.history.format ?? 'jsonl',
      ...(job.spec.source !== undefined ? { source: job.spec.source } : {}),
    });
    return row;
  }, TRANSACTION_OPTIONS);
  await dispatch.enqueue(created.id);
  return created;
}
