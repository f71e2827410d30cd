import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PROTOCOLS } from '../src/protocols/registry.js';
import type { ProtocolDefinition } from '../src/protocols/protocol.js';
import { resolveRunSpec } from '../src/run/spec.js';
import { simulationConfig } from '../src/run.js';
import { Simulation } from '../src/sim/simulation.js';
import { primaryBackup } from './support/primary-backup.js';

const registry: Record<string, () => Promise<ProtocolDefinition>> = { ...PROTOCOLS, 'primary-backup': async () => primaryBackup };

/** The history of a run, as the bytes of its JSONL. */
async function historyHash(protocol: string, nemesis: string, seed: number, ops = 300, scenario?: string): Promise<string> {
  const { spec, protocol: def } = await resolveRunSpec({ protocol, nemesis, seed, ops, ...(scenario !== undefined ? { scenario } : {}) }, registry);
  const outcome = new Simulation(simulationConfig(spec, def)).runToEnd();
  const hash = createHash('sha256');
  for (const op of outcome.ops) hash.update(`${JSON.stringify(op)}\n`);
  return hash.digest('hex');
}

describe('determinism', () => {
  it('same seed and spec, same bytes; another seed, other bytes', async () => {
    for (const nemesis of ['none', 'mixed', 'clock-skew']) {
      const a = await historyHash('primary-backup', nemesis, 7);
      expect(await historyHash('primary-backup', nemesis, 7)).toBe(a);
      expect(await historyHash('primary-backup', nemesis, 8)).not.toBe(a);
    }
  });

  it.each(Object.keys(PROTOCOLS))('holds for the registered protocol %s under a mixed nemesis', async (protocol) => {
    const a = await historyHash(protocol, 'mixed', 11, 200);
    expect(await historyHash(protocol, 'mixed', 11, 200)).toBe(a);
    expect(await historyHash(protocol, 'mixed', 12, 200)).not.toBe(a);
  });

  it.each([
    ['2pc', 'crash-coordinator', 'coordinator-dies-in-doubt'],
    ['3pc', 'partition-halves', 'partition-after-precommit'],
    ['paxos', 'crash-leader', 'leader-dies-after-choosing'],
  ])('holds for %s under %s timed by its scenario %s (faults armed on protocol marks)', async (protocol, nemesis, scenario) => {
    const a = await historyHash(protocol, nemesis, 11, 300, scenario);
    expect(await historyHash(protocol, nemesis, 11, 300, scenario)).toBe(a);
    expect(await historyHash(protocol, nemesis, 11, 300)).not.toBe(a);
  });
});
