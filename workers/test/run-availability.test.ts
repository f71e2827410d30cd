import { historyFromOps, type Op } from '@verdict/checker';
import { describe, expect, it } from 'vitest';
import { analyzeAvailability } from '../src/run/availability.js';
import type { FaultRecord } from '../src/sim/nemesis.js';
import type { PhaseSpan } from '../src/sim/simulation.js';

type Row = [process: number, type: Op['type'], timeMs: number, node?: string, key?: number];

function history(rows: Row[]) {
  return historyFromOps(rows.map(([process, type, t, node = 'n1', key = 0]) => ({
    process, type, f: 'read', value: [key, null], time: t * 1e6, node,
  })));
}

const phases: PhaseSpan[] = [{ name: 'faulty', startMs: 0, endMs: 1_000 }, { name: 'quiet', startMs: 1_000, endMs: 2_000 }, { name: 'final', startMs: 2_000, endMs: 2_100 }];
const options = { blockedAfterMs: 300, faultGraceMs: 50 };

describe('availability', () => {
  it('measures the longest stretch without an ok, and without any answer', () => {
    const h = history([
      [0, 'invoke', 0], [0, 'ok', 10],
      [0, 'invoke', 20], [1, 'invoke', 30], [0, 'fail', 100], [0, 'invoke', 110], [1, 'info', 130], [0, 'ok', 250],
      [2, 'invoke', 1_100], [2, 'ok', 1_110],
    ]);
    const a = analyzeAvailability(h, phases, [], options);
    const faulty = a.phases[0]!;
    expect(faulty).toMatchObject({ ok: 2, fail: 1, info: 1, longestStallMs: 230, longestStall: { startMs: 20, endMs: 250 }, longestSilenceMs: 150, longestSilence: { startMs: 100, endMs: 250 } });
    expect(a.recoveredAfterMs).toBe(110);
    expect(a.blocked).toBe(false);
  });

  it('is blocked by a long silence, naming the faults active then', () => {
    const h = history([[0, 'invoke', 0], [0, 'info', 400], [4, 'invoke', 400], [4, 'ok', 410], [1, 'invoke', 1_100], [1, 'ok', 1_101]]);
    const crash: FaultRecord = { nemesis: 'crash-coordinator', family: 'crash', startMs: 100, stopMs: 900, description: 'crashed c1 (the coordinator)', nodes: ['c1'] };
    const a = analyzeAvailability(h, phases, [crash], options);
    expect(a.blocked).toBe(true);
    expect(a.blockedReason).toMatch(/no request got an answer for 0.41 s \(0.00 s to 0.41 s\) while requests were waiting, during: crashed c1/);
  });

  it('is blocked when a fault leaves every request to a live node unanswered, not when only dead nodes were asked', () => {
    const h = history([[0, 'invoke', 200, 'n2'], [0, 'info', 250, 'n2'], [1, 'invoke', 260, 'n2'], [1, 'info', 290, 'n2'], [2, 'invoke', 1_100], [2, 'ok', 1_101]]);
    const crash: FaultRecord = { nemesis: 'crash-one', family: 'crash', startMs: 100, stopMs: 300, description: 'crashed n1', nodes: ['n1'] };
    const a = analyzeAvailability(h, phases, [crash], { ...options, blockedAfterMs: 10_000 });
    expect(a.faults[0]).toMatchObject({ ok: 0, fail: 0, info: 2 });
    expect(a.blockedReason).toMatch(/^no request got an answer while crashed n1 \(0.10 s to 0.30 s\): all 2 sent to live nodes timed out/);
    // Every request went to the crashed node: nobody alive was asked, which is loss, not blocking.
    const atDead = history([[0, 'invoke', 200], [0, 'info', 250], [1, 'invoke', 260], [1, 'info', 290], [2, 'invoke', 1_100], [2, 'ok', 1_101]]);
    expect(analyzeAvailability(atDead, phases, [crash], { ...options, blockedAfterMs: 10_000 }).blocked).toBe(false);
  });

  it('is blocked when the quiet phase never recovers', () => {
    const h = history([[0, 'invoke', 1_100], [0, 'info', 1_200]]);
    const a = analyzeAvailability(h, phases, [], options);
    expect(a).toMatchObject({ blocked: true, recoveredAfterMs: null });
    expect(a.blockedReason).toMatch(/did not recover/);
  });

  it('finds keys that stayed unusable at the live nodes while a node was down (blocking), ignoring the dead node', () => {
    const rows: Row[] = [];
    let p = 0;
    for (let t = 160; t < 480; t += 40) {
      rows.push([p, 'invoke', t, 'c1', 7], [p++, 'fail', t + 2, 'c1', 7]); // key 7: locked in doubt
      rows.push([p, 'invoke', t, 'c1', 8], [p++, 'ok', t + 2, 'c1', 8]); // key 8: fine
      rows.push([p, 'invoke', t, 'c2', 9], [p++, 'info', t + 30, 'c2', 9]); // sent to the dead node
    }
    rows.push([p, 'invoke', 1_100, 'c1', 7], [p, 'ok', 1_101, 'c1', 7]);
    const crash: FaultRecord = { nemesis: 'crash-coordinator', family: 'crash', startMs: 100, stopMs: 500, description: 'crashed c2 (the coordinator)', nodes: ['c2'] };
    const a = analyzeAvailability(history(rows), phases, [crash], { blockedAfterMs: 10_000, faultGraceMs: 50 });
    expect(a.faults[0]!.blockedKeys).toEqual([{ key: 7, attempted: 8, fail: 8, unanswered: 0 }]);
    expect(a.blocked).toBe(true);
    expect(a.blockedReason).toMatch(/^while crashed c2 \(the coordinator\) \(0.10 s to 0.50 s\), key 7 stayed unusable at the live nodes: none of the 8 operations/);
  });

  it('does not count a shard whose owners are down or cut off as blocking', () => {
    const rows: Row[] = [];
    let p = 0;
    for (let t = 160; t < 480; t += 40) {
      rows.push([p, 'invoke', t, 'c1', 7], [p++, 'fail', t + 2, 'c1', 7]); // key 7 lives on the crashed p1
      rows.push([p, 'invoke', t, 'c1', 8], [p++, 'ok', t + 2, 'c1', 8]);
    }
    rows.push([p, 'invoke', 1_100, 'c1', 7], [p, 'ok', 1_101, 'c1', 7]);
    const crash: FaultRecord = { nemesis: 'crash-one', family: 'crash', startMs: 100, stopMs: 500, description: 'crashed p1', nodes: ['p1'] };
    const owners = (key: unknown): string[] => [key === 7 ? 'p1' : 'p2'];
    expect(analyzeAvailability(history(rows), phases, [crash], { blockedAfterMs: 10_000, faultGraceMs: 50 }).faults[0]!.blockedKeys).toHaveLength(1);
    const a = analyzeAvailability(history(rows), phases, [crash], { blockedAfterMs: 10_000, faultGraceMs: 50, keyOwners: owners });
    expect(a.faults[0]!.blockedKeys).toEqual([]);
    expect(a.blocked).toBe(false);
    // Cut off by a partition from the node asked: loss too. Reachable but unusable: blocking.
    const cut: FaultRecord = { nemesis: 'partition-halves', family: 'partition', startMs: 100, stopMs: 500, description: 'partitioned', groups: [['c1', 'p2'], ['p1']] };
    expect(analyzeAvailability(history(rows), phases, [cut], { blockedAfterMs: 10_000, faultGraceMs: 50, keyOwners: owners }).blocked).toBe(false);
    const joined: FaultRecord = { ...cut, groups: [['c1', 'p1'], ['p2']] };
    expect(analyzeAvailability(history(rows), phases, [joined], { blockedAfterMs: 10_000, faultGraceMs: 50, keyOwners: owners }).faults[0]!.blockedKeys.map((k) => k.key)).toEqual([7]);
  });

  it('judges each partition side by what it settled into, answers before the heal only', () => {
    const h = history([
      [0, 'invoke', 110, 'n1'], [0, 'ok', 112, 'n1'], // majority side, before the grace
      [1, 'invoke', 200, 'n2'], [1, 'ok', 202, 'n2'], // majority side, settled
      [2, 'invoke', 105, 'n3'], [2, 'ok', 106, 'n3'], // minority: a lease read before the grace
      [3, 'invoke', 300, 'n3'], [3, 'ok', 600, 'n3'], // minority: answered only after the heal
    ]);
    const partition: FaultRecord = { nemesis: 'partition-halves', family: 'partition', startMs: 100, stopMs: 500, description: 'partitioned n3 | n1 n2', groups: [['n3'], ['n1', 'n2']] };
    const [fault] = analyzeAvailability(h, phases, [partition], options).faults;
    expect(fault!.sides).toEqual([
      { nodes: ['n3'], ok: 2, fail: 0, info: 0, settled: { ok: 0, fail: 0, unanswered: 1 }, available: false },
      { nodes: ['n1', 'n2'], ok: 2, fail: 0, info: 0, settled: { ok: 1, fail: 0, unanswered: 0 }, available: true },
    ]);
  });
});

describe('blocked keys', () => {
  const crash: FaultRecord = { nemesis: 'crash-coordinator', family: 'crash', startMs: 100, stopMs: 700, description: 'crashed c2 (the coordinator)', nodes: ['c2'] };
  /** Transactions on key 7 at c1 every 40 ms from 100 ms to 700 ms, each refused by `holderAt(t)`'s lock. */
  function refused(holderAt: (t: number) => string) {
    const ops: Omit<Op, 'index'>[] = [];
    let p = 0;
    for (let t = 100; t < 700; t += 40) {
      ops.push({ process: p, type: 'invoke', f: 'txn', value: [['append', 7, p]], time: t * 1e6, node: 'c1' });
      ops.push({ process: p++, type: 'fail', f: 'txn', value: [['append', 7, p]], time: (t + 2) * 1e6, node: 'c1', error: `lock-conflict: key 7 is held by ${holderAt(t)}` });
    }
    ops.push({ process: p, type: 'invoke', f: 'txn', value: [['append', 7, 99]], time: 1_100e6, node: 'c1' }, { process: p, type: 'ok', f: 'txn', value: [['append', 7, 99]], time: 1_101e6, node: 'c1' });
    return historyFromOps(ops);
  }
  const lockConflictOf = (error: string) => {
    const m = /^lock-conflict: key (\d+) is held by (\S+)$/.exec(error);
    return m === null ? undefined : { key: Number(m[1]), holder: m[2]! };
  };
  const judge = { blockedAfterMs: 10_000, faultGraceMs: 300, lockConflictOf };

  it('counts a key held by one transaction for longer than the grace (in doubt), naming the holder', () => {
    const a = analyzeAvailability(refused(() => 'c2.1.7'), phases, [crash], judge);
    expect(a.faults[0]!.blockedKeys).toEqual([{ key: 7, attempted: 7, fail: 7, unanswered: 0, heldBy: 'c2.1.7' }]);
    expect(a.blockedReason).toMatch(/key 7 stayed unusable .*, refused by the lock of c2\.1\.7 all along$/);
  });

  it('does not count a key merely contended: its holder changes faster than the grace', () => {
    const a = analyzeAvailability(refused((t) => `c1.1.${Math.floor(t / 100)}`), phases, [crash], judge);
    expect(a.faults[0]!.blockedKeys).toEqual([]);
    expect(a.blocked).toBe(false);
    // Without holders to tell them apart, the same failures read as blocking.
    expect(analyzeAvailability(refused((t) => `c1.1.${Math.floor(t / 100)}`), phases, [crash], { blockedAfterMs: 10_000, faultGraceMs: 300 }).blocked).toBe(true);
  });

  it('needs six failures in a row, not three', () => {
    const ops: Omit<Op, 'index'>[] = [];
    for (let i = 0; i < 5; i++) {
      ops.push({ process: i, type: 'invoke', f: 'read', value: [7, null], time: (200 + i * 50) * 1e6, node: 'c1' }, { process: i, type: 'fail', f: 'read', value: [7, null], time: (201 + i * 50) * 1e6, node: 'c1' });
    }
    ops.push({ process: 9, type: 'invoke', f: 'read', value: [7, null], time: 1_100e6, node: 'c1' }, { process: 9, type: 'ok', f: 'read', value: [7, 1], time: 1_101e6, node: 'c1' });
    expect(analyzeAvailability(historyFromOps(ops), phases, [crash], { blockedAfterMs: 10_000, faultGraceMs: 50 }).blocked).toBe(false);
  });

  it('judges reachability by every fault of the cycle: clock skew started with an isolation is not blamed', () => {
    const rows: Row[] = [];
    let p = 0;
    for (let t = 160; t < 480; t += 40) {
      rows.push([p, 'invoke', t, 'c2', 7], [p++, 'info', t + 30, 'c2', 7]); // at the isolated node: loss
      rows.push([p, 'invoke', t, 'c1', 8], [p++, 'ok', t + 2, 'c1', 8]);
    }
    rows.push([p, 'invoke', 1_100, 'c1', 7], [p, 'ok', 1_101, 'c1', 7]);
    const skew: FaultRecord = { nemesis: 'clock-skew', family: 'clock-skew', startMs: 100, stopMs: 500, description: 'clocks drift' };
    const isolated: FaultRecord = { nemesis: 'isolate-leader', family: 'partition', startMs: 100, stopMs: 500, description: 'isolated c2', nodes: ['c2'], groups: [['c2'], ['c1', 'p1']] };
    const owners = (): string[] => ['p1'];
    const a = analyzeAvailability(history(rows), phases, [skew, isolated], { blockedAfterMs: 10_000, faultGraceMs: 50, keyOwners: owners });
    expect(a.faults.map((f) => f.blockedKeys)).toEqual([[], []]);
    expect(a.blocked).toBe(false);
  });
});
