import type { Operation, Report } from '@verdict/checker';
import type { Principal } from '../auth/token-store.js';
import type { Job } from '../generated/prisma/client.js';
import type { AppDeps } from '../http/app-deps.js';
import { visibleTo } from '../store/job-queries.js';
import { asArray, asRecord } from './format.js';
import type { ViolationRef } from './sections/invariants-section.js';
import type { PartRow, StoredHistoryInfo } from './sections/job-summary.js';
import type { TimelineViewName } from './timeline-view.js';
import { locateOperations, type Focus, type TimelineRequest } from './timeline-window.js';

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

/** Operation numbers looked up at most for the invariants' violations (the checker lists only a few each). */
const INVARIANT_OPERATIONS_MAX = 200;

export interface InvariantOperations {
  /** The listed violations' operations found in the stored history, by number. */
  located: Map<number, Operation>;
  /** The stored history was looked in (false: none stored, or a split check's, whose parts number operations each their own way). */
  searched: boolean;
  /** The violation the timeline centres on instead of the witnesses (asked for, or the only answer there is). */
  chosen?: ViolationRef;
  focus: Focus[];
}

/**
 * The operations behind the invariants' violations, read from the stored history (the report
 * names them by number only), and the violation the timeline should centre on: the one asked
 * for, else the first one found when the report has no other witness to centre on. A split
 * check's parts number operations each their own way: its invariants are not placed.
 */
export async function invariantOperations(deps: AppDeps, job: Job, report: Report | undefined, asked: ViolationRef | undefined): Promise<InvariantOperations> {
  const invariants = report?.invariants ?? [];
  const ids = new Set(invariants.flatMap((i) => (i.violations ?? []).flatMap((v) => v.operations ?? [])).filter((id) => Number.isInteger(id)).slice(0, INVARIANT_OPERATIONS_MAX));
  if (ids.size === 0 || job.partsTotal !== null) return { located: new Map(), searched: false, focus: [] };
  const located = await locateOperations(deps.prisma, job.id, ids);
  if (located === undefined) return { located: new Map(), searched: false, focus: [] };
  const focusFor = (ref: ViolationRef): Focus[] => (invariants[ref.invariant]?.violations?.[ref.violation]?.operations ?? []).flatMap((id) => {
    const op = located.get(id);
    return op === undefined ? [] : [{ id, process: op.process, call: op.call, ret: op.ret === Infinity ? null : op.ret }];
  });
  const refs = invariants.flatMap((inv, i) => (inv.violations ?? []).map((_, j) => ({ invariant: i, violation: j })));
  const askedFocus = asked === undefined ? [] : focusFor(asked);
  if (askedFocus.length > 0) return { located, searched: true, chosen: asked, focus: askedFocus };
  if (focusOf(report).length > 0) return { located, searched: true, focus: [] };
  for (const ref of refs) {
    const focus = focusFor(ref);
    if (focus.length > 0) return { located, searched: true, chosen: ref, focus };
  }
  return { located, searched: true, focus: [] };
}
