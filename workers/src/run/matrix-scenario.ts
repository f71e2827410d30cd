import type { ProtocolDefinition, ScenarioSpec } from '../protocols/protocol.js';

/** A protocol scenario as a matrix cell records it: enough to footnote the cell. */
export interface MatrixScenario {
  name: string;
  description: string;
  seeds?: number;
  spec: ScenarioSpec;
}

/** The first of the protocol's scenarios that names this nemesis, if any. */
export function scenarioFor(def: ProtocolDefinition, nemesis: string): MatrixScenario | undefined {
  const s = def.scenarios?.find((x) => x.nemeses.includes(nemesis));
  if (s === undefined) return undefined;
  return { name: s.name, description: s.description, ...(s.seeds !== undefined ? { seeds: s.seeds } : {}), spec: s.spec };
}
