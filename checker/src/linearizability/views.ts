import type { Operation } from '../history/op.js';
import type { CompleteModel } from '../models/model.js';
import type { OperationView, StepView } from './result.js';
import type { RawCounterexample } from './wgl-search.js';
import type { Counterexample, FinalPath } from './result.js';

export function operationView(op: Operation, model: CompleteModel<any>): OperationView {
  return {
    id: op.id,
    process: op.process,
    f: op.f,
    input: op.input,
    output: op.output ?? null,
    status: op.status,
    call: op.call,
    ret: op.ret === Infinity ? null : op.ret,
    description: model.describeOperation(op),
  };
}

/** Steps shown of the longest prefix; the rest is summarised by its length. */
export const PREFIX_SHOWN_MAX = 40;

export function counterexampleView(
  raw: RawCounterexample,
  model: CompleteModel<any>,
  partition: string,
  witness: Counterexample['witness'],
): Counterexample {
  const step = (s: { op: Operation; state: unknown }): StepView => ({ op: operationView(s.op, model), state: model.describeState(s.state) });
  const shown = raw.prefix.slice(Math.max(0, raw.prefix.length - PREFIX_SHOWN_MAX));
  const finalPaths: FinalPath[] = raw.finalPaths.map((p) => ({
    steps: p.steps.map(step),
    blocked: operationView(p.blocked, model),
    attempts: p.attempts.map((a) => ({ op: operationView(a.op, model), reason: a.reason })),
  }));
  return {
    partition,
    initialState: model.describeState(raw.initialState),
    prefix: shown.map(step),
    prefixLength: raw.prefix.length,
    blocked: operationView(raw.blocked, model),
    finalPaths,
    witness,
  };
}
