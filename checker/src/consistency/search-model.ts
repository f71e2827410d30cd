import type { Operation } from '../history/op.js';
import { completeModel } from '../models/complete-model.js';
import type { CompleteModel, Inconsistent, Model } from '../models/model.js';
import { isInconsistent } from '../models/model.js';

/** The model as the sequential search sees it: steps by local op index. */
export interface SearchModel<S> {
  init: S;
  step(state: S, i: number): S | Inconsistent;
  hash(state: S): number;
  equal(a: S, b: S): boolean;
  readOnly(i: number): boolean;
  /** The state as a person reads it, around op i (for a product, the part op i touches). */
  describeState(state: S, i?: number): string;
}

function singleModel<S>(model: CompleteModel<S>, ops: readonly Operation[]): SearchModel<S> {
  return {
    init: model.init(),
    step: (state, i) => model.step(state, ops[i]!),
    hash: (state) => model.hash(state),
    equal: (a, b) => model.equal(a, b),
    readOnly: (i) => model.isReadOnly(ops[i]!),
    describeState: (state) => model.describeState(state),
  };
}

/** The product of independent parts' states, with an incrementally maintained hash. */
interface ProductState {
  readonly parts: readonly unknown[];
  readonly hash: number;
}

/**
 * The whole history's state when the model splits into parts (a kv store per key). The parts
 * are independent as models, but sequential consistency is not compositional (a process's order
 * links its operations on different keys), so the search walks all parts at once.
 */
function productModel(parts: readonly { key: string; model: CompleteModel<any> }[], partOf: Int32Array, ops: readonly Operation[]): SearchModel<ProductState> {
  const mix = (p: number, h: number): number => {
    let x = Math.imul(h ^ Math.imul(p + 1, 0x9e3779b1), 0x85ebca6b);
    x ^= x >>> 13;
    x = Math.imul(x, 0xc2b2ae35);
    return (x ^ (x >>> 16)) | 0;
  };
  const initParts = parts.map((p) => p.model.init());
  let initHash = 0;
  initParts.forEach((s, p) => { initHash ^= mix(p, parts[p]!.model.hash(s)); });
  return {
    init: { parts: initParts, hash: initHash },
    step(state, i) {
      const p = partOf[i]!;
      const model = parts[p]!.model;
      const before = state.parts[p];
      const after = model.step(before, ops[i]!);
      if (isInconsistent(after)) return after;
      if (after === before) return state;
      const next = state.parts.slice();
      next[p] = after;
      return { parts: next, hash: state.hash ^ mix(p, model.hash(before)) ^ mix(p, model.hash(after)) };
    },
    hash: (state) => state.hash,
    equal(a, b) {
      if (a === b) return true;
      if (a.hash !== b.hash) return false;
      for (let p = 0; p < parts.length; p++) if (a.parts[p] !== b.parts[p] && !parts[p]!.model.equal(a.parts[p], b.parts[p])) return false;
      return true;
    },
    readOnly: (i) => parts[partOf[i]!]!.model.isReadOnly(ops[i]!),
    describeState(state, i) {
      if (i !== undefined) {
        const p = partOf[i]!;
        return `${parts[p]!.key}: ${parts[p]!.model.describeState(state.parts[p])}`;
      }
      const all = parts.map((p, k) => `${p.key}: ${p.model.describeState(state.parts[k])}`).join(', ');
      return all.length > 160 ? `${all.slice(0, 157)}...` : all;
    },
  };
}

/**
 * The search model for these ops: the model itself, or the product of its parts when it
 * partitions (each part keeps its own model, such as a kv key's interned register).
 */
export function searchModelFor(model: CompleteModel<any>, ops: readonly Operation[]): SearchModel<any> {
  const parts = model.partition?.(ops);
  if (parts === undefined) return singleModel(model, ops);
  const modelOf = (m: Model<any> | undefined): CompleteModel<any> => (m !== undefined ? completeModel(m) : model);
  if (parts.length === 1) return singleModel(modelOf(parts[0]!.model), ops);
  const index = new Map<Operation, number>();
  parts.forEach((p, k) => { for (const op of p.operations) index.set(op, k); });
  const partOf = Int32Array.from(ops, (op) => index.get(op) ?? 0);
  return productModel(parts.map((p) => ({ key: p.key, model: modelOf(p.model) })), partOf, ops);
}
