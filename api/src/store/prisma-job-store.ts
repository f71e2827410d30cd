import type {
  ClaimResult,
  ClaimedJob,
  CompleteResult,
  JobClaim,
  JobErrorInfo,
  JobPart,
  JobProgress,
  JobResult,
  JobStore,
  PartOutcome,
  RecoverableJob,
} from '@verdict/workers';
import type { Report } from '@verdict/checker';
import { decodeStored, encodeStored } from '../db/stored-text.js';
import { ApiError } from '../errors.js';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { writeHistory } from './history-store.js';
import { anomalyRows, reportRow } from './report-rows.js';

/**
 * Interactive transactions wait for a connection: the embedded database has only one, so the
 * default 2 s wait would fail under load; writing a large history's chunks takes a while too.
 */
export const TRANSACTION_OPTIONS = { maxWait: 30_000, timeout: 120_000 } as const;

interface ClaimedRow {
  id: string;
  kind: 'check' | 'run' | 'test';
  attempts: number;
  max_attempts: number;
  spec: unknown;
  parent_id: string | null;
  part_index: number | null;
}

/**
 * The job runner's store on Postgres. Every transition is one conditional UPDATE, decided by the
 * database clock and row locks: two workers cannot both claim a job, and a write from an attempt
 * that lost its lease (`attempts` moved on) changes nothing. The report's unique `job_id` is a
 * second guard: a result can never be written twice.
 */
export class PrismaJobStore implements JobStore {
  constructor(private readonly prisma: PrismaClient) {}

  async claim(jobId: string, workerId: string, leaseMs: number): Promise<ClaimResult> {
    const rows = await this.prisma.$queryRaw<ClaimedRow[]>`
      UPDATE jobs SET status = 'running', attempts = attempts + 1, claimed_by = ${workerId}, heartbeat_at = now(),
             started_at = COALESCE(started_at, now()), updated_at = now()
      WHERE id = ${jobId}::uuid AND parts_total IS NULL
        AND (status = 'queued' OR (status = 'running' AND heartbeat_at < now() - ${leaseMs} * interval '1 millisecond'))
      RETURNING id, kind, attempts, max_attempts, spec, parent_id, part_index`;
    const row = rows[0];
    if (row === undefined) return { claimed: false, reason: await this.whyNot(jobId) };
    if (row.attempts > row.max_attempts) {
      const { code, message, status } = new ApiError('VRD_ERR_JOB_ATTEMPTS', `no attempt finished in ${row.max_attempts} tries (its workers stopped or stalled)`);
      await this.fail({ jobId, attempt: row.attempts, workerId }, { code, message, status });
      return { claimed: false, reason: 'attempts-exhausted' };
    }
    return { claimed: true, job: claimedJob(row) };
  }

  async claimMerge(jobId: string, workerId: string, leaseMs: number): Promise<ClaimResult> {
    const rows = await this.prisma.$queryRaw<ClaimedRow[]>`
      UPDATE jobs p SET attempts = attempts + 1, claimed_by = ${workerId}, heartbeat_at = now(), updated_at = now()
      WHERE p.id = ${jobId}::uuid AND p.status = 'running' AND p.parts_total IS NOT NULL
        AND (p.heartbeat_at IS NULL OR p.heartbeat_at < now() - ${leaseMs} * interval '1 millisecond')
        AND NOT EXISTS (SELECT 1 FROM jobs c WHERE c.parent_id = p.id AND c.status IN ('queued', 'running'))
      RETURNING id, kind, attempts, max_attempts, spec, parent_id, part_index`;
    const row = rows[0];
    if (row === undefined) {
      const reason = await this.whyNot(jobId);
      return { claimed: false, reason: reason === 'leased' ? 'parts-pending' : reason };
    }
    return { claimed: true, job: claimedJob(row) };
  }

  async heartbeat(claim: JobClaim, progress?: JobProgress): Promise<'ok' | 'cancelled' | 'lost'> {
    const progressJson = progress === undefined ? null : JSON.stringify(encodeStored(progress));
    const n = await this.prisma.$executeRaw`
      UPDATE jobs SET heartbeat_at = now(), progress = COALESCE(${progressJson}::jsonb, progress)
      WHERE id = ${claim.jobId}::uuid AND attempts = ${claim.attempt} AND status = 'running'`;
    if (n === 1) return 'ok';
    const job = await this.prisma.job.findUnique({ where: { id: claim.jobId }, select: { status: true } });
    return job?.status === 'cancelled' ? 'cancelled' : 'lost';
  }

  async complete(claim: JobClaim, result: JobResult): Promise<CompleteResult> {
    const report = result.report;
    const row = reportRow(report);
    return this.prisma.$transaction(async (tx) => {
      const n = await tx.$executeRaw`
        UPDATE jobs SET status = 'done', outcome = ${row.outcome}::"Outcome", consistency = ${row.consistency}, isolation = ${row.isolation},
               finished_at = now(), heartbeat_at = NULL, progress = NULL, updated_at = now()
        WHERE id = ${claim.jobId}::uuid AND attempts = ${claim.attempt} AND status = 'running'
          AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.job_id = ${claim.jobId}::uuid)`;
      if (n !== 1) return { written: false };
      const created = await tx.report.create({
        data: {
          jobId: claim.jobId,
          ...row,
          isolationResult: row.isolationResult === null ? Prisma.DbNull : (row.isolationResult as Prisma.InputJsonValue),
          body: report as unknown as Prisma.InputJsonValue,
        },
        select: { id: true },
      });
      const anomalies = anomalyRows(report);
      if (anomalies.length > 0) {
        await tx.anomaly.createMany({
          data: anomalies.map((a) => ({ ...a, jobId: claim.jobId, reportId: created.id, witness: a.witness as Prisma.InputJsonValue })),
        });
      }
      if (result.history !== undefined) await writeHistory(tx, claim.jobId, result.history, { format: 'sim', source: result.history.source ?? 'simulator' });
      return this.parentReadiness(tx, claim.jobId);
    }, TRANSACTION_OPTIONS);
  }

  async fail(claim: JobClaim, error: JobErrorInfo): Promise<CompleteResult> {
    return this.prisma.$transaction(async (tx) => {
      const n = await tx.$executeRaw`
        UPDATE jobs SET status = 'failed', error = ${JSON.stringify(encodeStored(error))}::jsonb, finished_at = now(), heartbeat_at = NULL, updated_at = now()
        WHERE id = ${claim.jobId}::uuid AND attempts = ${claim.attempt} AND status = 'running'`;
      if (n !== 1) return { written: false };
      return this.parentReadiness(tx, claim.jobId);
    }, TRANSACTION_OPTIONS);
  }

  async release(claim: JobClaim): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE jobs SET status = 'queued', claimed_by = NULL, heartbeat_at = NULL, updated_at = now()
      WHERE id = ${claim.jobId}::uuid AND attempts = ${claim.attempt} AND status = 'running'`;
  }

  async createParts(claim: JobClaim, parts: readonly JobPart[]): Promise<string[]> {
    return this.prisma.$transaction(async (tx) => {
      const parent = await tx.job.findUniqueOrThrow({ where: { id: claim.jobId } });
      const n = await tx.$executeRaw`
        UPDATE jobs SET parts_total = ${parts.length}, heartbeat_at = NULL, claimed_by = NULL,
               progress = ${JSON.stringify({ phase: 'parts', done: 0, total: parts.length })}::jsonb, updated_at = now()
        WHERE id = ${claim.jobId}::uuid AND attempts = ${claim.attempt} AND status = 'running' AND parts_total IS NULL`;
      if (n !== 1) throw new Error(`job ${claim.jobId}: lease lost before its parts were stored`);
      const ids: string[] = [];
      for (const [index, part] of parts.entries()) {
        const child = await tx.job.create({
          data: {
            kind: 'check',
            parentId: parent.id,
            partIndex: index,
            team: parent.team,
            submittedBy: parent.submittedBy,
            protocol: parent.protocol,
            model: parent.model,
            maxAttempts: parent.maxAttempts,
            spec: { ...part.spec, keys: part.keys } as Prisma.InputJsonValue,
          },
          select: { id: true },
        });
        await writeHistory(tx, child.id, part.history, { format: 'jsonl', source: `${part.history.source ?? 'history'} (part ${index + 1} of ${parts.length})` });
        ids.push(child.id);
      }
      return ids;
    }, TRANSACTION_OPTIONS);
  }

  async partOutcomes(jobId: string): Promise<PartOutcome[]> {
    const parts = await this.prisma.job.findMany({
      where: { parentId: jobId },
      orderBy: { partIndex: 'asc' },
      select: { partIndex: true, status: true, error: true, report: { select: { body: true } } },
    });
    return parts.map((p): PartOutcome => {
      const index = p.partIndex ?? 0;
      if (p.status === 'done' && p.report !== null) return { index, status: 'done', report: p.report.body as unknown as Report };
      return { index, status: p.status === 'cancelled' ? 'cancelled' : 'failed', error: (p.error as JobErrorInfo | null) ?? null };
    });
  }

  async findRecoverable(leaseMs: number, limit: number): Promise<RecoverableJob[]> {
    const rows = await this.prisma.$queryRaw<{ id: string; parent_id: string | null; action: 'job' | 'merge' }[]>`
      (SELECT id, parent_id, 'job' AS action, seq FROM jobs
        WHERE parts_total IS NULL
          AND (status = 'queued' OR (status = 'running' AND heartbeat_at < now() - ${leaseMs} * interval '1 millisecond'))
        ORDER BY seq LIMIT ${limit})
      UNION ALL
      (SELECT p.id, p.parent_id, 'merge' AS action, p.seq FROM jobs p
        WHERE p.status = 'running' AND p.parts_total IS NOT NULL
          AND (p.heartbeat_at IS NULL OR p.heartbeat_at < now() - ${leaseMs} * interval '1 millisecond')
          AND NOT EXISTS (SELECT 1 FROM jobs c WHERE c.parent_id = p.id AND c.status IN ('queued', 'running'))
        ORDER BY p.seq LIMIT ${limit})`;
    return rows.map((r) => ({ id: r.id, parentId: r.parent_id, action: r.action }));
  }

  /** After a part's final write: is it the last one, so its parent can be merged? */
  private async parentReadiness(tx: Prisma.TransactionClient, jobId: string): Promise<CompleteResult> {
    const rows = await tx.$queryRaw<{ parent_id: string | null; pending: bigint | number }[]>`
      SELECT j.parent_id,
             (SELECT count(*) FROM jobs c WHERE c.parent_id = j.parent_id AND c.status IN ('queued', 'running')) AS pending
      FROM jobs j WHERE j.id = ${jobId}::uuid`;
    const row = rows[0];
    if (row?.parent_id == null) return { written: true };
    const pending = Number(row.pending);
    await tx.$executeRaw`
      UPDATE jobs SET progress = jsonb_build_object('phase', 'parts', 'done', parts_total - ${pending}::int, 'total', parts_total), updated_at = now()
      WHERE id = ${row.parent_id}::uuid AND status = 'running'`;
    return pending === 0 ? { written: true, parentReady: row.parent_id } : { written: true };
  }

  private async whyNot(jobId: string): Promise<'finished' | 'cancelled' | 'leased' | 'missing'> {
    const job = await this.prisma.job.findUnique({ where: { id: jobId }, select: { status: true } });
    if (job === null) return 'missing';
    if (job.status === 'cancelled') return 'cancelled';
    if (job.status === 'done' || job.status === 'failed') return 'finished';
    return 'leased';
  }
}

function claimedJob(row: ClaimedRow): ClaimedJob {
  return {
    id: row.id,
    kind: row.kind,
    attempt: row.attempts,
    maxAttempts: row.max_attempts,
    spec: decodeStored((row.spec ?? {}) as Record<string, unknown>),
    parentId: row.parent_id,
    partIndex: row.part_index,
  };
}
