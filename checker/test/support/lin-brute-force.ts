import type { Operation } from '../../src/history/op.js';
import { completeModel } from '../../src/models/complete-model.js';
import { isInconsistent, type Model } from '../../src/models/model.js';

/**
 * The definition of linearizability, checked by exhaustion, for cross-checking the WGL search on
 * small histories: is there an order of all completed operations, plus any subset of the
 * indeterminate ones, that respects real time and that the model accepts?
 * Failed operations are dropped or observed as the model says. Exponential: ≤ ~9 operations.
 */
export function bruteForceLinearizable(model: Model<any>, operations: readonly Operation[]): boolean {
  const m = completeModel(model);
  const ops = operations.filter((o) => !(o.status === 'fail' && m.failed === 'drop'));
  if (ops.length > 12) throw new Error(`brute force is for small histories, got ${ops.length} ops`);
  const required = ops.filter((o) => o.ret !== Infinity).length;
  const used = new Array<boolean>(ops.length).fill(false);

  const search = (state: unknown, placed: number, placedRequired: number): boolean => {
    if (placedRequired === required) return true;
    for (let i = 0; i < ops.length; i++) {
      if (used[i]) continue;
      const op = ops[i]!;
      // Real time: every unplaced op that completed before op was invoked must come first.
      let blocked = false;
      for (let j = 0; j < ops.length; j++) {
        if (!used[j] && j !== i && ops[j]!.ret < op.call) {
          blocked = true;
          break;
        }
      }
      if (blocked) continue;
      const next = m.step(state, op);
      if (isInconsistent(next)) continue;
      used[i] = true;
      const found = search(next, placed + 1, placedRequired + (op.ret !== Infinity ? 1 : 0));
      used[i] = false;
      if (found) return true;
    }
    return false;
  };
  return search(m.init(), 0, 0);
}
