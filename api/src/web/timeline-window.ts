import { gunzipSync } from 'node:zlib';
import { NEMESIS_PROCESS, parseJsonExact, renderTimelineSvg, type History, type Op, type Operation } from '@verdict/checker';
import type { PrismaClient } from '../generated/prisma/client.js';
import { selectView, type TimelinePartition, type TimelineViewName } from './timeline-view.js';

/** An operation the timeline should centre on and outline (a witness, an anomaly's transaction). */
export interface Focus {
  /** The operation's number in the report, when it has one (transactions have names instead). */
  id?: number;
  process: number | string;
  /** History positions of the invocation and of the completion (null: open). */
  call: number;
  ret: number | null;
  /** The operation that cannot be linearized: outlined apart from the rest of the witness. */
  blocked?: boolean;
}

/** What to draw of the window; by default everything in it. */
export interface TimelineRequest {
  view?: TimelineViewName;
  /** The failing partition, for the `focus` and `key` views' key filter. */
  partition?: TimelinePartition;
  /**
   * Operations worth having in the window when they fit beside the focus (the prefix's last
   * steps, the final paths): the window grows towards them up to WINDOW_POSITIONS_MAX.
   */
  context?: readonly Focus[];
  /** Scale to the page's card (`width="100%"`); a download keeps its own width. */
  fluid?: boolean;
}

export interface TimelineView {
  svg: string;
  /** The positions drawn, of `events` in the whole history. */
  from: number;
  to: number;
  /** The positions shown at first (the witness, padded): the rest of the drawing is a pan or a zoom away. */
  shown: { from: number; to: number };
  events: number;
  /** Focus operations found in the stored history and outlined. */
  outlined: number;
  focus: number;
  /** The focus spans more than one window: the drawing is centred on the first focus operation. */
  clipped: boolean;
  /** Chunks of the stretch not read (too many, or too large once expanded): the drawing may miss operations. */
  chunksSkipped: number;
  /**
   * How the tooltips number operations: as the report does (`history`), or, when that cannot be
   * known without reading everything before the window, by their invocation's position.
   */
  numbering: 'history' | 'positions';
  view: TimelineViewName;
  /** What the view draws, in words. */
  description: string;
  /** Operations in the window the view leaves out. */
  hidden: number;
  /** The view could filter by the failing key (so offering a `key` view makes sense). */
  keyApplied: boolean;
  /** The operation that cannot be linearized is drawn (and marked). */
  blockedDrawn: boolean;
}

/** Positions drawn at most (3 px each at the renderer's narrowest): wider is unreadable anyway. */
export const WINDOW_POSITIONS_MAX = 600;
/** Lines read either side of the window, to pair operations that start or end outside it. */
const LOOKAROUND_LINES = 1_500;
/** Chunks read at most, and the most bytes one may expand to: the page never parses a whole huge history. */
const CHUNKS_READ_MAX = 4;
const CHUNK_BYTES_MAX = 16 << 20;

/**
 * The SVG timeline of a stored history around the operations of interest, read from the few
 * gzip chunks that hold that stretch of the history: memory and time depend on the window,
 * not on the history's size. Undefined when the job has no stored history (yet).
 */
export async function loadTimeline(prisma: PrismaClient, jobId: string, focus: readonly Focus[], request: TimelineRequest = {}): Promise<TimelineView | undefined> {
  const history = await prisma.history.findUnique({ where: { jobId }, select: { id: true, events: true } });
  if (history === null || history.events === 0) return undefined;
  const last = history.events - 1;
  const chosen = chooseWindow(focus, last);
  const { from, to } = extendWindow(chosen, request.context ?? [], last);
  const clipped = chosen.clipped;
  const loadFrom = Math.max(0, from - LOOKAROUND_LINES);
  const loadTo = Math.min(last, to + LOOKAROUND_LINES);
  const { ops, skipped } = await readLines(prisma, history.id, loadFrom, loadTo, { from, to });
  const paired = pair(ops);
  const matches = focus.map((f) => ({ f, op: paired.operations.find((o) => o.call === f.call && String(o.process) === String(f.process)) }));
  const numbering = renumber(paired.operations, matches, loadFrom === 0 && skipped === 0, skipped === 0);
  const inWindow = paired.operations.filter((o) => o.call <= to && o.ret >= from);
  const view = request.view ?? 'all';
  const processes = new Set(focus.map((f) => String(f.process)));
  const selection = selectView(inWindow, view, request.partition, processes);
  const drawn = new Set(selection.operations);
  const highlight = new Set<number>();
  let blocked: number | undefined;
  for (const { f, op } of matches) {
    if (op === undefined || !drawn.has(op)) continue;
    highlight.add(op.id);
    if (f.blocked === true) blocked = op.id;
  }
  const windowHistory: History = { ops: ops.filter((o) => o.index >= from && o.index <= to), operations: selection.operations, events: paired.events };
  const note = view === 'all' ? undefined : `${selection.description}${selection.hidden > 0 ? ` (${selection.hidden} other operation(s) in this window not drawn)` : ''}`;
  const svg = renderTimelineSvg(windowHistory, undefined, {
    highlight, ...(blocked !== undefined ? { blocked } : {}), window: { from, to }, view: { from: chosen.from, to: chosen.to }, operationsMax: WINDOW_POSITIONS_MAX * 2, fluid: request.fluid === true, ...(note !== undefined ? { note } : {}),
  });
  return {
    svg, from, to, shown: { from: chosen.from, to: chosen.to }, events: history.events, outlined: highlight.size, focus: focus.length, clipped, chunksSkipped: skipped, numbering,
    view, description: selection.description, hidden: selection.hidden, keyApplied: selection.keyApplied, blockedDrawn: blocked !== undefined,
  };
}

/** Chunks read from the start at most to find the operations an invariant names (by number, not position). */
const LOCATE_CHUNKS_MAX = 4;

/**
 * The operations with these report numbers, found in the stored history: an invariant names
 * operations by number only, and a number counts the client invocations before it, so they are
 * looked for from the start, at most LOCATE_CHUNKS_MAX chunks in. One not found there is missing
 * from the answer (the page then shows its number alone). Undefined when the job has no stored history.
 */
export async function locateOperations(prisma: PrismaClient, jobId: string, ids: ReadonlySet<number>): Promise<Map<number, Operation> | undefined> {
  const history = await prisma.history.findUnique({ where: { jobId }, select: { id: true } });
  if (history === null) return undefined;
  if (ids.size === 0) return new Map();
  const chunks = await prisma.historyChunk.findMany({ where: { historyId: history.id }, select: { seq: true }, orderBy: { seq: 'asc' }, take: LOCATE_CHUNKS_MAX });
  const ops: Op[] = [];
  const last = Math.max(...ids);
  let invocations = 0;
  for (const { seq } of chunks) {
    const row = await prisma.historyChunk.findUnique({ where: { historyId_seq: { historyId: history.id, seq } }, select: { data: true, firstLine: true } });
    if (row === null) break;
    let lines: string[];
    try {
      lines = gunzipSync(row.data, { maxOutputLength: CHUNK_BYTES_MAX }).toString('utf8').split('\n');
    } catch {
      break; // numbers past an unreadable chunk cannot be counted
    }
    lines.forEach((line, i) => {
      const op = parseOp(line, row.firstLine - 1 + i);
      if (op === undefined) return;
      ops.push(op);
      if (op.type === 'invoke' && op.process !== NEMESIS_PROCESS) invocations++;
    });
    if (invocations <= last) continue; // not every named operation has begun yet
    // Paired from the first line, operations carry the report's numbers; done once each named one has completed.
    const named = pair(ops).operations.filter((o) => ids.has(o.id));
    if (named.every((o) => o.completionIndex !== undefined)) return new Map(named.map((o) => [o.id, o]));
  }
  return new Map(pair(ops).operations.filter((o) => ids.has(o.id)).map((o) => [o.id, o]));
}

/** The window around the focus, padded; capped at WINDOW_POSITIONS_MAX around the first focus. */
export function chooseWindow(focus: readonly Focus[], last: number): { from: number; to: number; clipped: boolean } {
  if (focus.length === 0) return { from: 0, to: Math.min(last, WINDOW_POSITIONS_MAX - 1), clipped: false };
  const lo = Math.min(...focus.map((f) => f.call));
  const hi = Math.max(...focus.map((f) => f.ret ?? f.call));
  const pad = Math.max(6, Math.min(40, Math.floor((hi - lo) * 0.15)));
  let from = Math.max(0, lo - pad);
  let to = Math.min(last, hi + pad);
  if (to - from + 1 <= WINDOW_POSITIONS_MAX) return { from, to, clipped: false };
  const anchor = focus[0]!;
  from = Math.max(0, Math.min(anchor.call - WINDOW_POSITIONS_MAX / 2, last - WINDOW_POSITIONS_MAX + 1));
  to = Math.min(last, from + WINDOW_POSITIONS_MAX - 1);
  return { from, to, clipped: true };
}

/**
 * The window grown towards the context operations (nearest first) while it stays within
 * WINDOW_POSITIONS_MAX positions: the steps before the blocked operation are worth seeing, but
 * never at the cost of the witness.
 */
export function extendWindow(window: { from: number; to: number }, context: readonly Focus[], last: number): { from: number; to: number } {
  let { from, to } = window;
  const distance = (f: Focus): number => (f.call < from ? from - f.call : Math.max(0, (f.ret ?? f.call) - to));
  for (const f of [...context].sort((a, b) => distance(a) - distance(b))) {
    const lo = Math.max(0, Math.min(from, f.call - 2));
    const hi = Math.min(last, Math.max(to, (f.ret ?? f.call) + 2));
    if (hi - lo + 1 > WINDOW_POSITIONS_MAX) continue;
    from = lo;
    to = hi;
  }
  return { from, to };
}

/**
 * The ops at positions [from, to] (the window padded by `window`), from the chunks that hold
 * them: those under the window first, at most CHUNKS_READ_MAX, none expanding past
 * CHUNK_BYTES_MAX (such a chunk is skipped). Unreadable lines are skipped too.
 */
async function readLines(prisma: PrismaClient, historyId: string, from: number, to: number, window: { from: number; to: number }): Promise<{ ops: Op[]; skipped: number }> {
  const chunks = await prisma.historyChunk.findMany({ where: { historyId }, select: { seq: true, firstLine: true, lines: true }, orderBy: { seq: 'asc' } });
  // firstLine is 1-based; positions are 0-based.
  const overlaps = (c: { firstLine: number; lines: number }, lo: number, hi: number): boolean => c.firstLine - 1 <= hi && c.firstLine - 1 + c.lines - 1 >= lo;
  const needed = chunks.filter((c) => overlaps(c, from, to));
  const chosen = [...needed.filter((c) => overlaps(c, window.from, window.to)), ...needed.filter((c) => !overlaps(c, window.from, window.to))]
    .slice(0, CHUNKS_READ_MAX)
    .sort((a, b) => a.seq - b.seq);
  const ops: Op[] = [];
  let skipped = needed.length - chosen.length;
  for (const meta of chosen) {
    const row = await prisma.historyChunk.findUnique({ where: { historyId_seq: { historyId, seq: meta.seq } }, select: { data: true } });
    if (row === null) continue;
    let lines: string[];
    try {
      lines = gunzipSync(row.data, { maxOutputLength: CHUNK_BYTES_MAX }).toString('utf8').split('\n');
    } catch {
      skipped++;
      continue;
    }
    for (let i = Math.max(0, from - (meta.firstLine - 1)); i < lines.length; i++) {
      const position = meta.firstLine - 1 + i;
      if (position > to) break;
      const op = parseOp(lines[i]!, position);
      if (op !== undefined) ops.push(op);
    }
  }
  return { ops, skipped };
}

const OP_TYPES = new Set(['invoke', 'ok', 'fail', 'info']);

function parseOp(line: string, position: number): Op | undefined {
  if (line === '') return undefined;
  try {
    // Exact: the timeline shows an integer beyond 2^53 as it was recorded.
    const raw = parseJsonExact(line) as Partial<Op>;
    if (!OP_TYPES.has(String(raw.type)) || typeof raw.f !== 'string' || (typeof raw.process !== 'number' && typeof raw.process !== 'string')) return undefined;
    return { ...raw, index: position } as Op;
  } catch {
    return undefined;
  }
}

/**
 * Gives the operations the numbers the report uses: an operation's number counts the client
 * invocations before it in the whole history. Counted from the start when the lines read begin
 * there; otherwise offset from a witness operation whose number the report gives, when every
 * such witness agrees and the lines read are contiguous. Failing both, operations are numbered
 * by their invocation's position, which is at least unique and stable.
 */
function renumber(operations: Operation[], matches: readonly { f: Focus; op: Operation | undefined }[], fromStart: boolean, contiguous: boolean): 'history' | 'positions' {
  if (fromStart) return 'history';
  const offsets = new Set(matches.filter((m) => m.op !== undefined && m.f.id !== undefined).map((m) => m.f.id! - m.op!.id));
  if (contiguous && offsets.size === 1) {
    const offset = [...offsets][0]!;
    for (const o of operations) o.id += offset;
    return 'history';
  }
  for (const o of operations) o.id = o.call;
  return 'positions';
}

/**
 * Invocations paired with completions as the history builder pairs them, but keeping the
 * history's own positions (the report's witnesses name them). A completion whose invocation
 * lies before the lines read is dropped; an invocation still open at the end stays open.
 */
function pair(ops: readonly Op[]): { operations: Operation[]; events: Op[] } {
  const operations: Operation[] = [];
  const events: Op[] = [];
  const open = new Map<string, Operation>();
  for (const op of ops) {
    if (op.process === NEMESIS_PROCESS) {
      events.push(op);
      continue;
    }
    const key = `${typeof op.process}:${String(op.process)}`;
    if (op.type === 'invoke') {
      const operation: Operation = { id: operations.length, process: op.process, f: op.f, input: op.value, output: undefined, status: 'info', call: op.index, ret: Infinity };
      if (op.node !== undefined) operation.node = op.node;
      operations.push(operation);
      open.set(key, operation);
      continue;
    }
    const operation = open.get(key);
    if (operation === undefined || operation.f !== op.f) continue;
    open.delete(key);
    operation.status = op.type as Operation['status'];
    operation.completionIndex = op.index;
    if (op.type !== 'info') {
      operation.ret = op.index;
      operation.output = op.value;
    }
  }
  return { operations, events };
}
