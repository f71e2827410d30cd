import { checkSync, createModel, historyFromOps, type History } from '@verdict/checker';
import { simulationConfig } from '../../src/run.js';
import { resolveRunSpec, type RunSpec } from '../../src/run/spec.js';
import { PROTOCOLS } from '../../src/protocols/registry.js';
import { Simulation, type SimulationOutcome } from '../../src/sim/simulation.js';

export type PaxosSpec = Omit<RunSpec, 'protocol'>;

/**
 * The simulate stage of `run(spec)` alone, for loops over many seeds: the same spec gives the same
 * history as `run`, without the consistency-level checks that `run` adds to every report.
 */
export async function simulatePaxos(spec: PaxosSpec): Promise<{ history: History; outcome: SimulationOutcome }> {
  const { spec: resolved, protocol } = await resolveRunSpec({ protocol: 'paxos', ...spec }, PROTOCOLS);
  const outcome = new Simulation(simulationConfig(resolved, protocol)).runToEnd();
  return { history: historyFromOps(outcome.ops), outcome };
}

/** Linearizability against the kv model Paxos declares (`kv`, every key starting at nil). */
export function linearizability(history: History): 'ok' | 'illegal' | 'unknown' {
  return checkSync(createModel('kv', null), history, { counterexample: false }).outcome;
}

/** The first seed in 1..seedsMax whose history is not linearizable, or undefined. */
export async function firstIllegalSeed(spec: Omit<PaxosSpec, 'seed'>, seedsMax: number): Promise<number | undefined> {
  for (let seed = 1; seed <= seedsMax; seed++) {
    const { history } = await simulatePaxos({ ...spec, seed });
    if (linearizability(history) === 'illegal') return seed;
  }
  return undefined;
}
