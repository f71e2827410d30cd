import type { Operation } from '../history/op.js';
import type { CompleteModel } from '../models/model.js';

/**
 * Delta debugging (ddmin) over an illegal history with moves that only relax it, so that if the
 * shrunk history still cannot be ordered, neither can the original (the witness never invents a
 * violation). Shared by the linearizability and sequential-consistency shrinkers.
 * - drop a read-only operation (it changed no state: any order of the rest, with it put back,
 *   still fits);
 * - drop a write no remaining operation could have observed (the model's `footprint`): removing
 *   it changes no observation;
 * - weaken a completed operation to `info` (it may then take effect later, or never).
 * Deletions come first: each makes later checks smaller. An observed write is never dropped,
 * since that could turn "stale read" into "read of a value nobody wrote".
 */
export function deltaDebug<S>(
  model: CompleteModel<S>,
  start: readonly Operation[],
  stillIllegal: (ops: readonly Operation[]) => boolean,
  deadline: number,
): { operations: Operation[]; complete: boolean } {
  let ops = [...start];
  let complete = true;
  for (const weakening of [false, true]) {
    let chunks = 2;
    while (ops.length > 1) {
      if (performance.now() > deadline) {
        complete = false;
        break;
      }
      const current = ops;
      const candidates = current.filter((o) => (weakening && o.status !== 'info') || model.isReadOnly(o) || unobservedWrite(model, o, current, new Set()));
      if (candidates.length === 0) break;
      chunks = Math.min(chunks, candidates.length);
      const size = Math.ceil(candidates.length / chunks);
      let reduced = false;
      for (let c = 0; c < chunks && !reduced; c++) {
        if (performance.now() > deadline) break;
        const next = applyMoves(current, new Set(candidates.slice(c * size, (c + 1) * size)), model, weakening);
        if (next !== undefined && stillIllegal(next)) {
          ops = next;
          chunks = Math.max(2, chunks - 1);
          reduced = true;
        }
      }
      if (!reduced) {
        if (chunks >= candidates.length) break;
        chunks = Math.min(candidates.length, chunks * 2);
      }
    }
  }
  return { operations: ops, complete: complete && performance.now() <= deadline };
}

/** Drops the chunk's read-only and unobserved ops, weakens the rest when asked; undefined when nothing changes. */
function applyMoves<S>(ops: readonly Operation[], chunk: ReadonlySet<Operation>, model: CompleteModel<S>, weakening: boolean): Operation[] | undefined {
  const dropped = new Set<Operation>();
  for (const o of chunk) if (model.isReadOnly(o)) dropped.add(o);
  // Drop writers in the chunk nobody left can observe; dropping one may free another.
  for (let again = true; again;) {
    again = false;
    for (const o of chunk) {
      if (!dropped.has(o) && unobservedWrite(model, o, ops, dropped)) {
        dropped.add(o);
        again = true;
      }
    }
  }
  const out: Operation[] = [];
  let changed = dropped.size > 0;
  for (const o of ops) {
    if (dropped.has(o)) continue;
    if (weakening && chunk.has(o) && o.status !== 'info') {
      out.push(asInfo(o));
      changed = true;
    } else out.push(o);
  }
  return changed ? out : undefined;
}

/** True when `op` writes and no op of `ops` outside `dropped` could observe that write. */
function unobservedWrite<S>(model: CompleteModel<S>, op: Operation, ops: readonly Operation[], dropped: ReadonlySet<Operation>): boolean {
  const footprint = model.footprint;
  if (footprint === undefined) return false;
  const written = footprint.written(op);
  if (written === undefined) return false;
  for (const other of ops) {
    if (other !== op && !dropped.has(other) && footprint.observes(other, written)) return false;
  }
  return true;
}

/** The operation with its outcome forgotten: it may have taken effect at any later point, or never. */
export function asInfo(o: Operation): Operation {
  return { ...o, status: 'info', output: undefined, ret: Infinity };
}
