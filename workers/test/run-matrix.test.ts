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
});
