import { canSeeTeam, type Principal } from '../auth/token-store.js';
import { ApiError } from '../errors.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { findVisibleJob, reportJson } from '../store/job-queries.js';

/** A finished job's report never changes, so its JSON text can be kept and served as is. */
export class ReportCache {
  private readonly entries = new Map<string, { json: string; team: string | null }>();

  constructor(private readonly entriesMax = 2_000) {}

  get(jobId: string): { json: string; team: string | null } | undefined {
    const hit = this.entries.get(jobId);
    if (hit !== undefined) {
      // Least recently used goes first: re-insert to move the entry to the end.
      this.entries.delete(jobId);
      this.entries.set(jobId, hit);
    }
    return hit;
  }

  set(jobId: string, entry: { json: string; team: string | null }): void {
    if (this.entries.size >= this.entriesMax) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(jobId, entry);
  }
}

interface ReportDeps {
  prisma: PrismaClient;
  reports: ReportCache;
}

/**
 * A job's report as JSON text, through the cache; undefined while it has none. The team is
 * checked on every read, cached or not (the cache is shared by every caller): another team's
 * report answers 404.
 */
export async function visibleReportJson(deps: ReportDeps, principal: Principal, jobId: string): Promise<string | undefined> {
  let entry = deps.reports.get(jobId);
  if (entry === undefined) {
    entry = await reportJson(deps.prisma, jobId);
    if (entry === undefined) return undefined;
    deps.reports.set(jobId, entry);
  }
  if (!canSeeTeam(principal, entry.team)) throw new ApiError('VRD_ERR_JOB_NOT_FOUND', jobId);
  return entry.json;
}

/** As `visibleReportJson`, for a report that must exist: 404 for no such job, 409 while it has none. */
export async function finishedReportJson(deps: ReportDeps, principal: Principal, jobId: string): Promise<string> {
  const json = await visibleReportJson(deps, principal, jobId);
  if (json !== undefined) return json;
  const job = await findVisibleJob(deps.prisma, principal, jobId);
  const why = job.error !== null ? ` (${(job.error as { message?: string }).message ?? 'failed'})` : '';
  throw new ApiError('VRD_ERR_JOB_NOT_FINISHED', `job ${jobId} is ${job.status}${why}`);
}
