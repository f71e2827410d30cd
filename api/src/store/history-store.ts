import type { Readable } from 'node:stream';
import { exportOps, type History } from '@verdict/checker';
import type { Principal } from '../auth/token-store.js';
import { ApiError } from '../errors.js';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { chunksToJsonl, encodeHistory } from './history-chunks.js';
import { findVisibleJob } from './job-queries.js';

type Db = PrismaClient | Prisma.TransactionClient;

export interface HistoryMeta {
  /** The format it came in (`edn`, `jsonl`, ...) or `sim` for a protocol run. */
  format: string;
  source?: string;
}

/** Stores a job's history as gzip JSONL chunks. */
export async function writeHistory(db: Db, jobId: string, history: History, meta: HistoryMeta): Promise<void> {
  const encoded = encodeHistory(exportOps(history));
  const row = await db.history.create({
    data: {
      jobId,
      format: meta.format,
      source: meta.source ?? null,
      events: encoded.events,
      bytes: BigInt(encoded.bytes),
      storedBytes: BigInt(encoded.storedBytes),
    },
    select: { id: true },
  });
  if (encoded.chunks.length > 0) {
    await db.historyChunk.createMany({ data: encoded.chunks.map((c) => ({ historyId: row.id, ...c })) });
  }
}

/**
 * A job's history as a JSONL stream, fetched chunk by chunk so memory holds one chunk whatever
 * the history's size. Undefined when the job has no history (yet).
 */
export async function streamHistory(db: PrismaClient, jobId: string): Promise<Readable | undefined> {
  const row = await db.history.findUnique({ where: { jobId }, select: { id: true } });
  if (row === null) return undefined;
  let seq = 0;
  return chunksToJsonl(async () => {
    const chunk = await db.historyChunk.findUnique({ where: { historyId_seq: { historyId: row.id, seq } }, select: { data: true } });
    seq++;
    return chunk?.data;
  });
}

/**
 * The history download of the API and of the pages: 404 for no such job (or another team's), 409
 * for a job without a history yet (a protocol run stores the history it made when it finishes).
 */
export async function visibleHistoryStream(db: PrismaClient, principal: Principal, jobId: string): Promise<Readable> {
  const job = await findVisibleJob(db, principal, jobId);
  const stream = await streamHistory(db, jobId);
  if (stream === undefined) throw new ApiError('VRD_ERR_JOB_NOT_FINISHED', `job ${jobId} is ${job.status} and has no history yet`);
  return stream;
}

export async function historyInfo(db: PrismaClient, jobId: string): Promise<{ format: string; source: string | null; events: number } | null> {
  return db.history.findUnique({ where: { jobId }, select: { format: true, source: true, events: true } });
}
