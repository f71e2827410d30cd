import type { Report } from '@verdict/checker';
import type { Principal } from '../auth/token-store.js';
import type { Job } from '../generated/prisma/client.js';
import type { AppDeps } from '../http/app-deps.js';
import { visibleTo } from '../store/job-queries.js';
import { asArray, asRecord } from './format.js';
import type { PartRow, StoredHistoryInfo } from './sections/job-summary.js';
import type { TimelineViewName } from './timeline-view.js';
import type { Focus, TimelineRequest } from './timeline-window.js';

export async function storedHistoryInfo(deps: AppDeps, jobId: string): Promise<StoredHistoryInfo | null> {
  return deps.prisma.history.findUnique({ where: { jobId }, select: { format: true, source: true, events: true, bytes: true, storedBytes: true } });
}

/** The parts of a split check (bounded by its part count), seen through the caller's team. */
export async function partsOf(deps: AppDeps, principal: Principal, job: Job): Promise<PartRow[]> {
  if (job.partsTotal === null) return [];
  return deps.prisma.job.findMany({
    where: { parentId: job.id, ...visibleTo(principal) },
    orderBy: { partIndex: 'asc' },
    take: job.partsTotal,
    select: { id: true, partIndex: true, status: true, outcome: true, spec: true },
  });
}

/**
 * What the timeline centres on, most telling first (the first one anchors a window too wide to
 * draw whole): the operation that cannot be linearized and the witness; else the first isolation
 * anomaly's transactions; else the first violated guarantee's operations.
 */
export function focusOf(report: Report | undefined): Focus[] {
  const cx = report?.linearizability?.counterexample;
  if (cx !== undefined) return [{ ...toFocus(cx.blocked), blocked: true }, ...cx.witness.operations.filter((o) => o.id !== cx.blocked.id).map(toFocus)];
  const anomaly = report?.isolation?.anomalies[0];
  if (anomaly !== undefined) return anomaly.transactions.map(toFocus);
  const violation = report?.consistency?.levels.find((l) => (l.violations?.length ?? 0) > 0)?.violations?.[0];
  if (violation !== undefined) return violation.operations.map(toFocus);
  return [];
}

function toFocus(o: { id?: number; process: number | string; call: number; ret: number | null }): Focus {
  return { ...(o.id !== undefined ? { id: o.id } : {}), process: o.process, call: o.call, ret: o.ret };
}

/**
 * The failing partition and the operations of a linearization worth drawing beside the witness:
 * the prefix's last steps and the final paths, so stepping through them shows them all.
 */
export function timelineRequest(report: Report | undefined, view: TimelineViewName, init?: unknown): TimelineRequest {
  const cx = report?.linearizability?.counterexample;
  if (cx === undefined) return { view };
  const model = report?.linearizability?.model ?? report?.model;
  const context = [...cx.prefix.map((s) => s.op), ...cx.finalPaths.flatMap((p) => [...p.steps.map((s) => s.op), p.blocked])].map(toFocus);
  return {
    view,
    context,
    ...(model !== undefined && cx.partition !== '' ? { partition: { model, key: cx.partition, ...(init !== undefined ? { init } : {}) } } : {}),
  };
}

/**
 * Where the timeline's history lives. A split check's report names positions in the part that
 * held the failing key, so its timeline is drawn from that part's history; any other witness of
 * a split check cannot be placed, and the parent's history is drawn without one.
 */
export function timelineSource(job: Job, report: Report | undefined, parts: readonly PartRow[]): { jobId: string; focus: Focus[] } {
  if (job.partsTotal === null) return { jobId: job.id, focus: focusOf(report) };
  const partition = report?.linearizability?.counterexample?.partition;
  const part = partition === undefined ? undefined : parts.find((p) => asArray(asRecord(p.spec).keys).includes(partition));
  return part !== undefined ? { jobId: part.id, focus: focusOf(report) } : { jobId: job.id, focus: [] };
}
