import { SeededRng } from '../../src/sim/rng.js';
import { Simulator, type SimulatorOptions } from '../../src/sim/simulator.js';
import type { NodeBehaviour, NodeContext } from '../../src/sim/node-context.js';

/** A simulator over `n` nodes named n1..nN whose behaviour a test supplies. */
export function harness(n: number, behaviour: (ctx: NodeContext) => NodeBehaviour, options: Partial<SimulatorOptions> = {}): Simulator {
  const nodes = Array.from({ length: n }, (_, i) => `n${i + 1}`);
  return new Simulator({ rng: SeededRng.fromSeed(1), nodes, factoryFor: () => behaviour, ...options });
}

/** A behaviour with every handler a no-op, to spread over. */
export const idle: NodeBehaviour = { onMessage() {}, onTimer() {}, onClientRequest() {} };
