import { VerdictError } from '../errors.js';
import type { RecordPlace } from './op-record.js';

/**
 * How deep a value in a history may nest: lists, vectors, sets, maps and tags, counted from the
 * op map itself (depth 1). Jepsen's deepest values (an exception's stack trace inside an op) nest
 * well under 10. Everything downstream walks values recursively (comparison, hashing, canonical
 * keys, report rendering), so the parsers refuse deeper input instead of letting a walker
 * overflow the stack.
 */
export const VALUE_DEPTH_MAX = 1000;

/** `VRD_ERR_HISTORY_TOO_DEEP` at a place. */
export function tooDeep(at: RecordPlace, depthMax: number = VALUE_DEPTH_MAX): VerdictError {
  return new VerdictError('VRD_ERR_HISTORY_TOO_DEEP', `values may nest at most ${depthMax} levels deep`, { file: at.source, line: at.line, opIndex: at.opIndex });
}

/**
 * True when a decoded JSON value nests deeper than `depthMax` (the value itself is depth 1 when
 * it is an array or object). Iterative, so it is safe on any input `JSON.parse` accepted.
 */
export function nestsDeeperThan(value: unknown, depthMax: number = VALUE_DEPTH_MAX): boolean {
  if (value === null || typeof value !== 'object') return false;
  const stack: unknown[] = [value];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const v = stack.pop() as object;
    const depth = depths.pop()!;
    if (depth > depthMax) return true;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const c of children) {
      if (c !== null && typeof c === 'object') {
        stack.push(c);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}
