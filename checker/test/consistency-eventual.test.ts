import { describe, expect, it } from 'vitest';
import { checkEventual, createModel, historyFromOps } from '../src/index.js';
import { fail, inv, kvRead, kvWrite, nemesis, read, timed, write, type Raw } from './support/consistency-ops.js';

const kv = () => createModel('kv', null);
const final = (process: number, node: string, k: string, v: unknown): Raw[] => kvRead(process, k, v, { phase: 'final', node });
const eventual = (ops: Raw[], model = kv(), options = {}) => checkEventual(historyFromOps(ops), model, options);

describe('eventual consistency', () => {
  it('holds when every replica ends on the last write, and reports the convergence time', () => {
    const r = eventual(timed([
      ...kvWrite(0, 'x', 1), ...kvWrite(1, 'x', 2), nemesis('stop-partition'),
      ...final(10, 'n1', 'x', 1), ...final(11, 'n2', 'x', 2), ...final(12, 'n1', 'x', 2),
    ]));
    expect(r.status).toBe('holds');
    // Healed at 40 ns; n1 still read 1 at 60; from n2's read (done at 80) on, every read says 2.
    expect(r.details).toMatchObject({ finalReads: 3, replicas: 2, convergedKeys: 1, quietFrom: { time: 40, by: 'heal' }, convergenceTimeNs: 40, convergenceTime: '40 ns' });
  });

  it('measures from the last write when it comes after the heal', () => {
    const r = eventual(timed([nemesis('stop'), ...kvWrite(0, 'x', 1), ...final(10, 'n1', 'x', 1)]));
    expect(r.details).toMatchObject({ quietFrom: { time: 20, by: 'last-write' }, convergenceTimeNs: 20 });
  });

  it('is violated when replicas disagree', () => {
    const r = eventual([...kvWrite(0, 'x', 1), ...kvWrite(1, 'x', 2), ...final(10, 'n1', 'x', 1), ...final(11, 'n2', 'x', 2)]);
    expect(r.status).toBe('violated');
    expect(r.violations![0]).toMatchObject({ kind: 'convergence', sentence: 'replicas disagree on x after the final phase: node n1 read 1, node n2 read 2 (convergence)' });
    expect(r.violations![0]!.operations).toHaveLength(2);
  });

  it('is violated when an acknowledged write is lost to an older value', () => {
    const r = eventual([...kvWrite(0, 'x', 1), ...kvWrite(1, 'x', 2), ...final(10, 'n1', 'x', 1), ...final(11, 'n2', 'x', 1)]);
    expect(r.status).toBe('violated');
    expect(r.violations![0]).toMatchObject({ kind: 'lost-write', sentence: "process 1's acknowledged write of x=2 is lost: every replica ended with x=1, written before it began (lost write)" });
  });

  it('lets a concurrent write win (last writer wins)', () => {
    const ops: Raw[] = [inv(0, 'write', ['x', 1]), inv(1, 'write', ['x', 2]), ...kvWrite(0, 'x', 1).slice(1), ...kvWrite(1, 'x', 2).slice(1)];
    expect(eventual([...ops, ...final(10, 'n1', 'x', 1), ...final(11, 'n2', 'x', 1)]).status).toBe('holds');
  });

  it('is violated when replicas converge back to the initial value', () => {
    const r = eventual([...kvWrite(0, 'x', 1), ...final(10, 'n1', 'x', null)]);
    expect(r.violations![0]!.sentence).toBe("process 0's acknowledged write of x=1 is lost: every replica ended with the initial value x=nil (lost write)");
  });

  it('is violated by a value nobody wrote, or only a failed write', () => {
    const r = eventual([...kvWrite(0, 'x', 1), ...kvRead(1, 'x', 7), inv(2, 'write', ['x', 9]), fail(2, 'write', ['x', 9]), ...kvRead(1, 'x', 9), ...final(10, 'n1', 'x', 1)]);
    expect(r.violations!.map((v) => v.sentence)).toEqual([
      'process 1 read x=7, a value nobody wrote (invented value)',
      'process 1 read x=9, which only a failed write tried to write (invented value)',
    ]);
  });

  it('is not applicable without final reads (never holds)', () => {
    const r = eventual([...kvWrite(0, 'x', 1), ...kvRead(1, 'x', 1)]);
    expect(r.status).toBe('not-applicable');
    expect(r.cause).toMatch(/no final reads/);
  });

  it('is unknown when a written key has no final read', () => {
    const r = eventual([...kvWrite(0, 'x', 1), ...kvWrite(0, 'y', 1), ...final(10, 'n1', 'x', 1)]);
    expect(r.status).toBe('unknown');
    expect(r.cause).toBe('1 written key had no final read: convergence unknown there');
  });

  it('takes final reads named by an option, and replicas by process when nodes are absent', () => {
    const ops = [...write(0, 1), ...write(1, 2), ...read(7, 2), ...read(8, 2)];
    const r = eventual(ops, createModel('cas-register', 0), { final: { select: (o: { process: unknown }) => o.process === 7 || o.process === 8 } });
    expect(r.status).toBe('holds');
    expect(r.details).toMatchObject({ finalReads: 2, replicas: 2 });
  });

  it('does not count writes made during the final phase as lost', () => {
    const r = eventual([...kvWrite(0, 'x', 1), ...final(10, 'n1', 'x', 1), ...kvWrite(1, 'x', 2), ...final(11, 'n2', 'x', 1)]);
    expect(r.status).toBe('holds');
  });
});
