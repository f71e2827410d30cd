import { checkEventual, checkFreshReads, checkSessionGuarantees, createModel, historyFromOps, type History, type LevelStatus } from '@verdict/checker';
import { simulationConfig } from '../../src/run.js';
import { resolveRunSpec, type ResolvedRunSpec, type RunSpec } from '../../src/run/spec.js';
import { PROTOCOLS } from '../../src/protocols/registry.js';
import { Simulation, type SimulationOutcome } from '../../src/sim/simulation.js';

export type EventualSpec = Omit<RunSpec, 'protocol'>;

/** What the eventual store's configurations promise, checked without the expensive searches. */
export interface EventualVerdicts {
  eventual: LevelStatus;
  session: LevelStatus;
  fresh: LevelStatus;
  lostWrites: number;
  divergentKeys: number;
  /** Whether any fault of the run skewed clocks (LWW's promises assume clocks in step). */
  skewed: boolean;
}

/**
 * The simulate stage of `run(spec)` alone, for loops over many seeds: the same spec gives the same
 * history as `run`, without the linearizability and sequential searches `run` adds to every report.
 */
export async function simulateEventual(spec: EventualSpec): Promise<{ history: History; outcome: SimulationOutcome; spec: ResolvedRunSpec }> {
  const { spec: resolved, protocol } = await resolveRunSpec({ protocol: 'eventual', ...spec }, PROTOCOLS);
  const outcome = new Simulation(simulationConfig(resolved, protocol)).runToEnd();
  return { history: historyFromOps(outcome.ops), outcome, spec: resolved };
}

/** The eventual, session and fresh-read checks of one simulated run. */
export async function eventualVerdicts(spec: EventualSpec): Promise<EventualVerdicts> {
  const { history, outcome, spec: resolved } = await simulateEventual(spec);
  const model = createModel(resolved.replication!.resolve === 'siblings' ? 'kv-siblings' : 'kv', null);
  const eventual = checkEventual(history, model);
  return {
    eventual: eventual.status,
    session: checkSessionGuarantees(history, model).session.status,
    fresh: checkFreshReads(history, model).status,
    lostWrites: Number(eventual.details?.lostWrites ?? 0),
    divergentKeys: Number(eventual.details?.divergentKeys ?? 0),
    skewed: outcome.faults.some((f) => f.family === 'clock-skew'),
  };
}
