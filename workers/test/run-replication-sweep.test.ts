import { beforeAll, describe, expect, it } from 'vitest';
import { renderReplicationSweep } from '../src/run/render-replication-sweep.js';
import { runReplicationSweep, SWEEP_SETTINGS, settingLabel, type SweepResult } from '../src/run/replication-sweep.js';

/**
 * The replication sweep: N/R/W, resolve mode and routing × nemesis, each cell where the run
 * landed on the lattice, with fresh reads, lost writes and partition sides beside it. A small
 * sweep here (the BASE default and siblings with sticky clients, under no fault and clock skew);
 * `protocol-eventual-run.test.ts` holds the verdicts of each configuration.
 */

let s: SweepResult;
beforeAll(async () => {
  const settings = [SWEEP_SETTINGS[0]!, SWEEP_SETTINGS[5]!, SWEEP_SETTINGS[2]!];
  s = await runReplicationSweep({ settings, nemeses: ['none', 'partition-halves', 'clock-skew'], ops: 600 });
}, 120_000);

describe('the replication sweep', () => {
  it('runs each setting under each nemesis', () => {
    expect(s.rows.map((r) => r.label)).toEqual(['N3 R1 W1 sloppy lww roaming', 'N3 R1 W1 sloppy siblings sticky', 'N3 R2 W2 strict lww roaming']);
    for (const row of s.rows) expect(row.cells.map((c) => c.errors)).toEqual([[], [], []]);
  });

  it('shows LWW losing writes under clock skew where siblings with sticky clients keep their sessions', () => {
    const [base, sticky, strict] = s.rows;
    const skew = (i: number) => s.rows[i]!.cells[2]!;
    expect(skew(0)).toMatchObject({ strongest: 'none', skewedRuns: 1 });
    expect(skew(0).lostWrites).toBeGreaterThan(0);
    expect(skew(1)).toMatchObject({ strongest: 'session', lostWrites: 0 });
    expect(base!.cells[1]!).toMatchObject({ strongest: 'eventual', sides: { minority: [expect.any(Number), 0] } });
    expect(base!.cells[1]!.sides.minority[0]).toBeGreaterThan(0);
    expect(sticky!.cells.map((c) => c.levels.session)).toEqual(['holds', 'holds', 'holds']);
    // R + W > N: every read fresh while clocks are in step; the side without a quorum stops.
    expect(strict!.cells.slice(0, 2).map((c) => c.fresh)).toEqual(['holds', 'holds']);
    expect(strict!.cells[1]!.sides.minority[1] + strict!.cells[1]!.sides.majority[1]).toBeGreaterThan(0);
  });

  it('renders a row per setting and, per setting, fresh reads, lost writes, sides and the reason it is not linearizable', () => {
    const text = renderReplicationSweep(s);
    expect(text).toMatch(/^setting +none +partition-halves +clock-skew$/m);
    expect(text).toMatch(/^A {2}N3 R1 W1 sloppy lww roaming +\S+ +eventual +none$/m);
    expect(text).toMatch(/^B {2}N3 R1 W1 sloppy siblings sticky +session +session +session$/m);
    expect(text).toMatch(/acknowledged writes lost: \d+ under clock-skew \(clocks skewed\)/);
    expect(text).toContain('every read saw the last acknowledged write: under none, partition-halves; stale reads under clock-skew');
    expect(text).toMatch(/partition sides available: minority \d+ of \d+, majority \d+ of \d+/);
    expect(text).toMatch(/not linearizable \(none\): not linearizable \(key \d+\)/);
    expect(text).toContain('replay: verdict run --protocol eventual --nemesis none --seed 1 --ops 600 --n 3 --r 1 --w 1 --resolve lww --quorum sloppy --routing roaming');
  });

  it('labels settings the way the CLI flags read', () => {
    expect(settingLabel({ n: 5, r: 3, w: 3, resolve: 'lww', sloppyQuorum: false, routing: 'roaming', shows: '' })).toBe('N5 R3 W3 strict lww roaming');
  });
});
