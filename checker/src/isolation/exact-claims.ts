import type { Counterexample } from '../linearizability/result.js';
import type { AnomalySink } from './anomaly-sink.js';
import { exactSearch, type ExactModel, type ExactOutcome } from './exact-search.js';
import type { TxnModel } from './model-lattice.js';
import type { TxnTable } from './txn-table.js';

const ANOMALY: Readonly<Record<ExactModel, string>> = {
  serializable: 'no-serial-order',
  'strong-session-serializable': 'no-serial-order-process',
  'strict-serializable': 'no-serial-order-realtime',
};

const KEEPING: Readonly<Record<ExactModel, string>> = {
  serializable: '',
  'strong-session-serializable': ' that keeps each process\'s order',
  'strict-serializable': ' that keeps real-time order (each transaction taking effect between its invocation and its completion)',
};

export interface ExactClaims {
  outcomes: ExactOutcome[];
  /** Models the searches proved, with how. */
  proven: Map<TxnModel, string>;
  /** Models a search could not decide, with why. */
  unknown: Map<TxnModel, string>;
}

/**
 * Runs the exact searches for the serializable models nothing has ruled out yet: strict (real
 * time) first, which proves the others when it holds; else serializable (no order constraint),
 * and strong session (process order) unless serializable already failed. The weakest order none
 * works for adds a `no-serial-order` anomaly (with the suffix of the order it kept) whose
 * transactions are the shrunk witness: no order of those alone works, so none of the whole
 * history does. The searches share one time budget; past it, or past the memory limit, a model
 * stays unknown.
 */
export function exactClaims(
  table: TxnTable,
  sink: AnomalySink,
  options: { process: boolean; realtime: boolean; timeLimitMs: number; memoryLimitBytes: number },
): ExactClaims {
  const out: ExactClaims = { outcomes: [], proven: new Map(), unknown: new Map() };
  const deadline = performance.now() + options.timeLimitMs;
  const ops = table.operations;
  const run = (model: ExactModel): ExactOutcome | undefined => {
    if (sink.rulesOut(model)) return undefined;
    const left = deadline - performance.now();
    if (left <= 0) {
      out.unknown.set(model, `the exact search's time budget (${options.timeLimitMs} ms) was spent before it could run`);
      return undefined;
    }
    const result = exactSearch(ops, model, { timeLimitMs: left, memoryLimitBytes: options.memoryLimitBytes });
    out.outcomes.push(result);
    if (result.outcome === 'ok') out.proven.set(model, `decided by the exact search over every order of the ${table.n} transactions`);
    else if (result.outcome === 'unknown') out.unknown.set(model, result.cause ?? 'the exact search did not finish');
    return result;
  };
  // Strict first: real time guides its search (WGL's), and when it holds it carries the rest.
  // Of the orders none works for, only the weakest is reported: it implies the others.
  const strict = options.realtime ? run('strict-serializable') : undefined;
  if (strict?.outcome !== 'ok') {
    const serializable = run('serializable');
    const session = serializable?.outcome !== 'illegal' && options.process ? run('strong-session-serializable') : undefined;
    const weakest = [serializable, session, strict].find((r) => r?.outcome === 'illegal');
    if (weakest?.counterexample !== undefined) addWitness(table, sink, weakest.model, weakest.counterexample);
  }
  return out;
}

function addWitness(table: TxnTable, sink: AnomalySink, model: ExactModel, cx: Counterexample): void {
  // The search's operations are numbered by position in the table's.
  const txns = cx.witness.operations.map((o) => o.id).filter((t) => t >= 0 && t < table.n);
  sink.add(ANOMALY[model], () => ({
    txns,
    sentence: (n) => `No order of ${txns.map(n).join(', ')}${KEEPING[model]} lets every read see the latest write before it (an exact search over every order of these transactions, shrunk from the whole history)`,
  }));
}
