import { describe, expect, it } from 'vitest';
import type { ProtocolDefinition } from '../src/protocols/protocol.js';
import { runMatrix } from '../src/run/matrix.js';
import { renderMatrix } from '../src/run/render-matrix.js';
import { primaryBackup } from './support/primary-backup.js';
import { singleNodeTxn } from './support/single-node-txn.js';

const registry: Record<string, () => Promise<ProtocolDefinition>> = {
  'primary-backup': async () => primaryBackup,
  'single-node-txn': async () => singleNodeTxn,
};

describe('matrix', () => {
  it('runs every protocol × bug × nemesis and tabulates the verdicts', async () => {
    const runs: number[] = [];
    const m = await runMatrix({ registry, seeds: 1, ops: 600, nemeses: ['none', 'crash-leader'], onRun: (_c, done) => runs.push(done) });
    expect(m.variants).toEqual([
      { protocol: 'primary-backup', bug: null },
      { protocol: 'primary-backup', bug: 'stale-backup-reads' },
      { protocol: 'single-node-txn', bug: null },
      { protocol: 'single-node-txn', bug: 'lose-appends' },
    ]);
    expect(runs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const cell = (protocol: string, bug: string | null, nemesis: string) => m.cells.find((c) => c.protocol === protocol && c.bug === bug && c.nemesis === nemesis)!;
    expect(cell('primary-backup', null, 'none')).toMatchObject({ runs: 1, consistency: 'strong', outcomes: { ok: 1, violated: 0, unknown: 0 }, blockedSeeds: [], errors: [] });
    expect(cell('primary-backup', null, 'crash-leader').blockedSeeds).toEqual([1]);
    const broken = cell('primary-backup', 'stale-backup-reads', 'none');
    expect(broken.violatedSeeds).toEqual([1]);
    expect(broken.anomalies).toContain('not strong');
    expect(broken.reproduce).toContain('--bug stale-backup-reads');
    expect(cell('single-node-txn', null, 'none').isolation).toBe('strict-serializable');
    expect(cell('single-node-txn', 'lose-appends', 'none').outcomes.violated).toBe(1);

    const text = renderMatrix(m);
    expect(text).toMatch(/A {2}primary-backup \(correct\)/);
    expect(text).toMatch(/^none +strong +✗\S+ +strict-ser +✗\S+$/m);
    expect(text).toMatch(/^crash-leader +strong⊘/m);
    expect(text).toMatch(/✗ primary-backup\/stale-backup-reads × none: .*not strong.*replay: verdict run --protocol primary-backup/);
  });

  it('runs the cells a protocol scenario names under it, with its seeds, and footnotes them; --no-scenarios runs them plainly', async () => {
    const withScenario: ProtocolDefinition = {
      ...primaryBackup,
      scenarios: [{ name: 'impatient', description: 'clients give up after 300 ms', nemeses: ['crash-leader'], seeds: 2, spec: { timeoutMs: 300 } }],
    };
    const reg = { 'primary-backup': async () => withScenario };
    const m = await runMatrix({ registry: reg, ops: 300, nemeses: ['none', 'crash-leader'] });
    const crash = m.cells.find((c) => c.bug === null && c.nemesis === 'crash-leader')!;
    expect(crash).toMatchObject({ seeds: [1, 2], runs: 2, scenario: { name: 'impatient', seeds: 2 } });
    expect(m.cells.find((c) => c.bug === 'stale-backup-reads' && c.nemesis === 'crash-leader')!.scenario?.name).toBe('impatient');
    expect(m.cells.find((c) => c.nemesis === 'none')!).toMatchObject({ seeds: [1] });
    expect(m.cells.find((c) => c.nemesis === 'none')!.scenario).toBeUndefined();
    const text = renderMatrix(m);
    expect(text).toMatch(/^crash-leader +\S+¹ +\S+¹$/m);
    expect(text).toContain('  ¹ primary-backup impatient (client timeout 300 ms; 2 seeds): clients give up after 300 ms.');
    expect(text).toContain('    used in primary-backup × crash-leader, primary-backup/stale-backup-reads × crash-leader');
    const plain = await runMatrix({ registry: reg, ops: 300, nemeses: ['crash-leader'], scenarios: false });
    expect(plain.cells.every((c) => c.scenario === undefined && c.seeds.length === 1)).toBe(true);
    expect(renderMatrix(plain)).not.toContain('Scenarios:');
  });
});
