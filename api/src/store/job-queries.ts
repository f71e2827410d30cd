import type { Principal } from '../auth/token-store.js';
import { decodeStoredJsonText } from '../db/stored-text.js';
import { ApiError } from '../errors.js';
import type { Anomaly, Job, JobKind, JobStatus, Outcome, Prisma, PrismaClient } from '../generated/prisma/client.js';

/** A page of a list, newest first, and the cursor of the next page (null on the last). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface JobFilter {
  status?: JobStatus;
  outcome?: Outcome;
  kind?: JobKind;
  protocol?: string;
  anomaly?: string;
  /** A run's spec fields: its bug, scenario, nemesis and seed. */
  bug?: string;
  scenario?: string;
  nemesis?: string;
  seed?: number;
  parts?: boolean;
  limit?: number;
  cursor?: string;
}

export interface AnomalyFilter {
  type?: string;
  level?: string;
  category?: string;
  protocol?: string;
  jobId?: string;
  limit?: number;
  cursor?: string;
}

/** Only jobs of the caller's team (admin tokens see every team's). */
export function visibleTo(principal: Principal): Prisma.JobWhereInput {
  return principal.scopes.includes('admin') ? {} : { team: principal.team };
}

export async function findVisibleJob(prisma: PrismaClient, principal: Principal, id: string): Promise<Job> {
  const job = await prisma.job.findFirst({ where: { id, ...visibleTo(principal) } });
  // Another team's job answers exactly like a missing one: its existence is not disclosed.
  if (job === null) throw new ApiError('VRD_ERR_JOB_NOT_FOUND', id);
  return job;
}

export async function listJobs(prisma: PrismaClient, principal: Principal, filter: JobFilter): Promise<Page<Job>> {
  const limit = filter.limit ?? 50;
  const before = decodeCursor(filter.cursor);
  const where: Prisma.JobWhereInput = {
    ...visibleTo(principal),
    ...(filter.status !== undefined ? { status: filter.status } : {}),
    ...(filter.outcome !== undefined ? { outcome: filter.outcome } : {}),
    ...(filter.kind !== undefined ? { kind: filter.kind } : {}),
    ...(filter.protocol !== undefined ? { protocol: filter.protocol } : {}),
    ...(filter.anomaly !== undefined ? { anomalies: { some: { type: filter.anomaly } } } : {}),
    ...specFilter(filter),
    ...(filter.parts === true ? {} : { parentId: null }),
    ...(before !== undefined ? { seq: { lt: before } } : {}),
  };
  const rows = await prisma.job.findMany({ where, orderBy: { seq: 'desc' }, take: limit + 1 });
  return page(rows, limit);
}

/** Runs by fields of their spec (JSON path equality, one condition per field). */
function specFilter(filter: JobFilter): Prisma.JobWhereInput {
  const fields: [string, string | number | undefined][] = [['bug', filter.bug], ['scenario', filter.scenario], ['nemesis', filter.nemesis], ['seed', filter.seed]];
  const conditions = fields.filter(([, v]) => v !== undefined).map(([path, v]) => ({ spec: { path: [path], equals: v! } }));
  return conditions.length === 0 ? {} : { AND: conditions };
}

export async function listAnomalies(prisma: PrismaClient, principal: Principal, filter: AnomalyFilter): Promise<Page<Anomaly>> {
  const limit = filter.limit ?? 50;
  const before = decodeCursor(filter.cursor);
  const jobWhere: Prisma.JobWhereInput = { ...visibleTo(principal), ...(filter.protocol !== undefined ? { protocol: filter.protocol } : {}) };
  const where: Prisma.AnomalyWhereInput = {
    job: jobWhere,
    ...(filter.type !== undefined ? { type: filter.type } : {}),
    ...(filter.level !== undefined ? { level: filter.level } : {}),
    // Rows stored before linearizability witnesses of the levels were filed as such have type linearizability.
    ...(filter.category === 'linearizability' ? { OR: [{ category: 'linearizability' }, { type: 'linearizability' }] } : filter.category !== undefined ? { category: filter.category, NOT: { type: 'linearizability' } } : {}),
    ...(filter.jobId !== undefined ? { jobId: filter.jobId } : {}),
    ...(before !== undefined ? { seq: { lt: before } } : {}),
  };
  const rows = await prisma.anomaly.findMany({ where, orderBy: { seq: 'desc' }, take: limit + 1 });
  return page(rows, limit);
}

/**
 * Cancels a queued or running job and its parts. Returns the job after the change; a finished
 * job cannot be cancelled (409).
 */
export async function cancelJob(prisma: PrismaClient, job: Job): Promise<Job> {
  const changed = await prisma.$executeRaw`
    UPDATE jobs SET status = 'cancelled', finished_at = now(), heartbeat_at = NULL, updated_at = now(),
           error = ${JSON.stringify(new ApiError('VRD_ERR_JOB_CANCELLED', 'by request').toJSON())}::jsonb
    WHERE (id = ${job.id}::uuid OR parent_id = ${job.id}::uuid) AND status IN ('queued', 'running')`;
  const after = await prisma.job.findUniqueOrThrow({ where: { id: job.id } });
  if (changed === 0 || after.status !== 'cancelled') {
    throw new ApiError('VRD_ERR_JOB_NOT_CANCELLABLE', `job ${job.id} is ${after.status}`);
  }
  return after;
}

/** The stored report as JSON text (no parse and re-serialise), with the job's team for access checks. */
export async function reportJson(prisma: PrismaClient, jobId: string): Promise<{ json: string; team: string | null } | undefined> {
  const rows = await prisma.$queryRaw<{ body: string; team: string | null }[]>`
    SELECT r.body::text AS body, j.team FROM reports r JOIN jobs j ON j.id = r.job_id WHERE r.job_id = ${jobId}::uuid`;
  const row = rows[0];
  return row === undefined ? undefined : { json: decodeStoredJsonText(row.body), team: row.team };
}

function page<T extends { seq: number }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  const more = rows.length > limit;
  return { items, nextCursor: more ? encodeCursor(items[items.length - 1]!.seq) : null };
}

function encodeCursor(seq: number): string {
  return Buffer.from(`seq:${seq}`).toString('base64url');
}

function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const m = /^seq:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (m === null) throw new ApiError('VRD_ERR_API_INVALID', 'not a cursor this API gave out', { field: 'querystring.cursor' });
  return Number(m[1]);
}
