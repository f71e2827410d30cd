import { describe, expect, it } from 'vitest';
import { checkBarrierInvariant, checkHistory, historyFromOps, type Op } from '../src/index.js';

type Raw = Omit<Op, 'index'>;
const inv = (process: number, f: string): Raw => ({ process, type: 'invoke', f, value: null });
const ok = (process: number, f: string, round: number): Raw => ({ process, type: 'ok', f, value: { round } });
const info = (process: number, f: string): Raw => ({ process, type: 'info', f, value: null });

describe('barrier invariant', () => {
  it('holds when every enter passes after all of its round entered, and every leave comes after', async () => {
    const h = historyFromOps([
      inv(0, 'enter'), inv(1, 'enter'), ok(0, 'enter', 0), ok(1, 'enter', 0),
      inv(0, 'leave'), inv(1, 'leave'), ok(1, 'leave', 0), ok(0, 'leave', 0),
      inv(0, 'enter'), inv(1, 'enter'), ok(1, 'enter', 1), ok(0, 'enter', 1),
    ]);
    expect(checkBarrierInvariant(h, 2).status).toBe('holds');
    const report = await checkHistory(h, { model: 'barrier', init: 2 });
    expect(report.verdict.outcome).toBe('ok');
    expect(report.invariants?.[0]?.name).toBe('barrier');
  });

  it('an enter that passes before the last participant entered is entered-early; a leave then is left-early', async () => {
    const h = historyFromOps([
      inv(0, 'enter'), ok(0, 'enter', 0), inv(0, 'leave'),
      inv(1, 'enter'), ok(1, 'enter', 0), ok(0, 'leave', 0),
    ]);
    const r = checkBarrierInvariant(h, 2);
    expect(r.status).toBe('violated');
    expect(r.counts).toEqual({ 'entered-early': 1, 'left-early': 1 });
    expect(r.violations[0]!.sentence).toContain('only 1 of 2 had entered');
    const report = await checkHistory(h, { model: 'barrier', init: 2 });
    expect(report.verdict.outcome).toBe('violated');
  });

  it('an enter whose outcome is unknown counts for every round: never a false alarm', () => {
    const h = historyFromOps([inv(2, 'enter'), info(2, 'enter'), inv(0, 'enter'), ok(0, 'enter', 3)]);
    expect(checkBarrierInvariant(h, 2).status).toBe('holds');
  });

  it('a round that lets more than its size through is round-overfull', () => {
    const h = historyFromOps([
      inv(0, 'enter'), inv(1, 'enter'), inv(2, 'enter'),
      ok(0, 'enter', 0), ok(1, 'enter', 0), ok(2, 'enter', 0),
    ]);
    expect(checkBarrierInvariant(h, 2).counts).toEqual({ 'round-overfull': 1 });
  });
});
