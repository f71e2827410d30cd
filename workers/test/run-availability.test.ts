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

  it('is blocked when a fault leaves every request unanswered', () => {
    const h = history([[0, 'invoke', 200], [0, 'info', 250], [1, 'invoke', 260], [1, 'info', 290], [2, 'invoke', 1_100], [2, 'ok', 1_101]]);
    const crash: FaultRecord = { nemesis: 'crash-one', family: 'crash', startMs: 100, stopMs: 300, description: 'crashed n1', nodes: ['n1'] };
    const a = analyzeAvailability(h, phases, [crash], { ...options, blockedAfterMs: 10_000 });
    expect(a.faults[0]).toMatchObject({ ok: 0, fail: 0, info: 2 });
    expect(a.blockedReason).toMatch(/^no request got an answer while crashed n1/);
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
