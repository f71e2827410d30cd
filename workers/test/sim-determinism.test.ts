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
async function historyHash(protocol: string, nemesis: string, seed: number, ops = 300): Promise<string> {
  const { spec, protocol: def } = await resolveRunSpec({ protocol, nemesis, seed, ops }, registry);
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
});
