import type { History, Report } from '@verdict/checker';

/**
 * What the job runner needs from storage. The service implements it on Postgres (Prisma); the
 * runner never sees a database, so dependencies keep pointing checker ← workers ← api.
 *
 * Postgres is the source of truth: a queue only carries job ids. Every state change is a
 * conditional write keyed by the attempt that claimed the job, so a worker that lost its lease
 * (killed, stalled, partitioned) can never overwrite the result of the attempt that replaced it.
 */
export interface JobStore {
  /**
   * Takes a queued job, or a running one whose lease expired (its worker died), for `workerId`:
   * status `running`, attempts + 1, heartbeat now. `skipped` when the job is finished, cancelled,
   * held by a live lease, or gone.
   */
  claim(jobId: string, workerId: string, leaseMs: number): Promise<ClaimResult>;
  /**
   * Takes a split job whose parts have all finished, to merge them. `skipped` while a part is
   * still queued or running, or when another worker holds the merge.
   */
  claimMerge(jobId: string, workerId: string, leaseMs: number): Promise<ClaimResult>;
  /** Renews the lease and records progress. `cancelled` asks the runner to stop; `lost`: another attempt owns the job. */
  heartbeat(claim: JobClaim, progress?: JobProgress): Promise<'ok' | 'cancelled' | 'lost'>;
  /**
   * Writes the result once. Returns false (and writes nothing) when this attempt no longer owns
   * the job or a result was already written: the caller logs it as an ignored second completion.
   */
  complete(claim: JobClaim, result: JobResult): Promise<CompleteResult>;
  /** Ends the job as failed; `written` is false when this attempt no longer owns it. */
  fail(claim: JobClaim, error: JobErrorInfo): Promise<CompleteResult>;
  /** Gives the job back (status `queued`) after a transient error, so a retry can claim it. */
  release(claim: JobClaim): Promise<void>;
  /** Stores the parts of a split job (each a queued child job) and keeps the parent waiting for them. */
  createParts(claim: JobClaim, parts: readonly JobPart[]): Promise<string[]>;
  /** The reports of a split job's parts, in part order; only called once every part is finished. */
  partOutcomes(jobId: string): Promise<PartOutcome[]>;
  /** Jobs a queue may have lost: queued ones, running ones with an expired lease, and split parents whose parts are all finished. */
  findRecoverable(leaseMs: number, limit: number): Promise<RecoverableJob[]>;
}

/** A job as the runner sees it once claimed. */
export interface ClaimedJob {
  id: string;
  kind: 'check' | 'run' | 'test';
  /** The attempt number this claim holds (1 for the first). */
  attempt: number;
  maxAttempts: number;
  /** The run spec or the check options, as submitted. */
  spec: Record<string, unknown>;
  /** Set on a part of a split check. */
  parentId: string | null;
  partIndex: number | null;
}

/** Proof of ownership passed back on every write. */
export interface JobClaim {
  jobId: string;
  attempt: number;
  workerId: string;
}

export type ClaimResult =
  | { claimed: true; job: ClaimedJob }
  | { claimed: false; reason: 'finished' | 'cancelled' | 'leased' | 'missing' | 'parts-pending' | 'attempts-exhausted' };

export interface JobProgress {
  /** What the job is doing: `loading`, `simulating`, `checking`, `merging`... */
  phase: string;
  done?: number;
  total?: number;
  message?: string;
}

export interface JobResult {
  report: Report;
  /** The history a protocol run produced, to store beside its report. */
  history?: History;
}

export interface CompleteResult {
  written: boolean;
  /** Set when this job was the last unfinished part of a split job: the parent can be merged now (or failed). */
  parentReady?: string;
}

/** A job's failure as stored and shown: the same shape as the checker's VerdictError. */
export interface JobErrorInfo {
  code: string;
  message: string;
  status?: number;
  location?: Record<string, unknown>;
}

/** One part of a split check: a sub-history (some partitions, e.g. keys) checked on its own. */
export interface JobPart {
  history: History;
  /** The check options of the part; the parent's plus what the part needs. */
  spec: Record<string, unknown>;
  /** The partitions (keys) it covers, for people reading the job list. */
  keys: string[];
}

export type PartOutcome =
  | { index: number; status: 'done'; report: Report }
  | { index: number; status: 'failed' | 'cancelled'; error: JobErrorInfo | null };

export interface RecoverableJob {
  id: string;
  /** `job`: claim and run it; `merge`: its parts are finished, merge them. */
  action: 'job' | 'merge';
  parentId: string | null;
}
