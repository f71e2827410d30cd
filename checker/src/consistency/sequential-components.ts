import type { Operation } from '../history/op.js';
import type { CompleteModel } from '../models/model.js';
import type { UnitOf } from './program-order.js';

/**
 * Splits a history into parts that can be checked for sequential consistency one by one.
 * Sequential consistency is not compositional: a unit's order links its operations on different
 * keys (process 1 writes x then reads y, process 2 writes y then reads x: each key alone is fine,
 * together they are not). But when no unit touches two groups of keys, the groups share no
 * program order and no state, so orders found for each interleave into one: the connected
 * components of the units-and-parts graph are independent. Usually that is one component.
 */
export function sequentialComponents(model: CompleteModel<any>, ops: readonly Operation[], unitOf: UnitOf): Operation[][] {
  const parts = model.partition?.(ops);
  if (parts === undefined || parts.length <= 1) return ops.length > 0 ? [[...ops]] : [];
  const parent: number[] = [];
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
    return x;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[ra] = rb;
  };
  for (let p = 0; p < parts.length; p++) parent.push(p);
  const unitNode = new Map<string, number>();
  const partOf = new Map<Operation, number>();
  parts.forEach((p, k) => {
    for (const op of p.operations) {
      partOf.set(op, k);
      const unit = unitOf(op);
      let node = unitNode.get(unit);
      if (node === undefined) {
        node = parent.length;
        parent.push(node);
        unitNode.set(unit, node);
      }
      union(node, k);
    }
  });
  const groups = new Map<number, Operation[]>();
  for (const op of ops) {
    const root = find(partOf.get(op)!);
    let g = groups.get(root);
    if (g === undefined) groups.set(root, (g = []));
    g.push(op);
  }
  return [...groups.values()];
}
